import { test, expect, SCREENSHOTS } from './fixtures';
import { join } from 'node:path';

const VM_STORE = 'iqn.2013-03.com.dlink:dns-1550-04.vm-store';

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
