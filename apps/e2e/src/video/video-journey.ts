import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from 'playwright-core';

/** Assertions of the video browser tests; the browser steps are in @servicekit/tools/e2e-support (shared with the bench). */
export {
  customerAsks,
  expectLiveVideo,
  expectText,
  firstRemoteFrameAt,
  launchPerson,
  matchIdOf,
  outcomeOf,
  repSignsIn,
  selectedPairs,
  type Person,
  type SelectedPair,
} from '@servicekit/tools/e2e-support';

/** No serious or critical accessibility violation (axe-core) on the page as it is now. */
export async function expectAccessible(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(
    bad.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`),
  ).toEqual([]);
}

/** The element is entirely inside the viewport: seen and reached without scrolling. */
export async function expectInView(page: Page, element: Locator): Promise<void> {
  const box = await element.boundingBox();
  const viewport = page.viewportSize();
  if (!box || !viewport) throw new Error('The element is not on the page, or the page has no viewport.');
  const inside = box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height;
  expect(inside ? 'in view' : `out of view: ${JSON.stringify(box)} in ${viewport.width} × ${viewport.height}`).toBe('in view');
}
