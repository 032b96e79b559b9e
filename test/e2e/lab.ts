import { expect, type Page } from '@playwright/test';
import type { TopologyProbe } from '../../src-renderer/views/topology/graph';

/** What the page's global scope holds for these tests (the e2e code is type-checked without the DOM's types). */
type PageGlobals = { __labwardenTopology?: TopologyProbe; document: { documentElement: { scrollWidth: number; clientWidth: number } } };

/** From the first screen: open the demo lab and wait for its overview to list what the audit found. */
export async function openDemoOverview(page: Page, appUrl: string): Promise<void> {
  await page.goto(appUrl);
  await page.getByRole('button', { name: 'Open the demo lab' }).click();
  await expect(page.getByRole('heading', { name: 'Overview', exact: true })).toBeVisible();
  // The demo's peers answer within a few seconds; xen3's bond has lost a NIC on purpose.
  await expect(findingLine(page, 'bond.degraded:xen3:bond0')).toBeVisible({ timeout: 20_000 });
}

/** A finding's line on the overview, by its id. */
export const findingLine = (page: Page, id: string) => page.locator(`li[data-finding="${id}"]`);

/** The drawing's nodes, once cytoscape has drawn some (the view exposes `window.__labwardenTopology` for tests). */
export async function topologyNodes(page: Page) {
  await page.waitForFunction(() => {
    const probe = (globalThis as unknown as PageGlobals).__labwardenTopology;
    return probe?.ready === true && probe.nodes().length > 0;
  });
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__labwardenTopology!.nodes());
}

export const topologyEdges = (page: Page) => page.evaluate(() => (globalThis as unknown as PageGlobals).__labwardenTopology!.edges());
export const topologyViewport = (page: Page) => page.evaluate(() => (globalThis as unknown as PageGlobals).__labwardenTopology!.viewport());
export const topologyProbe = (page: Page) => page.evaluate(() => {
  const p = (globalThis as unknown as PageGlobals).__labwardenTopology!;
  return { layoutRuns: p.layoutRuns, lastLayout: p.lastLayout, firstLayout: p.firstLayout, saves: p.saves };
});
export const topologyTap = (page: Page, id: string) => page.evaluate((target) => (globalThis as unknown as PageGlobals).__labwardenTopology!.tap(target), id);
export const topologyDrag = (page: Page, id: string, x: number, y: number) =>
  page.evaluate(([target, tx, ty]) => (globalThis as unknown as PageGlobals).__labwardenTopology!.drag(target as string, tx as number, ty as number), [id, x, y] as const);

/** The page's width against the window's: wider means a page-wide horizontal scroll bar. */
export const pageWidths = (page: Page) =>
  page.evaluate(() => {
    const root = (globalThis as unknown as PageGlobals).document.documentElement;
    return { scroll: root.scrollWidth, client: root.clientWidth };
  });
