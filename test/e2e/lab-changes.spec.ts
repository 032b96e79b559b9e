import { test, expect, serve } from './fixtures';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Page } from '@playwright/test';
import { startXapiSimulator } from '../../src-main/simulators/xapi';
import { addPoolInUi } from './add-pool';
import { findingLine, openDemoOverview, topologyDrag, topologyNodes, topologyProbe } from './lab';

const demoPoolDump = readFileSync(join(__dirname, '../../resources/demo-lab.xapi-db.xml'), 'utf8');
const ACCEPTED = 'multipath.disabled:xen4';

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
}

/** The finding's line, opened: waits for it to be drawn first (the overview loads, then reloads on lab.changed). */
async function openLine(page: Page, id: string) {
  const line = findingLine(page, id);
  const toggle = line.locator('button.toggle');
  await expect(toggle).toBeVisible({ timeout: 20_000 });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  return line;
}

test('an accepted finding stays accepted, greyed with its note, across a serve restart and an export and import of the YAML', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'labwarden-e2e-accept-'));
  let server = await serve(dataDir);
  try {
    await openDemoOverview(page, server.url);
    await expect(findingLine(page, ACCEPTED)).toBeVisible({ timeout: 20_000 });
    // The demo ships some accepted already (its single NICs, by design).
    const acceptedBefore = Number.parseInt((await page.getByTestId('count-accepted').textContent()) ?? '0', 10) || 0;
    let line = await openLine(page, ACCEPTED);
    await line.getByRole('button', { name: 'Accept…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Accept this finding?' });
    await expect(dialog).toContainText('multipathing is off on xen4');
    await dialog.getByLabel('Note').fill('xen4 is the test host; multipath after the SAN upgrade');
    await dialog.getByRole('button', { name: 'Accept', exact: true }).click();
    await expect(dialog).toHaveCount(0);
    await expect(line).toHaveAttribute('data-accepted', 'true');
    await expect(line.getByTestId('accepted-note')).toContainText('xen4 is the test host; multipath after the SAN upgrade');
    await expect(page.getByTestId('count-accepted')).toContainText(`${acceptedBefore + 1} accepted`);
    await expect(line).toHaveClass(/accepted/); // greyed, still listed

    // A restart on the same data folder: still accepted.
    await stop(server.child);
    server = await serve(dataDir);
    await page.goto(`${server.url}#/overview`);
    line = findingLine(page, ACCEPTED);
    await expect(line).toHaveAttribute('data-accepted', 'true', { timeout: 20_000 });
    await expect(line.getByTestId('accepted-note')).toContainText('xen4 is the test host; multipath after the SAN upgrade');

    // The YAML export carries it.
    await page.getByRole('link', { name: 'Import / export' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export inventory (YAML)' }).click()]);
    const yaml = readFileSync((await download.path())!, 'utf8');
    expect(yaml).toContain('acceptedFindings:');
    expect(yaml).toContain(ACCEPTED);
    expect(yaml).toContain('xen4 is the test host; multipath after the SAN upgrade');

    // Unaccepted, then the export imported: accepted again, with its note.
    await page.getByRole('link', { name: 'Overview' }).click();
    line = await openLine(page, ACCEPTED);
    await line.getByRole('button', { name: 'Unaccept' }).click();
    await expect(line).toHaveAttribute('data-accepted', 'false');
    await page.getByRole('link', { name: 'Import / export' }).click();
    await page.getByLabel('YAML inventory file').setInputFiles({ name: 'exported.yaml', mimeType: 'application/yaml', buffer: Buffer.from(yaml) });
    await page.getByRole('button', { name: 'Replace the inventory…' }).click();
    await page.getByRole('dialog', { name: 'Replace the inventory?' }).getByRole('button', { name: 'Replace inventory' }).click();
    await page.getByRole('link', { name: 'Overview' }).click();
    line = findingLine(page, ACCEPTED);
    await expect(line).toHaveAttribute('data-accepted', 'true', { timeout: 20_000 });
    await expect(line.getByTestId('accepted-note')).toContainText('xen4 is the test host; multipath after the SAN upgrade');
  } finally {
    await stop(server.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("the overview shows a bond member losing carrier in the pool's XAPI simulator as a new finding within a second", async ({ page, app }) => {
  // The demo lab's own simulator runs inside the serve process and cannot be scripted from a test, so this
  // test serves the demo's xapi database from a simulator of its own and adds the pool through the UI.
  const sim = await startXapiSimulator({ dump: demoPoolDump, users: { root: 'e2e-password' }, jsonRpc: false });
  try {
    await addPoolInUi(page, app.url, { name: 'lab-pool', url: sim.url, password: 'e2e-password' });
    await expect(page.getByTestId('pool-status')).toHaveText('ok');
    await page.getByRole('link', { name: 'Overview' }).click();

    // The pool reports four hosts the (empty) inventory lacks: one click adopts one, with its NICs.
    const discovered = page.getByTestId('discovered');
    await expect(discovered).toContainText('xen1');
    await discovered.getByRole('button', { name: 'Add xen1 to the inventory' }).click();
    await expect(discovered.getByRole('button', { name: 'Add xen1 to the inventory' })).toHaveCount(0);
    await expect(discovered.getByRole('button', { name: 'Add xen2 to the inventory' })).toBeVisible();

    await expect(findingLine(page, 'bond.degraded:xen3:bond0')).toBeVisible();
    await expect(findingLine(page, 'bond.degraded:xen1:bond0')).toHaveCount(0);
    const pulled = Date.now();
    sim.setCarrier('xen1', 'eth1', false);
    await expect(findingLine(page, 'bond.degraded:xen1:bond0')).toBeVisible({ timeout: 1000 });
    expect(Date.now() - pulled).toBeLessThan(1000);
    await expect(findingLine(page, 'bond.degraded:xen1:bond0')).toContainText("xen1's bond0 has 1 of 2 links up: eth1 has no carrier");

    // And back: the finding goes.
    sim.setCarrier('xen1', 'eth1', true);
    await expect(findingLine(page, 'bond.degraded:xen1:bond0')).toHaveCount(0);
  } finally {
    await sim.close();
  }
});

test('topology: a dragged position is saved and wins over the layout next time; "Reset layout" lays it out again', async ({ page, app }) => {
  await openDemoOverview(page, app.url);
  await page.goto(`${app.url}#/topology`);
  await topologyNodes(page);
  // Drawn first by the automatic layout (later drawings, as the demo's devices answer, keep nodes in place).
  expect((await topologyProbe(page)).firstLayout).toBe('fcose');
  await topologyDrag(page, 'sw-a', 640, -320);
  await expect.poll(async () => (await topologyProbe(page)).saves).toBeGreaterThan(0);

  await page.reload();
  const sw = (await topologyNodes(page)).find((n) => n.id === 'sw-a')!;
  expect([sw.x, sw.y]).toEqual([640, -320]);
  expect((await topologyProbe(page)).firstLayout).toBe('preset');

  await page.getByRole('button', { name: 'Reset layout' }).click();
  await expect(page.getByText('Laid out again automatically.')).toBeVisible();
  await page.reload();
  const again = (await topologyNodes(page)).find((n) => n.id === 'sw-a')!;
  expect([again.x, again.y]).not.toEqual([640, -320]);
  expect((await topologyProbe(page)).firstLayout).toBe('fcose');
});
