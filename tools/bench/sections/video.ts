import type { Skipped } from '../report';

/**
 * Video (rep click → first remote frame on each side, back-to-back calls): the hook for the video bench being
 * written on branch `video`; until it is merged this section only says so.
 */
export async function videoSection(): Promise<Skipped> {
  return { section: 'video', reason: 'not measured yet: the video bench (branch video) is not merged; this section is its hook' };
}
