/**
 * The video bench (section `video` of npm run bench): in real Chromium, each person in their own browser
 * process, against the built API.
 * - Rep clicks Next Customer → first remote video frame on each side, 10 calls, direct and through a real
 *   coturn with the policy forced to `relay`. The calls are back to back: the next customer is already
 *   waiting, and the rep clicks Next Customer as soon as the previous call has ended.
 * - The customer reloads during a call → the first frame of the new video on each side, 5 times.
 * `videoBench()` returns the figures; sections/video.ts puts them in the table (BENCH_ONLY=video to run it alone).
 */
import { startCoturn } from '@servicekit/tools/testing';
import {
  customerAsks,
  drainQueue,
  expectLiveVideo,
  firstRemoteFrameAt,
  launchPerson,
  newStreamFrameAfter,
  type Person,
  repSignsIn,
  SHARED_SECRETS,
  startApiServer,
} from '@servicekit/tools/e2e-support';
import type { Page } from 'playwright-core';

/** How many calls and reloads to time: 10 and 5 in a full run (issue 12), fewer in BENCH_QUICK. */
export interface VideoSizes {
  calls: number;
  reloads: number;
}

export const FULL_VIDEO_SIZES: VideoSizes = { calls: 10, reloads: 5 };
const FRAME_TIMEOUT_MS = 20_000;

export const VIDEO_GOALS = { firstFrameDirectMs: 1500, firstFrameRelayMs: 2000, reloadBackMs: 5000 } as const;

export interface Spread {
  medianMs: number;
  maxMs: number;
  samples: number[];
}

export interface VideoFigures {
  direct: { customer: Spread; rep: Spread };
  relay: { customer: Spread; rep: Spread };
  reload: { customer: Spread; rep: Spread };
  goalsMet: { firstFrameDirect: boolean; firstFrameRelay: boolean; reloadBack: boolean };
}

function spread(samples: number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (index: number) => sorted[index] ?? Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? at(middle) : (at(middle - 1) + at(middle)) / 2;
  return { medianMs: median, maxMs: sorted[sorted.length - 1] ?? Number.NaN, samples };
}

/** Polls the page until `read` gives a time (a frame seen), or fails after the bound. */
async function frameTime(page: Page, read: () => Promise<number | null>, what: string): Promise<number> {
  const deadline = Date.now() + FRAME_TIMEOUT_MS;
  for (;;) {
    const at = await read();
    if (at !== null) return at;
    if (Date.now() > deadline) throw new Error(`No ${what} within ${FRAME_TIMEOUT_MS} ms.`);
    await page.waitForTimeout(20);
  }
}

async function endedOnBothSides(customer: Page, rep: Page): Promise<void> {
  await rep.getByRole('button', { name: 'End Call' }).click();
  await customer.getByTestId('end-message').waitFor();
  await rep.getByTestId('next-customer').waitFor();
}

/** Next Customer → first remote frame on each side, for back-to-back calls with two customers taking turns. */
async function firstFrames(base: string, calls: number): Promise<{ customer: number[]; rep: number[] }> {
  const people: Person[] = await Promise.all([launchPerson(), launchPerson(), launchPerson()]);
  const [rep, ...customers] = people as [Person, Person, Person];
  const figures = { customer: [] as number[], rep: [] as number[] };
  try {
    await repSignsIn(rep.page, base, 'Bench rep');
    let previous: Person | null = null;
    for (let i = 0; i < calls; i++) {
      const customer = i % 2 ? customers[1] : customers[0];
      await customerAsks(customer.page, base, `Bench customer ${i}`, 'Timing the first frame.');
      await customer.page.getByTestId('queue-position').waitFor();
      if (previous) await endedOnBothSides(previous.page, rep.page);
      await firstRemoteFrameAt(rep.page, { clear: true });
      const clickedAt = Date.now();
      await rep.page.getByTestId('next-customer').click();
      const [customerAt, repAt] = await Promise.all([
        frameTime(customer.page, () => firstRemoteFrameAt(customer.page), 'first frame on the customer side'),
        frameTime(rep.page, () => firstRemoteFrameAt(rep.page), 'first frame on the rep side'),
      ]);
      figures.customer.push(customerAt - clickedAt);
      figures.rep.push(repAt - clickedAt);
      console.error(`  call ${i + 1}/${calls}: customer ${customerAt - clickedAt} ms, rep ${repAt - clickedAt} ms`);
      previous = customer;
    }
    if (previous) await endedOnBothSides(previous.page, rep.page);
    return figures;
  } finally {
    await Promise.all(people.map((person) => person.close()));
  }
}

