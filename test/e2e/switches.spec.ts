import { test, expect, SCREENSHOTS } from './fixtures';
import { join } from 'node:path';
import type { Page } from '@playwright/test';

/** The switch list, from the sidebar (any switch page also links it from its breadcrumb: the same place). */
const openSwitchList = (page: Page) => page.getByRole('link', { name: 'Switches & SNMP', exact: true }).first().click();

test("the demo lab's switches answer over SNMP: the ProCurve's ports with the hosts heard by LLDP, filtered; the D-Link's moved uplink; the Synology's health", async ({ page, app }) => {
  await page.goto(app.url);
  await page.getByRole('button', { name: 'Open the demo lab' }).click();
  await openSwitchList(page);
  await expect(page.getByRole('heading', { name: 'Switches & SNMP' })).toBeVisible();
  await page.getByRole('link', { name: 'sw-a', exact: true }).click();

  await expect(page.getByTestId('snmp-status')).toContainText('ok', { timeout: 10_000 });
  await expect(page.getByTestId('snmp-note')).toContainText('demo-sw-a.derived.snmprec');
  await expect(page.getByTestId('snmp-note')).toContainText('procurve.snmprec');
  const ports = page.getByRole('table', { name: 'Ports of sw-a' });
  await expect(ports.locator('tbody tr').first()).toBeVisible();
  // The derived ProCurve: ports 1–24, xen1's eth0 on port 1 (untagged VLAN 10), its bond's eth1 on port 5
  // (tagged 100 and 101), sw-b on the uplink 24; no LAG.
  const port = (ifIndex: number) => ports.getByTestId(`port-${ifIndex}`);
  await expect(port(1)).toContainText('xen1');
  await expect(port(1)).toContainText('78:e7:d1:5a:11:40');
  await expect(port(5)).toContainText('xen1 eth1 (bond0)');
  await expect(port(5)).toContainText('78:e7:d1:5a:11:41');
  await expect(port(24)).toContainText('sw-b');
  await expect(port(24)).toContainText('eth1/0/23');
  await expect(port(9)).toHaveAttribute('data-state', 'down');
  await expect(page.locator('[data-testid^="lagpanel-"]')).toHaveCount(0);
  await page.screenshot({ path: join(SCREENSHOTS, 'switch-ports.png'), fullPage: true });

  // Filtering by a neighbour's name leaves the ports it is heard on: xen3's eth0 and eth1.
  const before = await ports.locator('tbody tr').count();
  await page.getByTestId('port-filter').fill('xen3');
  await expect(ports.locator('tbody tr')).toHaveCount(2);
  expect(before).toBeGreaterThan(2);
  for (const row of await ports.locator('tbody tr').all()) await expect(row).toContainText('xen3');

  // The D-Link: its trunk is on eth1/0/23 where LLDP hears sw-a, and eth1/0/24, cabled in the inventory, is down.
  await openSwitchList(page);
  await page.getByRole('link', { name: 'sw-b', exact: true }).click();
  await expect(page.getByTestId('snmp-status')).toContainText('ok', { timeout: 10_000 });
  const portsB = page.getByRole('table', { name: 'Ports of sw-b' });
  await expect(portsB.getByTestId('port-23')).toContainText('sw-a');
  await expect(portsB.getByTestId('port-24')).toHaveAttribute('data-state', 'down');
  await expect(portsB.getByTestId('port-7')).toHaveAttribute('data-state', 'down');

  // The NAS over SNMP: system, disks and RAID from the Synology MIBs.
  await openSwitchList(page);
  await page.getByRole('link', { name: 'syno-dr', exact: true }).click();
  const health = page.getByTestId('nas-health');
  await expect(health).toBeVisible({ timeout: 10_000 });
  await expect(health).toContainText('DSM 7.1.1-42962');
  await expect(health.getByRole('table', { name: 'Disks' }).locator('tbody tr').first()).toBeVisible();
  await expect(health.getByRole('table', { name: 'RAID groups' }).locator('tbody tr').first()).toBeVisible();
});
