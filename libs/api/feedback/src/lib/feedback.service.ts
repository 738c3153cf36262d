import { Injectable } from '@nestjs/common';
import { ServiceKitConfig } from '@servicekit/api/config';
import { DomainError } from '@servicekit/api/errors';
import { HelpSessionService } from '@servicekit/api/help-session';
import { OpeningHours } from '@servicekit/api/hours';
import { ServiceKitMetrics } from '@servicekit/api/metrics';
import type { FeedbackDay, OpsFeedbackResponse } from '@servicekit/contracts';
import { DateTime } from 'luxon';
import { FeedbackRecords } from './feedback.records';

export class NoCallError extends DomainError {
  readonly code = 'no_call';

  constructor() {
    super('Feedback can be given after a call with a representative; this help session had none.');
  }
}

export class AlreadyRatedError extends DomainError {
  readonly code = 'already_rated';

  constructor() {
    super('Thank you: feedback for this call was already given.');
  }
}

/**
 * Ratings after a call: the customer token proves the help session, a rep having taken it proves a call, and
 * one rating per help session is kept as per-day counts (and an optional comment in a per-day list), with no
 * link to the customer or the help session. Days are counted in the opening hours' time zone (UTC without).
 */
@Injectable()
export class FeedbackService {
  private readonly days: OpeningHours;

  constructor(
    private readonly records: FeedbackRecords,
    private readonly sessions: HelpSessionService,
    private readonly metrics: ServiceKitMetrics,
    private readonly config: ServiceKitConfig,
  ) {
    this.days = new OpeningHours(config.openingHours);
  }

  async rate(helpSessionId: string, rating: number, comment: string | undefined, now = Date.now()): Promise<void> {
    if ((await this.sessions.matchedRep(helpSessionId)) === null) throw new NoCallError();
    if (!(await this.records.firstRating(helpSessionId))) throw new AlreadyRatedError();
    await this.records.rate(this.days.dateOf(now), rating, comment || undefined);
    this.metrics.feedbackRated(rating);
  }

  /** The last `count` days, newest first: count, mean and histogram; comments only when asked for. */
  async report(count: number, withComments: boolean, now = Date.now()): Promise<OpsFeedbackResponse> {
    const today = DateTime.fromMillis(now, { zone: this.days.zone }).startOf('day');
    const dates = Array.from({ length: count }, (_, i) => today.minus({ days: i }).toISODate() ?? '');
    const days = await Promise.all(
      dates.map(async (date): Promise<FeedbackDay> => {
        const histogram = await this.records.histogram(date);
        const total = histogram.reduce((a, b) => a + b, 0);
        const sum = histogram.reduce((a, n, i) => a + n * (i + 1), 0);
        const day: FeedbackDay = { date, count: total, mean: total === 0 ? null : Math.round((sum / total) * 100) / 100, histogram };
        return withComments ? { ...day, comments: await this.records.comments(date) } : day;
      }),
    );
    return { days, commentRetentionDays: this.config.feedbackCommentRetentionDays };
  }
}
