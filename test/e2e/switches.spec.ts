import { test, expect, SCREENSHOTS } from './fixtures';
import { join } from 'node:path';

test("the demo lab's switches answer over SNMP: the ProCurve's port table with its LAG, filtered; the Synology's health", async ({ page, app }) => {
  await page.goto(app.url);
  await page.getByRole('button', { name: 'Open the demo lab' }).click();
  await page.getByRole('navigation', { name: 'Inventory' }).getByRole('link', { name: 'Switches & SNMP' }).click();
  await expect(page.getByRole('heading', { name: 'Switches & SNMP' })).toBeVisible();
  await page.getByRole('link', { name: 'sw-a', exact: true }).click();

  await expect(page.getByTestId('snmp-status')).toContainText('ok', { timeout: 10_000 });
  await expect(page.getByTestId('snmp-note')).toContainText('procurve.snmprec');
  const ports = page.getByRole('table', { name: 'Ports of sw-a' });
  await expect(ports.locator('tbody tr').first()).toBeVisible();
  // The LAG panel lists Trk1 with its two members, and their rows say so.
  const trk = page.getByTestId('lagpanel-Trk1');
  await expect(trk).toBeVisible();
  await expect(trk.getByRole('table', { name: 'Members of Trk1' }).locator('tbody tr')).toHaveCount(2);
  await page.screenshot({ path: join(SCREENSHOTS, 'switch-ports.png'), fullPage: true });

  // Filtering by the LAG's name leaves its members.
  const before = await ports.locator('tbody tr').count();
  await page.getByTestId('port-filter').fill('Trk1');
  await expect(async () => {
    const after = await ports.locator('tbody tr').count();
    expect(after).toBeGreaterThanOrEqual(2);
    expect(after).toBeLessThan(before);
  }).toPass();
  for (const row of await ports.locator('tbody tr').all()) await expect(row).toContainText('Trk1');

  // The NAS over SNMP: system, disks and RAID from the Synology MIBs.
  await page.getByRole('navigation', { name: 'Inventory' }).getByRole('link', { name: 'Switches & SNMP' }).click();
  await page.getByRole('link', { name: 'syno-dr', exact: true }).click();
  const health = page.getByTestId('nas-health');
  await expect(health).toBeVisible({ timeout: 10_000 });
  await expect(health.getByRole('table', { name: 'Disks' }).locator('tbody tr').first()).toBeVisible();
  await expect(health.getByRole('table', { name: 'RAID groups' }).locator('tbody tr').first()).toBeVisible();
});
