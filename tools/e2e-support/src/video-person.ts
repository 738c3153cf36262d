import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { TEST_PASSCODE } from './api-client';
import { launchChromium } from './browser';

/**
 * Browser steps of the video tests and the video bench. Each person gets their own Chromium process (two contexts of one browser
 * share one fake camera). Every page is instrumented before its scripts run: the peer connections it makes
 * are kept on `window.__peerConnections` (to read `getStats()` from outside), and the first frame of each
 * remote video is timed on `window.__firstRemoteFrameAt`, and of each remote stream on `window.__streamFirstFrames`
 * (wall clock, for the bench).
 */
export interface Person {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

const INSTRUMENT = () => {
  const w = window as unknown as {
    __peerConnections: RTCPeerConnection[];
    __firstRemoteFrameAt: number | null;
    __streamFirstFrames: { id: string; at: number }[];
  };
  w.__peerConnections = [];
  w.__firstRemoteFrameAt = null;
  w.__streamFirstFrames = [];
  const Original = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Original {
    constructor(config?: RTCConfiguration) {
      super(config);
      w.__peerConnections.push(this);
    }
  } as typeof RTCPeerConnection;
  const watch = (video: HTMLVideoElement) => {
    if ((video as unknown as { __watched?: boolean }).__watched) return;
    (video as unknown as { __watched?: boolean }).__watched = true;
    const onFrame = () => {
      if (w.__firstRemoteFrameAt === null && video.videoWidth > 0) w.__firstRemoteFrameAt = Date.now();
      const stream = video.srcObject as MediaStream | null;
      if (stream && video.videoWidth > 0 && !w.__streamFirstFrames.some((frame) => frame.id === stream.id)) {
        w.__streamFirstFrames.push({ id: stream.id, at: Date.now() });
      }
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  };
  new MutationObserver(() => document.querySelectorAll<HTMLVideoElement>('vc-remote-video video').forEach(watch)).observe(document, {
    childList: true,
    subtree: true,
  });
};

export async function launchPerson(viewport = { width: 1100, height: 800 }, extraArgs: string[] = []): Promise<Person> {
  const browser = await launchChromium({ extraArgs });
  const context = await browser.newContext({ viewport });
  await context.addInitScript(INSTRUMENT);
  const page = await context.newPage();
  return { browser, context, page, close: () => browser.close() };
}

/** When the page showed its first remote video frame (wall clock ms), or null; `clear` starts timing afresh. */
export async function firstRemoteFrameAt(page: Page, { clear = false } = {}): Promise<number | null> {
  return page.evaluate((reset) => {
    const w = window as unknown as { __firstRemoteFrameAt: number | null };
    const at = w.__firstRemoteFrameAt;
    if (reset) w.__firstRemoteFrameAt = null;
    return at;
  }, clear);
}

/**
 * When the page showed the first frame of a remote stream it had not shown before `since` (wall clock ms), or
 * null: the video coming back after a reload, on either side.
 */
export async function newStreamFrameAfter(page: Page, since: number): Promise<number | null> {
  return page.evaluate((after) => {
    const frames = (window as unknown as { __streamFirstFrames: { id: string; at: number }[] }).__streamFirstFrames;
    return frames.find((frame) => frame.at >= after)?.at ?? null;
  }, since);
}

/** Fills the form and requests a rep; resolves once the pre-call check has an outcome. */
export async function customerAsks(page: Page, base: string, name: string, problem: string): Promise<void> {
  await page.goto(`${base}/help`);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('What do you need help with?').fill(problem);
  await page.getByRole('button', { name: 'Request a Representative' }).click();
  await page.locator('[data-testid="precall-result"]:not([data-outcome="checking"])').waitFor({ timeout: 20_000 });
}

/** Signs in and waits for the pre-call check's outcome; `start` goes on to take customers. */
export async function repSignsIn(page: Page, base: string, name: string, { start = true } = {}): Promise<void> {
  await page.goto(`${base}/rep/`);
  await page.getByTestId('rep-name').fill(name);
  await page.getByTestId('rep-passcode').fill(TEST_PASSCODE);
  await page.getByTestId('rep-sign-in').click();
  await page.locator('[data-testid="precall-result"]:not([data-outcome="checking"])').waitFor({ timeout: 20_000 });
  if (!start) return;
  await page.getByTestId('rep-devices-ok').click();
  await page.getByTestId('next-customer').waitFor();
}

export async function outcomeOf(page: Page): Promise<string | null> {
  return page.getByTestId('precall-result').getAttribute('data-outcome');
}

/** The remote video plays real frames: it has a size and its time advances (in a page, or in the widget's frame). */
export async function expectLiveVideo(where: Page | Frame, timeoutMs = 20_000): Promise<void> {
  const selector = 'vc-remote-video video';
  await where.waitForFunction(
    (s) => {
      const video = document.querySelector(s) as HTMLVideoElement | null;
      return !!video && video.videoWidth > 0 && video.currentTime > 0;
    },
    selector,
    { timeout: timeoutMs },
  );
  const first = await where.evaluate((s) => (document.querySelector(s) as HTMLVideoElement).currentTime, selector);
  await where.waitForFunction(
    ([s, t]) => (document.querySelector(s as string) as HTMLVideoElement).currentTime > (t as number),
    [selector, first] as const,
    { timeout: timeoutMs },
  );
}

export interface SelectedPair {
  local: string;
  remote: string;
  protocol: string;
}

/** The candidate types of the selected pair of each connected peer connection of the page (getStats()). */
export async function selectedPairs(page: Page): Promise<SelectedPair[]> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections.filter(
      (pc) => pc.connectionState === 'connected',
    );
    const pairs: { local: string; remote: string; protocol: string }[] = [];
    for (const pc of pcs) {
      const stats: (Record<string, unknown> & { type: string; id: string })[] = [];
      (await pc.getStats()).forEach((entry: Record<string, unknown> & { type: string; id: string }) => stats.push(entry));
      const transport = stats.find((s) => s.type === 'transport' && s['selectedCandidatePairId']);
      const pair = stats.find((s) => s.id === transport?.['selectedCandidatePairId']);
      const local = stats.find((s) => s.id === pair?.['localCandidateId']);
      const remote = stats.find((s) => s.id === pair?.['remoteCandidateId']);
      pairs.push({
        local: String(local?.['candidateType']),
        remote: String(remote?.['candidateType']),
        protocol: String(local?.['protocol']),
      });
    }
    return pairs;
  });
}

/** The match id a page shows its call for (data-match-id of the call section). */
export async function matchIdOf(page: Page): Promise<string | null> {
  return page.locator('[data-match-id]').first().getAttribute('data-match-id');
}
