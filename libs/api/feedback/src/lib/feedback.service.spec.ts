import { loadServiceKitConfig } from '@servicekit/api/config';
import type { HelpSessionService } from '@servicekit/api/help-session';
import { helpSessionsOn } from '@servicekit/api/help-session/testing';
import type { MatchService } from '@servicekit/api/match';
import type { ServiceKitMetrics } from '@servicekit/api/metrics';
import { InMemoryStore } from '@servicekit/api/store';
import { FeedbackRecords } from './feedback.records';
import { FeedbackService } from './feedback.service';

describe('FeedbackService', () => {
  const config = loadServiceKitConfig({
    TOKEN_SECRET: 's'.repeat(40),
    OPENING_HOURS: 'Mon-Sun 00:00-24:00; Europe/Berlin',
    FEEDBACK_COMMENT_RETENTION_DAYS: '2',
  });
  let now: number;
  let store: InMemoryStore;
  let matches: MatchService;
  let sessions: HelpSessionService;
  let metrics: ServiceKitMetrics;
  let feedback: FeedbackService;

  beforeEach(() => {
    // 23:30 UTC on 14 January is 00:30 on the 15th in Berlin.
    now = Date.parse('2026-01-14T23:30:00Z');
    store = new InMemoryStore({ now: () => now });
    ({ matches, sessions, metrics } = helpSessionsOn(store, { config }));
    feedback = new FeedbackService(new FeedbackRecords(store, config), sessions, metrics, config);
  });

  afterEach(async () => {
    matches.onModuleDestroy();
    await store.close();
  });

  const afterCall = async () => {
    const { id } = await sessions.create('Ada', 'Router blinks');
    await sessions.enqueue(id);
    await matches.claimNext({ repId: 'rep_1', name: 'Grace' });
    await sessions.end(id, 'customer-ended');
    return id;
  };

  it('should refuse feedback for a help session no rep took', async () => {
    const { id } = await sessions.create('Ada', 'Router blinks');
    await expect(feedback.rate(id, 5, undefined, now)).rejects.toMatchObject({ code: 'no_call' });
  });

  it('should take one rating per call, counted per day in the zone, with mean and histogram', async () => {
    const first = await afterCall();
    await feedback.rate(first, 5, 'Very kind', now);
    await expect(feedback.rate(first, 1, undefined, now)).rejects.toMatchObject({ code: 'already_rated' });
    await feedback.rate(await afterCall(), 2, undefined, now);
    const report = await feedback.report(2, true, now);
    expect(report.days[0]).toEqual({
      date: '2026-01-15',
      count: 2,
      mean: 3.5,
      histogram: [0, 1, 0, 0, 1],
      comments: [{ rating: 5, comment: 'Very kind' }],
    });
    expect(report.days[1]).toEqual({ date: '2026-01-14', count: 0, mean: null, histogram: [0, 0, 0, 0, 0], comments: [] });
    expect(await metrics.text(async () => ({ depth: 0, oldestWaitMs: 0, repsOnline: 0 }))).toMatch(/servicekit_feedback_rating_count 2/);
  });

  it('should keep no link from a rating to the help session, and delete comments after the retention', async () => {
    const id = await afterCall();
    await feedback.rate(id, 4, 'Call me at 0151 2345678', now);
    const stored = await Promise.all(['fb:d:2026-01-15:r4', 'fb:d:2026-01-15:c:1', `fb:s:${id}`].map((key) => store.get(key)));
    expect(stored).toEqual(['1', JSON.stringify({ rating: 4, comment: 'Call me at 0151 2345678' }), '1']);
    now += 2 * 24 * 60 * 60 * 1000 + 1000;
    await expect(store.get('fb:d:2026-01-15:c:1')).resolves.toBeNull();
    expect((await feedback.report(3, true, now)).days[2]).toMatchObject({ date: '2026-01-15', count: 1, comments: [] });
  });
});
