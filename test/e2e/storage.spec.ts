import { test, expect, SCREENSHOTS } from './fixtures';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const VM_STORE = 'iqn.2013-03.com.dlink:dns-1550-04.vm-store';
const HEARTBEAT = 'iqn.2013-03.com.dlink:dns-1550-04.ha-heartbeat';

test("the demo lab's storage side: the SAN portal answers discovery, each host's path shows, the NAS replica is late until the recovery point allows it", async ({ page, app }) => {
  await page.goto(app.url);
  await page.getByRole('button', { name: 'Open the demo lab' }).click();
  await page.getByRole('link', { name: 'Storage health' }).click();
  await expect(page.getByRole('heading', { name: 'Storage health' })).toBeVisible();

  // The portal answered a discovery probe (the built-in responder) and lists both targets.
  const san = page.getByTestId('san-dlink-san');
  await expect(san.getByTestId('portal-10.10.20.20:3260').first()).toHaveAttribute('data-state', 'up');
  // Paths come from the pool's XenAPI view: xen1's storage NIC reaches the portal.
  const xen1 = page.getByTestId(`path-${VM_STORE}-xen1-10.10.20.20:3260`);
  await expect(xen1).toHaveAttribute('data-state', 'up');
  await expect(xen1).toContainText('eth3 10.10.20.11');
  await expect(san).toContainText('a single path: no redundancy');
  await expect(san).toContainText('VM store');
  // Which evidence tied the SR to its LUN, said quietly: each demo target has one LUN.
  await expect(page.getByTestId(`match-${VM_STORE}-0`)).toHaveAttribute('data-match', 'only-lun');
  await expect(page.getByTestId(`match-${VM_STORE}-0`)).toHaveText('the only LUN');

  // The NAS's newest replica is 30 h old against the default 24 h: late, in words.
  const nas = page.getByTestId('replication-syno-dr');
  await expect(page.getByTestId('replication-summary-syno-dr')).toContainText(/newest replica 3\d h old, recovery point 24 h/);
  await expect(page.getByTestId('plan-vm-backups')).toHaveAttribute('data-late', 'true');
  await page.screenshot({ path: join(SCREENSHOTS, 'storage-health.png'), fullPage: true });

  // A bad value is refused under the field; two days makes it current.
  const hours = nas.getByTestId('recovery-point');
  await hours.fill('0');
  await nas.getByRole('button', { name: 'Save' }).click();
  await expect(nas).toContainText('at least 1 hour');
  await hours.fill('48');
  await nas.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('replication-summary-syno-dr')).toContainText('recovery point 48 h');
  await expect(page.getByTestId('plan-vm-backups')).toHaveAttribute('data-late', 'false');
});

test('discovery CHAP set in the target form is write-only, and a portal that refuses it says so instead of "down"', async ({ page, app }) => {
  const SECRET = 'Chap-Secret-4711';
  const TARGET_SECRET = 'Mutual-Secret-0815';
  const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
  await page.goto(app.url);
  await page.getByRole('button', { name: 'Open the demo lab' }).click();
  await nav('Storage health').click();
  await expect(page.getByTestId('san-dlink-san').getByTestId('portal-10.10.20.20:3260').first()).toHaveAttribute('data-state', 'up');

  // Mutual CHAP on the VM store target: the demo's SAN has no CHAP account, so it will refuse the login.
  await nav('Storage targets').click();
  const card = page.getByRole('article', { name: VM_STORE });
  await card.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('The SAN requires CHAP for discovery').check();
  await page.getByRole('textbox', { name: 'CHAP user', exact: true }).fill('monitor');
  await page.getByRole('textbox', { name: 'CHAP secret', exact: true }).fill(SECRET);
  await page.getByLabel('Mutual CHAP: the SAN proves itself too').check();
  await page.getByRole('textbox', { name: 'Target user', exact: true }).fill('dlink');
  await page.getByRole('textbox', { name: 'Target secret', exact: true }).fill(TARGET_SECRET);
  await page.getByRole('button', { name: 'Save target' }).click();
  await expect(page.getByTestId(`chap-${VM_STORE}`)).toContainText('mutual CHAP as monitor, the SAN as dlink');
  await expect(page.getByTestId(`chap-${VM_STORE}`)).toContainText('secrets stored, encrypted');

  // Written, never read back: the form shows that a secret is stored, not the secret.
  await card.getByRole('button', { name: 'Edit' }).click();
  await expect(page.getByRole('textbox', { name: 'CHAP secret', exact: true })).toHaveValue('');
  await expect(page.getByRole('textbox', { name: 'CHAP secret', exact: true })).toHaveAttribute('placeholder', '•••••••• (stored)');
  expect(await page.content()).not.toContain(SECRET);
  await page.getByRole('button', { name: 'Cancel' }).click();

  // The portal answers TCP but refuses this target's discovery: amber, with the reason and where to look.
  await nav('Storage health').click();
  const vmStore = page.getByRole('region', { name: VM_STORE });
  const portal = vmStore.getByTestId('portal-10.10.20.20:3260');
  await expect(portal).toHaveAttribute('data-state', 'discovery-failed');
  await expect(portal).toHaveAttribute('data-problem', 'CHAP refused');
  await expect(portal).toContainText('refuses discovery');
  await expect(vmStore.getByTestId('portal-message-10.10.20.20:3260')).toContainText('answers TCP, discovery failed');
  await expect(vmStore.getByTestId(`auth-${VM_STORE}`)).toHaveText('discovery: mutual CHAP');
  // The same portal still answers the heartbeat target's discovery, which needs no CHAP.
  await expect(page.getByRole('region', { name: HEARTBEAT }).getByTestId('portal-10.10.20.20:3260')).toHaveAttribute('data-state', 'up');
  // The hosts log in with their own credentials: their paths stay as XenAPI reports them, saying what the monitor could not check.
  const xen1 = page.getByTestId(`path-${VM_STORE}-xen1-10.10.20.20:3260`);
  await expect(xen1).toHaveAttribute('data-state', 'up');
  await expect(xen1).toContainText('portal refuses discovery (CHAP refused)');
  expect(await page.content()).not.toContain(SECRET);
  await page.screenshot({ path: join(SCREENSHOTS, 'storage-chap-refused.png'), fullPage: true });

  // The export names the CHAP users, never the secrets.
  await nav('Import / export').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export inventory (YAML)' }).click()]);
  const yaml = readFileSync((await download.path())!, 'utf8');
  expect(yaml).toContain('chap: { user: monitor, targetUser: dlink }');
  expect(yaml).not.toContain(SECRET);
  expect(yaml).not.toContain(TARGET_SECRET);
});
