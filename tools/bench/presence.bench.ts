/**
 * npm run bench (part 2): claim → the customer's "reserved" event, over real sockets and the built API,
 * on one instance and across two instances sharing memcached. Prints p50/p99 and their ratio.
 */
import { performance } from 'node:perf_hooks';
import { PresenceClient } from '@servicekit/client/presence';
import { startMemcached } from '@servicekit/tools/testing';
import { claimNext, createHelpSession, enqueue, SHARED_SECRETS, signIn, startApiServer } from '@servicekit/tools/e2e-support';

const MATCHES = 200;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function measure(customerBase: string, repBase: string): Promise<number[]> {
  const rep = (await signIn(repBase, 'Bench rep')).body.token;
  const samples: number[] = [];
  for (let i = 0; i < MATCHES; i++) {
    const session = (await createHelpSession(customerBase, `Bench ${i}`)).body;
    const client = new PresenceClient({ url: customerBase, token: session.customerToken });
    await client.ready();
    await enqueue(customerBase, session);
    await client.customerStateWhere((s) => s.state === 'waiting');
    const reserved = client.customerStateWhere((s) => s.state === 'reserved').then(() => performance.now());
    const started = performance.now();
    const claimed = await claimNext(repBase, rep);
    if (claimed.status !== 200) throw new Error(`claim answered ${claimed.status}`);
    samples.push((await reserved) - started);
    client.close();
  }
  return samples.sort((a, b) => a - b);
}

async function main() {
  const memcached = await startMemcached();
  const env = { ...SHARED_SECRETS, HELP_SESSION_RATE_LIMIT: '0', SIGN_IN_RATE_LIMIT: '0', NO_SHOW_MS: '60000' };
  const single = await startApiServer(env);
  const [first, second] = await Promise.all([0, 1].map(() => startApiServer({ ...env, MEMCACHED_SERVERS: memcached.address })));
  const pair = [first!, second!] as const;
  try {
    const same = await measure(single.url, single.url);
    const sameMemcached = await measure(pair[0].url, pair[0].url);
    const across = await measure(pair[0].url, pair[1].url);
    const row = (name: string, s: number[]) =>
      `  ${name.padEnd(44)} p50 ${percentile(s, 50).toFixed(1).padStart(6)} ms   p99 ${percentile(s, 99).toFixed(1).padStart(6)} ms`;
    console.log(`\nClaim → customer's "reserved" event, ${MATCHES} matches each:`);
    console.log(row('same instance, in-memory store', same));
    console.log(row('same instance, memcached', sameMemcached));
    console.log(row('across two instances, memcached', across));
    console.log(
      `  ratio across ÷ same instance (memcached): p50 ${(percentile(across, 50) / percentile(sameMemcached, 50)).toFixed(1)}×, ` +
        `p99 ${(percentile(across, 99) / percentile(sameMemcached, 99)).toFixed(1)}×`,
    );
  } finally {
    await Promise.all([single, ...pair].map((s) => s.stop()));
    await memcached.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