/** The customer reloads during a call → the first frame of the new video on each side. */
async function reloads(base: string, times: number): Promise<{ customer: number[]; rep: number[] }> {
  const [customer, rep] = await Promise.all([launchPerson(), launchPerson()]);
  const figures = { customer: [] as number[], rep: [] as number[] };
  try {
    await customerAsks(customer.page, base, 'Bench customer', 'Timing a reload.');
    await customer.page.getByTestId('queue-position').waitFor();
    await repSignsIn(rep.page, base, 'Bench rep');
    await rep.page.getByTestId('next-customer').click();
    await Promise.all([expectLiveVideo(customer.page), expectLiveVideo(rep.page)]);
    for (let i = 0; i < times; i++) {
      const reloadedAt = Date.now();
      await customer.page.reload();
      const [customerAt, repAt] = await Promise.all([
        frameTime(customer.page, () => newStreamFrameAfter(customer.page, reloadedAt), 'video on the reloaded customer page'),
        frameTime(rep.page, () => newStreamFrameAfter(rep.page, reloadedAt), "the customer's video back on the rep page"),
      ]);
      figures.customer.push(customerAt - reloadedAt);
      figures.rep.push(repAt - reloadedAt);
      console.error(`  reload ${i + 1}/${times}: customer ${customerAt - reloadedAt} ms, rep ${repAt - reloadedAt} ms`);
      await Promise.all([expectLiveVideo(customer.page), expectLiveVideo(rep.page)]);
    }
    await endedOnBothSides(customer.page, rep.page);
    return figures;
  } finally {
    await Promise.all([customer.close(), rep.close()]);
  }
}

export async function videoBench(sizes: VideoSizes = FULL_VIDEO_SIZES): Promise<VideoFigures> {
  const coturn = await startCoturn();
  const env = { ...SHARED_SECRETS, HELP_SESSION_RATE_LIMIT: '0', SIGN_IN_RATE_LIMIT: '0', NO_SHOW_MS: '20000' };
  const direct = await startApiServer(env);
  const relay = await startApiServer({ ...env, TURN_URLS: coturn.turnUrl, TURN_SECRET: coturn.secret, ICE_TRANSPORT_POLICY: 'relay' });
  try {
    console.error('video bench: direct calls');
    const directFrames = await firstFrames(direct.url, sizes.calls);
    await drainQueue(direct.url);
    console.error('video bench: calls through the relay');
    const relayFrames = await firstFrames(relay.url, sizes.calls);
    console.error('video bench: reloads');
    const reloadFrames = await reloads(direct.url, sizes.reloads);
    const figures = {
      direct: { customer: spread(directFrames.customer), rep: spread(directFrames.rep) },
      relay: { customer: spread(relayFrames.customer), rep: spread(relayFrames.rep) },
      reload: { customer: spread(reloadFrames.customer), rep: spread(reloadFrames.rep) },
    };
    const worst = (side: { customer: Spread; rep: Spread }, pick: (s: Spread) => number) => Math.max(pick(side.customer), pick(side.rep));
    return {
      ...figures,
      goalsMet: {
        firstFrameDirect: worst(figures.direct, (s) => s.maxMs) <= VIDEO_GOALS.firstFrameDirectMs,
        firstFrameRelay: worst(figures.relay, (s) => s.maxMs) <= VIDEO_GOALS.firstFrameRelayMs,
        reloadBack: worst(figures.reload, (s) => s.medianMs) <= VIDEO_GOALS.reloadBackMs,
      },
    };
  } finally {
    await Promise.all([direct.stop(), relay.stop()]);
    await coturn.stop();
  }
}
