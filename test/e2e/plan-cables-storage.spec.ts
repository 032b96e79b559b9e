import { test, expect } from './fixtures';

test('plan a VLAN, cable two ports, add a target with a LUN, then remove each with a confirm', async ({ page, app }) => {
  await page.goto(app.url);
  await page.getByRole('button', { name: 'Start empty' }).click();
  const nav = page.getByRole('navigation', { name: 'Main' });

  // VLAN plan: a bad tag is refused under its field, a good one is listed.
  await nav.getByRole('link', { name: 'VLAN plan' }).click();
  await page.getByRole('button', { name: 'Add VLAN' }).click();
  let panel = page.getByRole('complementary', { name: 'Add a VLAN' });
  await panel.getByLabel('Tag').fill('5000');
  await panel.getByLabel('Name').fill('iscsi');
  await panel.getByLabel('Purpose').selectOption('storage');
  await panel.getByRole('button', { name: 'Add VLAN' }).click();
  await expect(panel.locator('#vlan-id-error')).toHaveText(/1–4094/);
  await panel.getByLabel('Tag').fill('20');
  await panel.getByRole('button', { name: 'Add VLAN' }).click();
  await expect(page.getByRole('table', { name: 'VLAN plan' })).toContainText('iscsi');

  // Two devices through the device form, a port on each.
  for (const [name, kind, address, port] of [
    ['san1', 'iscsi-san', '10.9.0.5', 'eth0'],
    ['sw1', 'switch', '10.9.0.2', '7'],
  ] as const) {
    await nav.getByRole('link', { name: 'Devices' }).click();
    await page.getByRole('button', { name: 'Add device' }).click();
    panel = page.getByRole('complementary', { name: 'Add a device' });
    await panel.getByLabel('Name').fill(name);
    await panel.getByLabel('Kind').selectOption(kind);
    await panel.getByLabel('Management address').fill(address);
    await panel.getByRole('button', { name: 'Add device' }).click();
    await page.locator(`tr[data-device="${name}"]`).getByRole('link', { name }).click();
    await page.getByRole('button', { name: 'Add port' }).click();
    panel = page.getByRole('complementary', { name: `Add a port to ${name}` });
    await panel.getByLabel('Name').fill(port);
    await panel.getByLabel('Role').selectOption('storage');
    await panel.getByLabel('Untagged VLAN (PVID)').selectOption('20');
    await panel.getByRole('button', { name: 'Add port' }).click();
    await expect(page.locator(`tr[data-port="${port}"]`)).toContainText('20');
  }

  // Cable sw1 7 to san1 eth0 from the port's own row; the other end shows it.
  await page.getByRole('button', { name: 'Cable 7' }).click();
  panel = page.getByRole('complementary', { name: 'Add a cable' });
  await panel.locator('#link-b-device').selectOption({ label: 'san1' });
  await panel.locator('#link-b-port').selectOption({ label: 'eth0' });
  await panel.getByRole('button', { name: 'Add cable' }).click();
  await expect(page.locator('tr[data-port="7"]')).toContainText('san1');
  await nav.getByRole('link', { name: 'Cables' }).click();
  await expect(page.getByRole('table', { name: 'Cables' })).toContainText('eth0');

  // A target: a wrong IQN is named; a right one lists its LUN with its size.
  await nav.getByRole('link', { name: 'Storage targets' }).click();
  await page.getByRole('button', { name: 'Add target' }).click();
  panel = page.getByRole('complementary', { name: 'Add an iSCSI target' });
  await panel.getByLabel('Served by').selectOption({ label: 'san1' });
  await panel.getByLabel('IQN').fill('not-an-iqn');
  await panel.locator('#portal-0-address').fill('10.9.20.5');
  await panel.getByRole('button', { name: '+ Add LUN' }).click();
  await panel.locator('#lun-0-name').fill('vm-store');
  await panel.locator('#lun-0-size').fill('1');
  await panel.getByLabel('Unit of LUN 0 size').selectOption('TB');
  await panel.getByRole('button', { name: 'Add target' }).click();
  await expect(panel.locator('#target-iqn-error')).toHaveText(/not an iSCSI name/);
  await panel.getByLabel('IQN').fill('iqn.2024-01.example.lab:vm-store');
  await panel.getByRole('button', { name: 'Add target' }).click();
  const luns = page.getByRole('table', { name: 'LUNs of iqn.2024-01.example.lab:vm-store' });
  await expect(luns).toContainText('1 TB');

  // Deleting the VLAN says which ports lose it; the cable goes with a confirm that names both ends.
  await nav.getByRole('link', { name: 'VLAN plan' }).click();
  await page.getByRole('button', { name: 'Delete VLAN 20' }).click();
  const vlanDialog = page.getByRole('dialog', { name: 'Delete VLAN 20 (iscsi)?' });
  await expect(vlanDialog).toContainText('2 ports where it is untagged');
  await vlanDialog.getByRole('button', { name: 'Delete VLAN 20' }).click();
  await expect(page.getByText('No VLANs planned.')).toBeVisible();

  await nav.getByRole('link', { name: 'Cables' }).click();
  await page.getByRole('button', { name: 'Remove' }).click();
  const cableDialog = page.getByRole('dialog', { name: 'Remove this cable?' });
  await expect(cableDialog).toContainText('sw1 7');
  await expect(cableDialog).toContainText('san1 eth0');
  await cableDialog.getByRole('button', { name: 'Remove cable' }).click();
  await expect(page.getByText('No cables yet.')).toBeVisible();
});
