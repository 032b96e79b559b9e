import { test, expect, SCREENSHOTS } from './fixtures';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startXapiSimulator } from '../../src-main/simulators/xapi';
import { makeCertificate } from '../unit/drivers/xenapi/local-servers';
import { addPoolInUi } from './add-pool';

const cowley = readFileSync(join(__dirname, '../fixtures/xapi/cowley1.xml'), 'utf8');

test('a pool added in the UI is followed live: a bond member losing carrier shows the bond degraded within a second', async ({ page, app }) => {
  const sim = await startXapiSimulator({ dump: cowley, users: { root: 'e2e-password' } });
  try {
    await addPoolInUi(page, app.url, { name: 'grimsby-pool', url: sim.url, user: 'root', password: 'e2e-password' });
    await expect(page.getByTestId('pool-status')).toHaveText('ok');
    const bond = page.getByTestId('bond-grimsby-bond0');
    // The recording was made with the bond's cables out: bring both members up, then pull one.
    sim.setCarrier('grimsby', 'eth3', true);
    sim.setCarrier('grimsby', 'eth4', true);
    await expect(bond).toContainText('2 of 2 links up');
    await expect(bond).not.toContainText('degraded');

    const pulled = Date.now();
    sim.setCarrier('grimsby', 'eth4', false);
    await expect(bond).toContainText('degraded', { timeout: 1000 });
    await expect(bond).toContainText('1 of 2 links up: eth4 down');
    expect(Date.now() - pulled).toBeLessThan(1000);
    await expect(page.getByTestId('nic-grimsby-eth4')).toContainText('Disconnected');
    // The other host's bond is untouched.
    await expect(page.getByTestId('bond-chester-bond0')).not.toContainText('1 of 2');
  } finally {
    await sim.close();
  }
});

test("the demo lab's pool answers from the built-in simulator and shows its flaws on the pool and storage pages", async ({ page, app }) => {
  await page.goto(app.url);
  await page.getByRole('button', { name: 'Open the demo lab' }).click();
  await page.getByRole('link', { name: 'Pools' }).click();
  const row = page.locator('tr[data-pool="hp-pool"]');
  await expect(row).toContainText('ok');
  await row.getByRole('link', { name: 'hp-pool' }).click();

  await expect(page.getByTestId('pool-status')).toHaveText('ok');
  await expect(page.getByText(/built-in XenAPI simulator/)).toBeVisible();
  // xen3 has lost one of its bonded VM NICs; xen1's bond is whole.
  await expect(page.getByTestId('bond-xen3-bond0')).toContainText('degraded');
  await expect(page.getByTestId('bond-xen1-bond0')).toContainText('2 of 2 links up');
  await expect(page.getByRole('table', { name: 'NICs of xen1' })).toContainText('10.10.10.11');
  await page.screenshot({ path: join(SCREENSHOTS, 'pool.png'), fullPage: true });

  await page.getByRole('link', { name: 'Storage paths' }).click();
  const vmStore = page.getByRole('table', { name: 'Paths to VM store' });
  await expect(vmStore).toBeVisible();
  await expect(page.getByTestId('path-VM store-xen1')).toContainText('1 of 1 path active (1 iSCSI session)');
  await expect(page.getByTestId('path-VM store-xen4')).toContainText('multipathing is off');
  await page.screenshot({ path: join(SCREENSHOTS, 'storage-paths.png'), fullPage: true });
});

test("a pool's certificate is pinned on first use; a different one stops polling until the user compares and trusts it", async ({ page, app }) => {
  const certs = mkdtempSync(join(tmpdir(), 'labwarden-e2e-certs-'));
  const first = makeCertificate(certs, 'xapi-first');
  const second = makeCertificate(certs, 'xapi-second');
  let sim = await startXapiSimulator({ dump: cowley, users: { root: 'tls-password' }, tls: first });
  try {
    await addPoolInUi(page, app.url, { name: 'tls-pool', url: sim.url, password: 'tls-password' });
    await expect(page.getByTestId('pool-status')).toHaveText('ok');
    await expect(page.getByTestId('pinned-fingerprint')).toHaveText(`SHA-256 ${first.fingerprint256}`);

    // The host comes back with another certificate: polling stops, both fingerprints are shown.
    const port = sim.port;
    await sim.close();
    sim = await startXapiSimulator({ dump: cowley, users: { root: 'tls-password' }, tls: second, port });
    await page.getByRole('button', { name: 'Reconnect now' }).click();
    await expect(page.getByTestId('pool-status')).toHaveText('certificate-changed');
    await expect(page.getByTestId('certificate-pinned')).toHaveText(first.fingerprint256);
    await expect(page.getByTestId('certificate-presented')).toHaveText(second.fingerprint256);
    expect(sim.stats().logins + sim.stats().failedLogins).toBe(0); // no password went to it
    // What was seen before stays on screen, with its time, while the pool is refused.
    await expect(page.getByRole('table', { name: 'NICs of grimsby' })).toBeVisible();
    await expect(page.getByText('No good observation yet.')).toHaveCount(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'certificate-changed.png') });

    // Cancel keeps it refused; trusting after the confirm resumes polling with the new pin.
    await page.getByRole('button', { name: 'Trust the new certificate' }).click();
    const dialog = page.getByRole('dialog', { name: 'Trust the new certificate of tls-pool?' });
    await expect(dialog).toContainText('openssl x509');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByTestId('pool-status')).toHaveText('certificate-changed');
    await page.getByRole('button', { name: 'Trust the new certificate' }).click();
    await dialog.getByRole('button', { name: 'Trust the new certificate' }).click();
    await expect(page.getByTestId('pool-status')).toHaveText('ok');
    await expect(page.getByTestId('pinned-fingerprint')).toHaveText(`SHA-256 ${second.fingerprint256}`);
  } finally {
    await sim.close();
    rmSync(certs, { recursive: true, force: true });
  }
});
