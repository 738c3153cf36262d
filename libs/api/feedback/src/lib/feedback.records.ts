import { Injectable } from '@nestjs/common';
import { ServiceKitConfig } from '@servicekit/api/config';
import { CUSTOMER_TOKEN_TTL_SECONDS } from '@servicekit/api/rep-auth';
import { KeyValueStore } from '@servicekit/api/store';

const DAY_TTL = 30 * 24 * 60 * 60;
const RATINGS = [1, 2, 3, 4, 5] as const;
const MAX_COMMENTS_PER_DAY = 10_000;

/**
 * The store keys of feedback, and only these. Ratings are kept as per-day counters, comments in a per-day
 * list: neither holds the help session, the customer or the time of day, so no rating can be traced back.
 *   fb:s:{helpSessionId}    this help session has rated (the value is "1", never the rating); lives as long as
 *                           the help session's token could, so one rating per help session
 *   fb:d:{date}:r{1..5}     how many ratings of each value that day (30 days)
 *   fb:d:{date}:c:tail      counter of that day's comments
 *   fb:d:{date}:c:{n}       `{rating, comment}`: free text that may hold personal data, so it is deleted after
 *                           FEEDBACK_COMMENT_RETENTION_DAYS
 */
@Injectable()
export class FeedbackRecords {
  private readonly commentTtl: number;

  constructor(
    private readonly store: KeyValueStore,
    config: ServiceKitConfig,
  ) {
    this.commentTtl = config.feedbackCommentRetentionDays * 24 * 60 * 60;
  }

  /** True once per help session. */
  firstRating(helpSessionId: string): Promise<boolean> {
    return this.store.add(`fb:s:${helpSessionId}`, '1', CUSTOMER_TOKEN_TTL_SECONDS);
  }

  async rate(date: string, rating: number, comment: string | undefined): Promise<void> {
    await this.store.increment(`fb:d:${date}:r${rating}`, 1, { initial: 1, ttlSeconds: DAY_TTL });
    if (!comment) return;
    const n = await this.store.increment(`fb:d:${date}:c:tail`, 1, { initial: 1, ttlSeconds: this.commentTtl });
    if (n <= MAX_COMMENTS_PER_DAY) await this.store.set(`fb:d:${date}:c:${n}`, JSON.stringify({ rating, comment }), this.commentTtl);
  }

  /** How many ratings of 1, 2, 3, 4 and 5 that day. */
  async histogram(date: string): Promise<[number, number, number, number, number]> {
    const values = await Promise.all(RATINGS.map((r) => this.store.get(`fb:d:${date}:r${r}`)));
    const [a, b, c, d, e] = values.map((v) => Number(v ?? 0) || 0);
    return [a ?? 0, b ?? 0, c ?? 0, d ?? 0, e ?? 0];
  }

  async comments(date: string): Promise<{ rating: number; comment: string }[]> {
    const tail = Math.min(MAX_COMMENTS_PER_DAY, Number((await this.store.get(`fb:d:${date}:c:tail`)) ?? 0) || 0);
    const raw = await Promise.all(Array.from({ length: tail }, (_, i) => this.store.get(`fb:d:${date}:c:${i + 1}`)));
    return raw.flatMap((value) => {
      if (value === null) return [];
      try {
        const parsed = JSON.parse(value) as { rating?: unknown; comment?: unknown };
        return typeof parsed.rating === 'number' && typeof parsed.comment === 'string'
          ? [{ rating: parsed.rating, comment: parsed.comment }]
          : [];
      } catch {
        return [];
      }
    });
  }
}
