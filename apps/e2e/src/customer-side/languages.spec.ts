import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { waitFor } from '@servicekit/tools/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiServer, expectText, launchChromium, SCREENSHOTS, SHARED_SECRETS, startApiServer } from '@servicekit/tools/e2e-support';

const SIZES = { phone: { width: 375, height: 740 }, desktop: { width: 1280, height: 800 } } as const;
/** What may stay in Latin letters on an Arabic page: the brand, the languages' own names, the example address. */
const ALLOWED_LATIN = ['Service Kit', 'English', 'Deutsch', 'name@example.com'];
/** Axe's serious and critical findings per page state, printed at the end for the report. */
const axeCounts: Record<string, number> = {};

async function look(page: Page, state: string): Promise<void> {
  // Screenshots of every page state, to look at (tmp/ is git-ignored).
  await page.screenshot({ path: join(SCREENSHOTS, `languages-${state}.png`), fullPage: true });
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  axeCounts[state] = serious.length;
  expect(serious).toEqual([]);
}

/** Every text a person sees or hears: visible text nodes, aria-labels, placeholders, titles, alt texts and the tab title. */
function shownTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const texts: string[] = [document.title];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement;
      const text = node.textContent?.trim() ?? '';
      if (!element || !text || element.closest('script, style')) continue;
      const style = getComputedStyle(element);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      texts.push(text);
    }
    for (const element of Array.from(document.querySelectorAll('[aria-label], [placeholder], [title], [alt]'))) {
      for (const attribute of ['aria-label', 'placeholder', 'title', 'alt']) {
        const value = element.getAttribute(attribute)?.trim();
        if (value) texts.push(value);
      }
    }
    return texts;
  });
}

/** The English (any Latin) words left in the page, after taking out what is allowed. */
async function latinWords(page: Page): Promise<string[]> {
  const words: string[] = [];
  for (let text of await shownTexts(page)) {
    for (const allowed of ALLOWED_LATIN) text = text.split(allowed).join(' ');
    words.push(...(text.match(/[A-Za-z]{2,}/g) ?? []));
  }
  return words;
}

async function direction(page: Page): Promise<{ lang: string; dir: string; computed: string }> {
  return page.evaluate(() => ({
    lang: document.documentElement.lang,
    dir: document.documentElement.dir,
    computed: getComputedStyle(document.body).direction,
  }));
}

/** The landing page once it has said who is available. */
async function landing(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await waitFor(async () => (await page.locator('[data-availability]').getAttribute('data-availability')) !== null, {
    message: 'the landing page shows the service status',
  });
}

