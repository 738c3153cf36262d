import { Eligibility, HelpQueue } from '@servicekit/api/queue';
import { InMemoryStore, KeyValueStore, MemcachedStore } from '@servicekit/api/store';
import { startMemcached } from '@servicekit/tools/testing';
import { figure, Figure } from '../report';
import type { BenchOptions } from '../options';

const everyone: Eligibility = async () => 'yes';

/** The queue library alone (no HTTP): enqueue `customers` at once, then `reps` claiming until it is empty. */
async function throughput(store: KeyValueStore, customers: number, reps: number) {
  const queue = new HelpQueue(store);
  const started = performance.now();
  await Promise.all(Array.from({ length: customers }, (_, i) => queue.enqueue(`c${i}`)));
  const enqueued = performance.now();
  let claimed = 0;
  await Promise.all(
    Array.from({ length: reps }, async (_, r) => {
      while ((await queue.claimNext(`rep${r}`, everyone)) !== null) claimed++;
    }),
  );
  const done = performance.now();
  await store.close();
  if (claimed !== customers) throw new Error(`claimed ${claimed} of ${customers}`);
  return { enqueue: customers / ((enqueued - started) / 1000), claim: customers / ((done - enqueued) / 1000) };
}

/**
 * The queue library's throughput on each store (kept from the former queue.bench.ts): in-process, so it shows
 * what the store round trips cost the queue, apart from HTTP, tokens and presence.
 */
export async function queueSection(options: BenchOptions): Promise<Figure[]> {
  const customers = options.quick ? 50 : 300;
  const reps = 20;
  const memcached = await startMemcached();
  try {
    const samples = {
      'in-memory': { enqueue: [] as number[], claim: [] as number[] },
      memcached: { enqueue: [] as number[], claim: [] as number[] },
    };
    for (let repeat = 0; repeat < options.repeats; repeat++) {
      const inMemory = await throughput(new InMemoryStore(), customers, reps);
      const shared = await throughput(new MemcachedStore({ servers: [memcached.address], keyPrefix: `bench${repeat}:` }), customers, reps);
      samples['in-memory'].enqueue.push(inMemory.enqueue);
      samples['in-memory'].claim.push(inMemory.claim);
      samples.memcached.enqueue.push(shared.enqueue);
      samples.memcached.claim.push(shared.claim);
    }
    const what = `${customers} at once, ${reps} reps`;
    return (['in-memory', 'memcached'] as const).flatMap((store) => [
      figure('queue', `library enqueue, ${store} (${what})`, 'ops/s', samples[store].enqueue),
      figure('queue', `library claim-next, ${store} (${what})`, 'ops/s', samples[store].claim),
    ]);
  } finally {
    await memcached.stop();
  }
}
