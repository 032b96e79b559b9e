import { test, expect, SCREENSHOTS } from './fixtures';
import { join } from 'node:path';

test('add a device, fix a bad address, edit it, give it a port, and delete it with a confirm that says what goes', async ({ page, app }) => {
  await page.goto(app.url);
  await page.getByRole('button', { name: 'Start empty' }).click();

  await page.getByRole('button', { name: 'Add device' }).click();
  const panel = page.getByRole('complementary', { name: 'Add a device' });
  await panel.getByLabel('Name').fill('core-sw');
  await panel.getByLabel('Kind').selectOption('switch');
  await panel.getByLabel('Management address').fill('10.0.0.256');
  await panel.getByRole('button', { name: 'Add device' }).click();

  // The message sits under the address field, and nothing was saved.
  const addressError = panel.locator('#device-address-error');
  await expect(addressError).toHaveText(/not a valid IPv4 address/);
  await expect(panel.getByLabel('Management address')).toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: join(SCREENSHOTS, 'validation-error.png') });

  await panel.getByLabel('Management address').fill('10.0.0.2');
  await panel.getByLabel('Vendor').fill('HP');
  await panel.getByLabel('Model').fill('ProCurve 2910al');
  await panel.getByRole('button', { name: 'Add device' }).click();
  await expect(panel).toHaveCount(0);
  const row = page.locator('tr[data-device="core-sw"]');
  await expect(row).toContainText('10.0.0.2');
  await expect(row).toContainText('HP ProCurve 2910al');

  // Edit: a new model shows in the list.
  await row.getByRole('button', { name: 'Edit core-sw' }).click();
  const edit = page.getByRole('complementary', { name: 'Edit core-sw' });
  await edit.getByLabel('Model').fill('ProCurve 2920-24G');
  await edit.getByLabel('Location').fill('Rack B, U1');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(row).toContainText('ProCurve 2920-24G');
  await expect(row).toContainText('Rack B, U1');

  // A port on its page.
  await row.getByRole('link', { name: 'core-sw' }).click();
  await page.getByRole('button', { name: 'Add port' }).click();
  const portPanel = page.getByRole('complementary', { name: 'Add a port to core-sw' });
  await portPanel.getByLabel('Name').fill('24');
  await portPanel.getByLabel('Role').selectOption('uplink');
  await portPanel.getByRole('button', { name: 'Add port' }).click();
  await expect(page.getByRole('table', { name: 'Ports of core-sw' }).locator('tr[data-port="24"]')).toContainText('Uplink');

  // Delete: the confirm names what goes along; Cancel keeps it, confirming removes it.
  await page.getByRole('button', { name: 'Delete device' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete core-sw?' });
  await expect(dialog).toContainText('also deletes 1 port');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('heading', { name: /core-sw/ })).toBeVisible();
  await page.getByRole('button', { name: 'Delete device' }).click();
  await page.getByRole('dialog', { name: 'Delete core-sw?' }).getByRole('button', { name: 'Delete core-sw' }).click();
  await expect(page.getByText('No devices yet.')).toBeVisible();
});

const LAB_YAML = `format: 1
name: Small lab
vlans:
  - {id: 20, name: iscsi, purpose: storage}
devices:
  - name: san1
    kind: iscsi-san
    address: 192.168.50.5
    ports:
      - {name: eth0, role: storage, untaggedVlan: 20}
  - name: sw1
    kind: switch
    address: sw1.lab.example
    ports:
      - {name: "7", role: storage, untaggedVlan: 20}
links:
  - {a: {device: san1, port: eth0}, b: {device: sw1, port: "7"}}
targets:
  - device: san1
    iqn: iqn.2024-01.example.lab:store
    portals: ["192.168.50.5:3260"]
    luns:
      - {lun: 0, name: store, size: 500 GB}
`;

test('import a YAML inventory: a bad file names its line and changes nothing; a good one replaces the inventory', async ({ page, app }) => {
  await page.goto(app.url);
  await page.getByRole('button', { name: 'Open the demo lab' }).click();
  await page.getByRole('link', { name: 'Devices', exact: true }).click();
  await expect(page.locator('tr[data-device="xen1"]')).toBeVisible();
  await page.getByRole('link', { name: 'Import / export' }).click();

  const bad = LAB_YAML.replace('address: 192.168.50.5', 'address: 192.168.50.500');
  await page.getByLabel('YAML inventory file').setInputFiles({ name: 'bad.yaml', mimeType: 'application/yaml', buffer: Buffer.from(bad) });
  const problems = page.locator('.problems');
  await expect(problems).toContainText('bad.yaml cannot be imported; nothing was changed');
  await expect(problems).toContainText('line 8, devices[0].address');
  await expect(page.getByRole('button', { name: 'Replace the inventory…' })).toHaveCount(0);

  await page.getByLabel('YAML inventory file').setInputFiles({ name: 'small-lab.yaml', mimeType: 'application/yaml', buffer: Buffer.from(LAB_YAML) });
  await expect(page.locator('.ok-text')).toContainText('small-lab.yaml is a valid inventory: 2 devices, 2 ports, 1 cable');
  await page.getByRole('button', { name: 'Replace the inventory…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Replace the inventory?' });
  await expect(confirm).toContainText('9 devices');
  await confirm.getByRole('button', { name: 'Replace inventory' }).click();

  await page.getByRole('link', { name: 'Devices' }).click();
  const devices = page.getByRole('table', { name: 'Devices' });
  await expect(devices.getByRole('row')).toHaveCount(3);
  await expect(page.locator('tr[data-device="sw1"]')).toContainText('sw1.lab.example');
  await page.getByRole('link', { name: 'Cables' }).click();
  await expect(page.getByRole('table', { name: 'Cables' })).toContainText('san1');
  await page.screenshot({ path: join(SCREENSHOTS, 'imported.png') });
});

test('a change made in one window shows in another without reloading', async ({ page, context, app }) => {
  await page.goto(app.url);
  await page.getByRole('button', { name: 'Open the demo lab' }).click();
  await page.getByRole('link', { name: 'Devices', exact: true }).click();
  await expect(page.locator('tr[data-device="sw-a"]')).toBeVisible();

  const other = await context.newPage();
  await other.goto(`${app.url}#/devices`);
  await expect(other.locator('tr[data-device="sw-a"]')).toBeVisible();

  await page.locator('tr[data-device="sw-a"]').getByRole('button', { name: 'Edit sw-a' }).click();
  const edit = page.getByRole('complementary', { name: 'Edit sw-a' });
  await edit.getByLabel('Location').fill('Rack C, U7');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(other.locator('tr[data-device="sw-a"]')).toContainText('Rack C, U7');
});