describe('the customer app in Arabic and German, and the language switcher', () => {
  let server: ApiServer;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    server = await startApiServer({ ...SHARED_SECRETS, HELP_SESSION_RATE_LIMIT: '0' });
  });

  afterAll(async () => {
    // eslint-disable-next-line no-console
    console.log(`axe serious/critical per page state: ${JSON.stringify(axeCounts)}`);
    await browser?.close();
    await server?.stop();
  });

  const newContext = (viewport: { width: number; height: number }, locale: string): Promise<BrowserContext> =>
    browser.newContext({ viewport, locale, timezoneId: 'Asia/Riyadh' });

  it.each(Object.entries(SIZES))('should show the Arabic landing page right-to-left with no English word (%s)', async (size, viewport) => {
    const context = await newContext(viewport, 'ar-SA');
    const page = await context.newPage();
    await landing(page, `${server.url}/`);
    expect(await direction(page)).toEqual({ lang: 'ar', dir: 'rtl', computed: 'rtl' });
    await expectText(page.locator('h1'), 'هل تحتاج إلى مساعدة؟');
    expect(await latinWords(page)).toEqual([]);
    await waitFor(async () => (await page.title()) === 'Service Kit — خدمة العملاء', { message: 'the Arabic tab title' });
    // Right-to-left for real: the heading's text starts at the right edge of its box.
    const align = await page.locator('.sk-header').evaluate((header) => {
      const brand = header.querySelector('.sk-brand')?.getBoundingClientRect();
      return brand ? header.getBoundingClientRect().right - brand.right : -1;
    });
    expect(align).toBeLessThan(40);
    await look(page, `ar-landing-${size}`);
    await context.close();
  });

  it.each(Object.entries(SIZES))('should show the Arabic forms and their validation with no English word (%s)', async (size, viewport) => {
    const context = await newContext(viewport, 'ar');
    const page = await context.newPage();
    await page.goto(`${server.url}/help`);
    await page.getByTestId('request-rep').click();
    await expectText(page.getByTestId('customer-name-error'), 'اسمك مطلوب.');
    await expectText(page.getByTestId('problem-text-error'), 'وصف مشكلتك مطلوب.');
    expect(await direction(page)).toEqual({ lang: 'ar', dir: 'rtl', computed: 'rtl' });
    expect(await latinWords(page)).toEqual([]);
    await look(page, `ar-form-${size}`);

    await page.goto(`${server.url}/callback`);
    await page.locator('#callback-name').fill('سارة');
    await page.locator('#callback-problem').fill('لا يعمل الموجّه.');
    await page.locator('#callback-phone').fill('12');
    await page.getByTestId('send-callback').click();
    await expectText(page.getByTestId('callback-phone-error'), 'يجب أن يتكون رقم الهاتف من أرقام');
    await page.locator('#callback-phone').fill('');
    await page.locator('#callback-email').fill('not-an-address');
    await page.getByTestId('send-callback').click();
    await expectText(page.getByTestId('callback-email-error'), 'name@example.com');
    await page.locator('#callback-email').fill('');
    await page.getByTestId('send-callback').click();
    await expectText(page.getByTestId('callback-contact-error'), 'أدخل رقم هاتف');
    expect(await latinWords(page)).toEqual([]);
    await look(page, `ar-callback-form-${size}`);
    await context.close();
  });

  it('should show German from the browser languages', async () => {
    const context = await newContext(SIZES.desktop, 'de-DE');
    const page = await context.newPage();
    await landing(page, `${server.url}/`);
    expect(await direction(page)).toEqual({ lang: 'de', dir: 'ltr', computed: 'ltr' });
    await expectText(page.locator('h1'), 'Brauchen Sie Hilfe?');
    await expectText(page.getByTestId('leave-callback'), 'Rückruf erbitten');
    await page.goto(`${server.url}/help`);
    await expectText(page.locator('label[for="customer-name"]'), 'Ihr Name');
    await expectText(page.getByTestId('request-rep'), 'Mitarbeiter anfordern');
    await page.getByTestId('request-rep').click();
    await expectText(page.getByTestId('customer-name-error'), 'Bitte geben Sie Ihren Namen an.');
    await expectText(page.locator('#customer-name-hint'), '0 / 50 Zeichen');
    await look(page, 'de-form-desktop');
    await context.close();
  });

  it('should switch the language by keyboard, remember it, and let ?lang= choose for the widget', async () => {
    const context = await newContext(SIZES.phone, 'en-GB');
    const page = await context.newPage();
    await landing(page, `${server.url}/`);
    expect(await direction(page)).toEqual({ lang: 'en', dir: 'ltr', computed: 'ltr' });
    await expectText(page.locator('h1'), 'Need a hand?');
    // Tab to the switcher (it is labelled), then choose German with the arrow key.
    await waitFor(
      async () => {
        await page.keyboard.press('Tab');
        return page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'language-switcher');
      },
      { message: 'the switcher is reached with Tab' },
    );
    expect(await page.getByLabel('Language').getAttribute('data-testid')).toBe('language-switcher');
    await page.keyboard.press('ArrowDown');
    await expectText(page.locator('h1'), 'Brauchen Sie Hilfe?');
    expect(await direction(page)).toEqual({ lang: 'de', dir: 'ltr', computed: 'ltr' });
    expect(await page.evaluate(() => localStorage.getItem('sk.language'))).toBe('de');
    await look(page, 'de-switched-phone');

    // Remembered on the next visit, over the browser's English.
    const again = await context.newPage();
    await landing(again, `${server.url}/`);
    await expectText(again.locator('h1'), 'Brauchen Sie Hilfe?');

    // The widget passes the host page's language, which wins.
    await landing(again, `${server.url}/?lang=ar`);
    expect(await direction(again)).toEqual({ lang: 'ar', dir: 'rtl', computed: 'rtl' });
    await expectText(again.locator('h1'), 'هل تحتاج إلى مساعدة؟');
    await context.close();
  });
});
