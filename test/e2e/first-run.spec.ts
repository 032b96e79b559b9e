import { test, expect, SCREENSHOTS } from './fixtures';
import { join } from 'node:path';

test('an empty inventory offers the demo lab, which opens with its pool, SAN, NAS and switches', async ({ page, app }) => {
  await page.goto(app.url);
  await expect(page.getByRole('heading', { name: 'Welcome to Labwarden' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start empty' })).toBeVisible();

  await page.getByRole('button', { name: 'Open the demo lab' }).click();
  // The demo opens on its overview; the inventory is a click away.
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await page.getByRole('link', { name: 'Devices', exact: true }).click();
  const devices = page.getByRole('table', { name: 'Devices' });
  await expect(devices.getByRole('row')).toHaveCount(10); // header + 9 devices
  for (const name of ['hp-pool', 'xen1', 'xen4', 'dlink-san', 'syno-dr', 'sw-a', 'sw-b']) {
    await expect(devices.getByRole('link', { name, exact: true })).toBeVisible();
  }
  await expect(page.locator('tr[data-device="dlink-san"]')).toContainText('ShareCenter Pro DNS-1550-04');
  await page.screenshot({ path: join(SCREENSHOTS, 'inventory.png') });

  // A host's page shows its four NICs: management, the two bonded VM NICs, the storage NIC on VLAN 20.
  await devices.getByRole('link', { name: 'xen1', exact: true }).click();
  const ports = page.getByRole('table', { name: 'Ports of xen1' });
  await expect(ports.locator('tr[data-port="eth1"]')).toContainText('bond0');
  await expect(ports.locator('tr[data-port="eth2"]')).toContainText('bond0');
  await expect(ports.locator('tr[data-port="eth3"]')).toContainText('Storage');
  await expect(ports.locator('tr[data-port="eth3"]')).toContainText('sw-b');
  await page.screenshot({ path: join(SCREENSHOTS, 'host-ports.png') });

  // The storage page shows the HA heartbeat and VM volumes with their sizes.
  await page.getByRole('link', { name: 'Storage targets' }).click();
  await expect(page.getByRole('table', { name: /ha-heartbeat$/ })).toContainText('10 GB');
  await expect(page.getByRole('table', { name: /vm-store$/ })).toContainText('1 TB');
});

test('reloading after the first choice goes straight to the inventory', async ({ page, app }) => {
  await page.goto(app.url);
  await page.getByRole('button', { name: 'Start empty' }).click();
  await expect(page.getByText('No devices yet.')).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Devices' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Welcome to Labwarden' })).toHaveCount(0);
});
