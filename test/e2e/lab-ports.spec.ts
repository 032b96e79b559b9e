import { test, expect } from './fixtures';
import { findingLine, openDemoOverview } from './lab';

test('Ports: a link opens it filtered; the link LLDP found becomes a cable after a confirm that says what it replaces; unplanned ports are adopted', async ({ page, app }) => {
  await openDemoOverview(page, app.url);
  await expect(findingLine(page, 'link.conflict:sw-a:24')).toBeVisible({ timeout: 20_000 });

  // Filters in the address: xen2's ports whose worst finding is an error — eth2, where VLAN 101 is missing at sw-b.
  await page.goto(`${app.url}#/ports?device=xen2&severity=error`);
  await expect(page.getByTestId('filter-device')).toHaveValue('xen2');
  const rows = page.locator('tr.port-line');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-port', 'xen2:eth2');
  await expect(rows.first().locator('[data-cell="vlans"]')).toHaveClass(/mismatch/);
  // A filter changed in the view shows in the address, so the link can be shared.
  await page.getByTestId('filter-severity').selectOption('');
  await expect(page).toHaveURL(/#\/ports\?device=xen2$/);
  await expect(page.locator('tr[data-group="xen2:bond0"]')).toContainText('eth1 up');

  // The one link discovery found that the inventory lacks: sw-a:24 ↔ sw-b:eth1/0/23 by LLDP.
  await page.goto(`${app.url}#/overview`);
  await page.getByTestId('discovered-links').click();
  await expect(page).toHaveURL(/#\/ports\?discovered=1$/);
  await expect(rows).toHaveCount(2);
  const uplink = page.locator('tr[data-port="sw-a:24"]');
  await expect(uplink.getByTestId('conflict-sw-a:24')).toContainText('sw-b:eth1/0/24');
  await uplink.getByRole('button', { name: 'Accept as cable' }).click();
  const confirm = page.getByRole('dialog', { name: 'Replace the cable with the one discovered?' });
  await expect(confirm).toContainText('Record in the inventory that sw-a 24 is cabled to sw-b eth1/0/23, as LLDP found.');
  await expect(confirm).toContainText('It replaces the cable sw-a 24 ↔ sw-b eth1/0/24');
  await expect(confirm).toContainText('It adds port sw-b eth1/0/23 to the inventory');
  await confirm.getByRole('button', { name: 'Replace 1 cable' }).click();
  await expect(page.getByText('Recorded the cable sw-a 24 ↔ sw-b eth1/0/23, replacing 1 cable, adding 1 port.')).toBeVisible();
  await expect(rows).toHaveCount(0);
  await expect(page.getByText('No port matches the filters.')).toBeVisible();

  // sw-b reports ports the inventory does not plan: adopt them.
  await page.goto(`${app.url}#/ports?device=sw-b`);
  const adopt = page.getByTestId('adopt-ports-sw-b');
  await expect(adopt).toContainText('unplanned ports');
  await adopt.click();
  const ask = page.getByRole('dialog', { name: "Add sw-b's ports to the inventory?" });
  await ask.getByRole('button', { name: /^Add \d+ ports$/ }).click();
  await expect(page.getByText(/^Added \d+ ports of sw-b to the inventory\.$/)).toBeVisible();
  await expect(page.getByTestId('adopt-ports-sw-b')).toHaveCount(0);
  await expect(page.locator('tr[data-port="sw-b:eth1/0/9"]')).not.toContainText('not in inventory');
});
