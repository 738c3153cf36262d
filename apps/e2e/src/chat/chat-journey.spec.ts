import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  ApiServer,
  customerAsks,
  expectLiveVideo,
  expectText,
  launchPerson,
  type Person,
  repSignsIn,
  SHARED_SECRETS,
  startApiServer,
} from '@servicekit/tools/e2e-support';
import { seriousAxeViolations } from '../identity/identity-support';

/** Screenshots of the chat states, to look at (tmp/ is ignored by git). */
const SCREENS = join(__dirname, '../../../../tmp/screens');
const HTML_LOOKING = '<b>bold</b><img src=x onerror=alert(1)>';

/**
 * The chat of a call in real Chromium: a customer on a phone-sized page and a rep on a desktop-sized console,
 * each in their own browser process, in a live P2P video call, write to each other.
 */
describe('chat in a call, in real browsers', () => {
  let server: ApiServer;
  const people: Person[] = [];
  /** Dialogs any page opened: an `alert` would mean a message ran as HTML. */
  const dialogs: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENS, { recursive: true });
    server = await startApiServer({ ...SHARED_SECRETS, HELP_SESSION_RATE_LIMIT: '0', SIGN_IN_RATE_LIMIT: '0' });
  });

  afterAll(async () => {
    await Promise.all(people.splice(0).map((person) => person.close()));
    await server?.stop();
  });

  async function person(viewport: { width: number; height: number }): Promise<Person> {
    const launched = await launchPerson(viewport);
    launched.page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    people.push(launched);
    return launched;
  }

  const texts = (page: Page) => page.getByTestId('chat-text').allTextContents();
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: false });

  async function write(page: Page, text: string): Promise<void> {
    const input = page.getByTestId('chat-input');
    await input.fill(text);
    await input.press('Enter');
    await page.waitForFunction(() => (document.querySelector('[data-testid="chat-input"]') as HTMLTextAreaElement | null)?.value === '');
  }

  async function expectLastText(page: Page, text: string): Promise<void> {
    await page.waitForFunction(
      (expected) => {
        const all = document.querySelectorAll('[data-testid="chat-text"]');
        return all[all.length - 1]?.textContent === expected;
      },
      text,
      { timeout: 10_000 },
    );
  }

  it('should carry messages both ways, show HTML-looking text literally and mark what is unread', async () => {
    const customer = await person({ width: 375, height: 740 });
    const rep = await person({ width: 1280, height: 800 });
    await customerAsks(customer.page, server.url, 'Ada Chat', 'My router blinks red.');
    await customer.page.getByTestId('queue-position').waitFor();
    await repSignsIn(rep.page, server.url, 'Grace');
    await rep.page.getByTestId('next-customer').click();
    await expectLiveVideo(customer.page);
    await expectLiveVideo(rep.page);

    // The rep's console (desktop): the chat is open beside the call. The customer's phone: a button.
    await rep.page.getByTestId('chat-log').waitFor();
    expect(await customer.page.getByTestId('chat-toggle').getAttribute('aria-expanded')).toBe('false');
    await expect(customer.page.getByTestId('chat-log').isVisible()).resolves.toBe(false);

    // The rep writes first: the collapsed chat on the phone counts it as unread.
    await write(rep.page, 'Hello Ada, I can also type here if the sound is bad.');
    await expectText(customer.page.getByTestId('chat-unread'), '1 unread');
    await shot(customer.page, 'phone-375x740-chat-collapsed-unread');
    await shot(rep.page, 'desktop-1280x800-rep-chat-open');
    expect(await seriousAxeViolations(customer.page)).toEqual([]);
    expect(await seriousAxeViolations(rep.page)).toEqual([]);

    // The customer opens it (an overlay over the video), reads it, and answers with HTML-looking text.
    await customer.page.getByTestId('chat-toggle').click();
    await customer.page.getByTestId('chat-log').waitFor();
    await expect(customer.page.getByTestId('chat-unread').count()).resolves.toBe(0);
    expect(await texts(customer.page)).toEqual(['Hello Ada, I can also type here if the sound is bad.']);
    await write(customer.page, HTML_LOOKING);
    await expectLastText(rep.page, HTML_LOOKING);
    await expectLastText(customer.page, HTML_LOOKING);
    for (const page of [customer.page, rep.page]) {
      await expect(page.locator('[data-testid="chat-log"] b, [data-testid="chat-log"] img').count()).resolves.toBe(0);
    }
    // A link is shown as text: nothing is fetched for it.
    const fetched: string[] = [];
    rep.page.on('request', (request) => {
      if (request.url().includes('example.com')) fetched.push(request.url());
    });
    await write(customer.page, 'My order: https://example.com/orders/42');
    await expectLastText(rep.page, 'My order: https://example.com/orders/42');
    await expect(rep.page.locator('[data-testid="chat-log"] a').count()).resolves.toBe(0);
    await shot(customer.page, 'phone-375x740-chat-open');
    expect(await seriousAxeViolations(customer.page)).toEqual([]);

    // The rep collapses the panel: a message from the customer shows as unread there, until it is opened.
    await rep.page.getByTestId('chat-toggle').click();
    await write(customer.page, 'Are you still there?');
    await expectText(rep.page.getByTestId('chat-unread'), '1 unread');
    await shot(rep.page, 'desktop-1280x800-rep-chat-collapsed-unread');
    expect(await seriousAxeViolations(rep.page)).toEqual([]);
    await rep.page.getByTestId('chat-toggle').click();
    // Opening the panel reads the messages: the unread mark goes once the zoneless page has drawn it.
    await rep.page.getByTestId('chat-unread').waitFor({ state: 'detached' });
    await write(rep.page, 'Yes, still here.');
    await expectLastText(customer.page, 'Yes, still here.');

    expect(await texts(rep.page)).toEqual([
      'Hello Ada, I can also type here if the sound is bad.',
      HTML_LOOKING,
      'My order: https://example.com/orders/42',
      'Are you still there?',
      'Yes, still here.',
    ]);
    expect(await texts(customer.page)).toEqual(await texts(rep.page));
    const whos = await rep.page.locator('[data-testid="chat-message"] .who').allTextContents();
    expect(whos).toEqual(['You', 'Ada Chat', 'Ada Chat', 'Ada Chat', 'You']);
    expect(fetched).toEqual([]);
    expect(dialogs).toEqual([]);
  });
});
