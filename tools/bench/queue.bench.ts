/**
 * npm run bench: the queue on each store, measured in one run, printed as numbers and ratios.
 * - store calls per enqueue / cancel / claim-next (instrumented store), by queue depth;
 * - throughput of enqueue + claim-next with many in flight, in-memory vs a real memcached.
 */
import { performance } from 'node:perf_hooks';
import { Eligibility, HelpQueue } from '@servicekit/api/queue';
import { InMemoryStore, KeyValueStore, MemcachedStore } from '@servicekit/api/store';
import { CountingStore } from '@servicekit/api/store/testing';
import { startMemcached } from '@servicekit/tools/testing';

const everyone: Eligibility = async () => 'yes';

async function callsByDepth(makeStore: () => KeyValueStore, depth: number, positionCacheMs: number) {
  const store = new CountingStore(makeStore());
  const queue = new HelpQueue(store, { positionCacheMs });
  for (let i = 0; i < depth; i++) await queue.enqueue(`w${i}`);
  const enqueue = (await store.measure(() => queue.enqueue('new'))).calls;
  const claim = (await store.measure(() => queue.claimNext('rep', everyone))).calls;
  const cancel = (await store.measure(() => queue.cancel('new'))).calls;
  await store.close();
  return { depth, enqueue, claim, cancel };
}

async function throughput(makeStore: () => KeyValueStore, customers: number, reps: number) {
  const store = makeStore();
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
  return { enqueuePerSecond: customers / ((enqueued - started) / 1000), claimPerSecond: customers / ((done - enqueued) / 1000) };
}

async function main() {
  const memcached = await startMemcached();
  let run = 0;
  const inMemory = () => new InMemoryStore();
  const stores: [string, () => KeyValueStore][] = [
    ['in-memory', inMemory],
    ['memcached', () => new MemcachedStore({ servers: [memcached.address], keyPrefix: `bench${++run}:` })],
  ];
  try {
    console.log('Store calls per queue operation (counted), by customers already waiting:');
    for (const depth of [0, 10, 100, 300]) {
      const fresh = await callsByDepth(inMemory, depth, 0);
      const shared = await callsByDepth(inMemory, depth, 60_000);
      console.log(
        `  depth ${String(depth).padStart(3)}: enqueue ${fresh.enqueue} (${shared.enqueue} when a recent scan is shared), ` +
          `claim-next ${fresh.claim}, cancel ${fresh.cancel}`,
      );
    }
    const results = new Map<string, { enqueuePerSecond: number; claimPerSecond: number }>();
    for (const [name, make] of stores) results.set(name, await throughput(make, 300, 20));
    console.log('\nThroughput, 300 customers enqueueing at once, then 20 reps claiming:');
    for (const [name, r] of results) {
      console.log(`  ${name.padEnd(10)} enqueue ${r.enqueuePerSecond.toFixed(0)}/s, claim-next ${r.claimPerSecond.toFixed(0)}/s`);
    }
    const ratio = (figure: 'enqueuePerSecond' | 'claimPerSecond') =>
      ((results.get('in-memory')?.[figure] ?? Number.NaN) / (results.get('memcached')?.[figure] ?? Number.NaN)).toFixed(1);
    console.log(`\nRatios (in-memory ÷ memcached): enqueue ${ratio('enqueuePerSecond')}×, claim-next ${ratio('claimPerSecond')}×`);
  } finally {
    await memcached.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
