export interface WaitForOptions {
  /** Give up after this long (default 5000 ms). */
  timeoutMs?: number;
  /** Pause between two checks (default 50 ms). */
  intervalMs?: number;
  /** What was awaited, for the error when it never happens, e.g. "memcached to accept connections". */
  message?: string;
}

/**
 * Polls `condition` until it returns true. A condition that throws counts as "not yet" (so "retry until this
 * call succeeds" is a condition); the last error becomes the cause when the wait gives up.
 */
export async function waitFor(
  condition: () => Promise<boolean> | boolean,
  { timeoutMs = 5000, intervalMs = 50, message = 'the condition' }: WaitForOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await condition()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? `: last attempt failed with "${lastError.message}"` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${message}${reason}.`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
}
