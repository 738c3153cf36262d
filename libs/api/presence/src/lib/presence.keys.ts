/** Store keys owned by the presence module (leases, instance inboxes, instance slots). */
export const leaseKey = (kind: Participant['kind'], id: string) => `pr:${kind === 'customer' ? 'c' : 'r'}:${id}`;
export const inboxTailKey = (instanceId: string) => `ib:${instanceId}:tail`;
export const inboxEntryKey = (instanceId: string, n: number) => `ib:${instanceId}:${n}`;
export const slotKey = (slot: number) => `inst:${slot}`;

/** Someone who holds presence connections: a customer (by help session) or a rep. */
export interface Participant {
  kind: 'customer' | 'rep';
  id: string;
}

export const participantKey = (p: Participant) => `${p.kind}:${p.id}`;
