/** The deepest nesting a presence message may have; the deepest the contract sends is 3 (an ICE candidate). */
export const MAX_MESSAGE_DEPTH = 8;

export const MESSAGE_TOO_DEEP = 'That message is nested too deeply.';

/**
 * True when arrays and objects nest deeper than `maxDepth` in `value`. It walks with its own stack (a 64 KB
 * message can nest 30,000 levels, past the call stack), and binary attachments are leaves.
 */
export function nestingExceeds(value: unknown, maxDepth: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (typeof item !== 'object' || item === null || ArrayBuffer.isView(item) || item instanceof ArrayBuffer) continue;
    if (depth + 1 > maxDepth) return true;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return false;
}

/**
 * socket.io packet middleware: a message nested deeper than MAX_MESSAGE_DEPTH never reaches a handler (where
 * any recursive walk, JSON.stringify included, would overflow the stack); its acknowledgement says why.
 */
export function refuseDeepMessages(packet: unknown[], next: (error?: Error) => void): void {
  const last = packet[packet.length - 1];
  const ack = typeof last === 'function' ? (last as (result: { ok: false; error: string }) => void) : undefined;
  const args = ack ? packet.slice(1, -1) : packet.slice(1);
  if (!nestingExceeds(args, MAX_MESSAGE_DEPTH + 1)) {
    next();
    return;
  }
  ack?.({ ok: false, error: MESSAGE_TOO_DEEP });
}
