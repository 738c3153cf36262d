import { PresenceClient } from '@servicekit/client/presence';
import { claimNext, createHelpSession, endSession, enqueue, signIn } from '@servicekit/tools/e2e-support';
import { figure, Figure, percentile } from '../report';
import { BenchServer, startBenchServer } from '../servers';
import type { BenchOptions } from '../options';

/** Claim → the customer's "reserved" event, `matches` times one after another: the latencies in ms. */
async function latencies(customerBase: string, repBase: string, matches: number): Promise<number[]> {
  const rep = (await signIn(repBase, 'Match rep')).body.token;
  const samples: number[] = [];
  for (let i = 0; i < matches; i++) {
    const session = (await createHelpSession(customerBase, `Match ${i}`)).body;
    const client = new PresenceClient({ url: customerBase, token: session.customerToken });
    try {
      await client.ready();
      await enqueue(customerBase, session);
      await client.customerStateWhere((s) => s.state === 'waiting');
      const reserved = client.customerStateWhere((s) => s.state === 'reserved').then(() => performance.now());
      const started = performance.now();
      const claimed = await claimNext(repBase, rep);
      if (claimed.status !== 200 || !claimed.body) throw new Error(`claim answered ${claimed.status}`);
      samples.push((await reserved) - started);
      await endSession(repBase, claimed.body.helpSession.id, rep);
    } finally {
      client.close();
    }
  }
  return samples;
}

/**
 * Match latency over real sockets and the built API: one instance in-memory, one on memcached, and the rep on a
 * second instance sharing that memcached (the notice crosses instances). Each repeat takes p50 and p99 of its
 * own matches; the three set-ups take turns within a repeat.
 */
export async function matchSection(options: BenchOptions): Promise<Figure[]> {
  const matches = options.quick ? 5 : 100;
  const single = await startBenchServer('in-memory');
  const first = await startBenchServer('memcached');
  const servers: BenchServer[] = [single, first];
  try {
    const second = await startBenchServer('in-memory', { MEMCACHED_SERVERS: first.memcached!.address });
    servers.push(second);
    const setups = [
      { name: 'one instance, in-memory', customer: single.api.url, rep: single.api.url, goal: 10 },
      { name: 'one instance, memcached', customer: first.api.url, rep: first.api.url, goal: 10 },
      { name: 'across two instances, memcached', customer: first.api.url, rep: second.api.url, goal: 100 },
    ];
    const p50 = new Map<string, number[]>();
    const p99 = new Map<string, number[]>();
    for (let repeat = 0; repeat < options.repeats; repeat++) {
      for (const setup of setups) {
        const samples = await latencies(setup.customer, setup.rep, matches);
        p50.set(setup.name, [...(p50.get(setup.name) ?? []), percentile(samples, 50)]);
        p99.set(setup.name, [...(p99.get(setup.name) ?? []), percentile(samples, 99)]);
      }
    }
    return setups.flatMap((setup) => [
      figure('match', `claim → reserved p50, ${setup.name} (${matches} matches a repeat)`, 'ms', p50.get(setup.name) ?? []),
      figure('match', `claim → reserved p99, ${setup.name} (${matches} matches a repeat)`, 'ms', p99.get(setup.name) ?? [], {
        atMost: setup.goal,
        text: `≤ ${setup.goal} ms`,
      }),
    ]);
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}
