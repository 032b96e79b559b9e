import { expect, type Page } from '@playwright/test';

export interface PoolForm {
  /** The inventory name, also the link on the Pools page. */
  name: string;
  /** The XAPI simulator's URL. */
  url: string;
  /** Left empty when not given: the form's default user (root) is used. */
  user?: string;
  password: string;
}

/**
 * From the first screen: start an empty inventory, add a XenServer pool through the device form as a user
 * would, and open its pool page. Stops once the page shows the pool's status, whatever it is.
 */
export async function addPoolInUi(page: Page, appUrl: string, pool: PoolForm): Promise<void> {
  await page.goto(appUrl);
  await page.getByRole('button', { name: 'Start empty' }).click();
  await page.getByRole('button', { name: 'Add device' }).click();
  const panel = page.getByRole('complementary', { name: 'Add a device' });
  await panel.getByLabel('Name').fill(pool.name);
  await panel.getByLabel('Kind').selectOption('xen-pool');
  await panel.getByLabel('Management address').fill('127.0.0.1');
  await panel.getByRole('checkbox', { name: 'XenAPI' }).check();
  await panel.getByLabel('URL').fill(pool.url);
  if (pool.user !== undefined) await panel.getByLabel('User').fill(pool.user);
  await panel.getByLabel('Password').fill(pool.password);
  await panel.getByRole('button', { name: 'Add device' }).click();
  await expect(panel).toHaveCount(0);
  await page.getByRole('link', { name: 'Pools' }).click();
  await page.getByRole('table', { name: 'XenServer pools' }).getByRole('link', { name: pool.name }).click();
  await expect(page.getByTestId('pool-status')).toBeVisible();
}
