import { ServiceKitMetrics } from './service-kit.metrics';

/** The value of an unlabelled sample, or of the one with these labels, in exposition text. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const emptyQueue = async () => ({ depth: 0, oldestWaitMs: 0, repsOnline: 0 });

describe('ServiceKitMetrics', () => {
  it('should expose the product metrics and the default process metrics in Prometheus text', async () => {
    const metrics = new ServiceKitMetrics();
    const text = await metrics.text(emptyQueue);
    for (const name of [
      'servicekit_wait_seconds',
      'servicekit_time_to_match_seconds',
      'servicekit_matches_total',
      'servicekit_cancels_total',
      'servicekit_abandons_total',
      'servicekit_no_shows_total',
      'servicekit_store_errors_total',
      'servicekit_queue_depth',
      'servicekit_oldest_wait_seconds',
      'servicekit_reps_online',
      'servicekit_open_sockets',
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('should count matches with their waits, cancels, abandons, no-shows and store errors', async () => {
    const metrics = new ServiceKitMetrics();
    metrics.matched(4_000, 9_000);
    metrics.matched(40_000, 45_000);
    metrics.cancelled();
    metrics.abandoned();
    metrics.abandoned();
    metrics.noShow();
    metrics.storeError('get');
    metrics.storeError('get');
    metrics.storeError('add');
    const text = await metrics.text(emptyQueue);
    expect(sample(text, 'servicekit_matches_total')).toBe(2);
    expect(sample(text, 'servicekit_wait_seconds_count')).toBe(2);
    expect(sample(text, 'servicekit_wait_seconds_sum')).toBe(44);
    expect(sample(text, 'servicekit_wait_seconds_bucket', '{le="5"}')).toBe(1);
    expect(sample(text, 'servicekit_time_to_match_seconds_sum')).toBe(54);
    expect(sample(text, 'servicekit_cancels_total')).toBe(1);
    expect(sample(text, 'servicekit_abandons_total')).toBe(2);
    expect(sample(text, 'servicekit_no_shows_total')).toBe(1);
    expect(sample(text, 'servicekit_store_errors_total', '{operation="get"}')).toBe(2);
    expect(sample(text, 'servicekit_store_errors_total', '{operation="add"}')).toBe(1);
  });

  it('should read the queue gauges from the reader on every scrape', async () => {
    const metrics = new ServiceKitMetrics();
    let depth = 3;
    const reader = async () => ({ depth, oldestWaitMs: 12_500, repsOnline: 2 });
    let text = await metrics.text(reader);
    expect(sample(text, 'servicekit_queue_depth')).toBe(3);
    expect(sample(text, 'servicekit_oldest_wait_seconds')).toBe(12.5);
    expect(sample(text, 'servicekit_reps_online')).toBe(2);
    depth = 0;
    text = await metrics.text(reader);
    expect(sample(text, 'servicekit_queue_depth')).toBe(0);
  });

  it('should report the queue gauges as NaN and count a store error when the queue cannot be read', async () => {
    const metrics = new ServiceKitMetrics();
    let fail = false;
    const reader = async () => {
      if (fail) throw new Error('store down');
      return { depth: 5, oldestWaitMs: 1_000, repsOnline: 1 };
    };
    expect(sample(await metrics.text(reader), 'servicekit_queue_depth')).toBe(5);
    fail = true;
    const text = await metrics.text(reader);
    expect(sample(text, 'servicekit_queue_depth')).toBeNaN();
    expect(sample(text, 'servicekit_reps_online')).toBeNaN();
    expect(sample(text, 'servicekit_store_errors_total', '{operation="metrics"}')).toBe(1);
  });

  it("should count this instance's open sockets", async () => {
    const metrics = new ServiceKitMetrics();
    metrics.socketOpened();
    metrics.socketOpened();
    metrics.socketClosed();
    expect(sample(await metrics.text(emptyQueue), 'servicekit_open_sockets')).toBe(1);
  });

  it('should keep separate registries for separate instances', async () => {
    const one = new ServiceKitMetrics();
    const two = new ServiceKitMetrics();
    one.cancelled();
    expect(sample(await two.text(emptyQueue), 'servicekit_cancels_total')).toBe(0);
  });
});
