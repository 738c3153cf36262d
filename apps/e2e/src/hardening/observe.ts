import { TEST_OPS_TOKEN } from '@servicekit/tools/e2e-support';

/** The sum of `servicekit_store_errors_total` over every operation, as an operator's scrape shows it. */
export async function storeErrors(base: string): Promise<number> {
  const reply = await fetch(`${base}/api/metrics`, { headers: { authorization: `Bearer ${TEST_OPS_TOKEN}` } });
  if (reply.status !== 200) throw new Error(`GET /api/metrics answered ${reply.status}.`);
  const text = await reply.text();
  let total = 0;
  for (const line of text.split('\n')) {
    const match = /^servicekit_store_errors_total(?:\{[^}]*\})?\s+(\d+(?:\.\d+)?)$/.exec(line);
    if (match) total += Number(match[1]);
  }
  return total;
}
