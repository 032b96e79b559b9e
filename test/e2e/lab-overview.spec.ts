import { test, expect, SCREENSHOTS } from './fixtures';
import { join } from 'node:path';
import { findingLine, openDemoOverview, pageWidths, topologyEdges, topologyNodes, topologyTap, topologyViewport } from './lab';

test("the overview's finding leads to its port's row and to the device drawn on the topology", async ({ page, app }) => {
  await openDemoOverview(page, app.url);
  // The switches' first SNMP polls bring the rest: the VLAN missing on sw-b, the uplink LLDP hears elsewhere.
  await expect(findingLine(page, 'link.conflict:sw-a:24')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('count-error')).toContainText('2 errors');
  await expect(page.getByTestId('health-sw-a')).toHaveText('up');
  await expect(page.getByTestId('score-xen3')).toContainText('0 of 6 roles survive any one failure');
  await expect(page.getByTestId('replication-syno-dr')).toContainText('30 h old');
  await expect(page.getByTestId('discovered-links')).toContainText('1 link discovered');

  // The line opens to its explanation, evidence and Accept.
  const line = findingLine(page, 'bond.degraded:xen3:bond0');
  await expect(line).toContainText("xen3's bond0 has 1 of 2 links up");
  await line.getByRole('button', { name: /xen3's bond0/ }).click();
  await expect(line).toContainText('PIF_metrics carrier = false');
  await expect(line.getByRole('button', { name: 'Accept…' })).toBeVisible();

  // Its port → the Ports view filtered to that port: down, the bond cell lit, the finding linked back.
  await line.getByRole('link', { name: 'sw-b eth1/0/7' }).click();
  await expect(page).toHaveURL(/#\/ports\?port=sw-b%3Aeth1%2F0%2F7$/);
  const row = page.locator('tr[data-port="sw-b:eth1/0/7"]');
  await expect(page.locator('tr.port-line')).toHaveCount(1);
  await expect(row).toHaveAttribute('data-state', 'down');
  await expect(row.locator('[data-cell="aggregate"]')).toHaveClass(/mismatch/);
  await expect(row).toContainText('xen3 eth2');
  await expect(row.getByTestId('source-sw-b:eth1/0/7')).toHaveText('cable');
  await expect(row.getByRole('link', { name: /xen3's bond0 has 1 of 2 links up/ })).toHaveAttribute('href', '#/overview?finding=bond.degraded%3Axen3%3Abond0');

  // The topology draws xen3 inside its pool, its cable to sw-b down.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Topology' }).click();
  const nodes = await topologyNodes(page);
  const xen3 = nodes.find((n) => n.id === 'xen3')!;
  expect(xen3).toMatchObject({ parent: 'hp-pool', kind: 'xen-host', severity: 'error', visible: true });
  const viewport = await topologyViewport(page);
  expect(xen3.box.x1).toBeGreaterThanOrEqual(0);
  expect(xen3.box.x2).toBeLessThanOrEqual(viewport.width);
  expect(xen3.box.y2).toBeLessThanOrEqual(viewport.height);
  const edges = await topologyEdges(page);
  expect(edges.find((e) => e.source === 'xen3' && e.target === 'sw-b' && e.state === 'down')).toBeTruthy();
  expect(edges.find((e) => e.state === 'conflict')).toBeTruthy(); // sw-a:24's cable vs what LLDP hears

  // Selecting it says so in words, and offers what-if with it preselected.
  await topologyTap(page, 'xen3');
  const detail = page.getByTestId('topology-detail');
  await expect(detail).toContainText('xen3');
  await detail.getByTestId('whatif-link').click();
  await expect(page).toHaveURL(/#\/whatif\?remove=xen3$/);
  await expect(page.getByTestId('pick-xen3')).toBeChecked();
  await expect(page.getByTestId('lost-host')).toContainText('xen3 is down');
});

test("what if sw-a failed: xen1–xen4 lose management, each with its reason; a second pick adds to the question", async ({ page, app }) => {
  await openDemoOverview(page, app.url);
  await page.goto(`${app.url}#/whatif?remove=sw-a`);
  await expect(page.getByTestId('pick-sw-a')).toBeChecked();
  const management = page.getByTestId('lost-management');
  for (const host of ['xen1', 'xen2', 'xen3', 'xen4']) {
    await expect(management.locator(`li[data-host="${host}"]`)).toContainText(`${host} loses management`);
    await expect(management.locator(`li[data-host="${host}"]`)).toContainText('eth0 ran through switch sw-a');
  }
  await expect(page.getByTestId('new-findings')).toContainText("xen1's bond0 has 1 of 2 links up");

  // sw-b too: the storage NICs' switch, so every SR loses its only path.
  await page.getByTestId('pick-sw-b').check();
  await expect(page).toHaveURL(/remove=sw-a&remove=sw-b$/);
  await expect(page.getByTestId('lost-sr')).toContainText('xen1 loses VM store');

  // Nothing lost: a port nothing depends on.
  await page.goto(`${app.url}#/whatif?remove=sw-a:9`);
  await expect(page.getByTestId('nothing-lost')).toBeVisible();
});

test('an address that leads nowhere shows "not found" with a way back, never another page', async ({ page, app }) => {
  await openDemoOverview(page, app.url);
  for (const address of ['#/nonsense', '#/devices/99999', '#/devices/abc', '#/ports/extra', '#/pools/99999', '#/pools/99999/storage', '#/switches/99999']) {
    await page.goto(`${app.url}${address}`);
    await expect(page.getByTestId('not-found')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Overview', exact: true })).toHaveCount(0);
  }
  await page.getByTestId('not-found').getByRole('link', { name: 'Overview' }).click();
  await expect(page.getByRole('heading', { name: 'Overview', exact: true })).toBeVisible();
});

test('the four screens at 1024 px and 1440 px: no page-wide horizontal scroll', async ({ page, app }) => {
  await openDemoOverview(page, app.url);
  for (const width of [1024, 1440]) {
    await page.setViewportSize({ width, height: 900 });
    for (const [hash, name] of [['#/overview', 'overview'], ['#/ports', 'ports'], ['#/topology', 'topology'], ['#/whatif?remove=sw-a', 'whatif']] as const) {
      await page.goto(`${app.url}${hash}`);
      if (name === 'topology') await topologyNodes(page);
      else if (name === 'whatif') await expect(page.getByTestId('lost-management')).toBeVisible();
      else await expect(page.locator(name === 'ports' ? 'tr.port-line' : 'li.finding').first()).toBeVisible();
      const { scroll, client } = await pageWidths(page);
      expect(scroll, `${hash} at ${width} px`).toBeLessThanOrEqual(client);
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`) });
    }
  }
});
