import { test, expect } from './fixtures';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startXapiSimulator } from '../../src-main/simulators/xapi';
import { addPoolInUi } from './add-pool';

// state4.xml (XenServer 6.0, XenCenter's test resources): SR "iSCSI virtual disk storage" (lvmoiscsi, shared).
// incubus: other_config multipathing=true; its PBD other_config mpath-S161b6ac7VIRTUAL-DISK="[2, 2]",
// multipathed=true, iscsi_sessions=2. inflames: multipathing=false; its PBD only iscsi_sessions=1.
const state4 = readFileSync(join(__dirname, '../fixtures/xapi/state4.xml'), 'utf8');
const SR = 'iSCSI virtual disk storage';
// The red mark: the paths cell gets class "red", its row "red-row" (StoragePage.svelte).
const RED = /(^|\s)red(\s|$)/;
const RED_ROW = /(^|\s)red-row(\s|$)/;

test("the storage page follows a lost path live: XenCenter's red mark where active < total or total < sessions", async ({ page, app }) => {
  const sim = await startXapiSimulator({ dump: state4, users: { root: 'e2e-password' } });
  try {
    await addPoolInUi(page, app.url, { name: 'hottub-pool', url: sim.url, user: 'root', password: 'e2e-password' });
    await expect(page.getByTestId('pool-status')).toHaveText('ok');
    await page.getByRole('link', { name: 'Storage paths' }).click();

    const table = page.getByRole('table', { name: `Paths to ${SR}` });
    const incubus = page.getByTestId(`path-${SR}-incubus`);
    const incubusRow = table.getByRole('row').filter({ has: incubus });
    // Both paths up: the figure XenCenter prints, no red mark.
    await expect(incubus).toHaveText(/^\s*ok\s*2 of 2 paths active \(2 iSCSI sessions\)\s*$/);
    await expect(incubus).not.toHaveClass(RED);
    await expect(incubusRow).not.toHaveClass(RED_ROW);
    // The last column, host multipathing, from each host's other_config.
    await expect(incubusRow.getByRole('cell').last()).toHaveText('on');
    await expect(table.getByRole('row').filter({ has: page.getByTestId(`path-${SR}-inflames`) }).getByRole('cell').last()).toHaveText('off');
    // inflames has multipathing off in its other_config: said so, and red, from the start.
    await expect(page.getByTestId(`path-${SR}-inflames`)).toContainText('multipathing is off on this host (1 iSCSI session)');
    await expect(page.getByTestId(`path-${SR}-inflames`)).toHaveClass(RED);

    // mpathcount after a path fails: [1, 2]. The page must follow within a few seconds, without a reload.
    const lost = Date.now();
    sim.setPaths(SR, 'incubus', 1);
    await expect(incubus).toContainText('1 of 2 paths active (2 iSCSI sessions)', { timeout: 5000 });
    expect(Date.now() - lost).toBeLessThan(5000);
    await expect(incubus).toHaveClass(RED);
    await expect(incubus).toContainText('degraded');
    await expect(incubusRow).toHaveClass(RED_ROW);

    // The path comes back: no red mark again.
    sim.setPaths(SR, 'incubus', 2);
    await expect(incubus).toHaveText(/^\s*ok\s*2 of 2 paths active \(2 iSCSI sessions\)\s*$/, { timeout: 5000 });
    await expect(incubus).not.toHaveClass(RED);

    // XenCenter's other half of the rule: every path active, but fewer paths than iSCSI sessions ([1, 1], 2 sessions).
    sim.setPaths(SR, 'incubus', 1, 1);
    await expect(incubus).toContainText('1 of 1 path active (2 iSCSI sessions)', { timeout: 5000 });
    await expect(incubus).toHaveClass(RED);
    await expect(incubus).toContainText('degraded');
  } finally {
    await sim.close();
  }
});
