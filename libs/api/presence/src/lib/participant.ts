/** Someone who holds presence connections: a customer (by help session) or a rep. */
export interface Participant {
  kind: 'customer' | 'rep';
  id: string;
}

export const participantKey = (p: Participant) => `${p.kind}:${p.id}`;
