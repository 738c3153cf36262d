import { join } from 'node:path';
import type { Locator } from 'playwright-core';

/** Where browser tests save their screenshots (tmp/ at the workspace root, ignored by git). */
export const SCREENSHOTS = join(__dirname, '../../../tmp/screenshots');

/** Waits until the locator shows the text (exact string or pattern). */
export async function expectText(locator: Locator, text: string | RegExp): Promise<void> {
  await locator.waitFor();
  await locator.page().waitForFunction(
    ([element, expected, isRegex]) => {
      const content = (element as HTMLElement).textContent ?? '';
      return isRegex ? new RegExp(expected as string, 'i').test(content) : content.includes(expected as string);
    },
    [await locator.elementHandle(), typeof text === 'string' ? text : text.source, typeof text !== 'string'] as const,
  );
}
