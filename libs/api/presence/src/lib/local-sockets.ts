import { Injectable } from '@nestjs/common';
import type { CustomerState, ServerToClientEvents } from '@servicekit/contracts';
import { Envelope, InboxRecipient } from './instance-inbox';
import { Participant, participantKey } from './participant';

/** What presence needs of a socket: emit, and a way to close it. */
export interface PresenceSocket {
  readonly id: string;
  emit<E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>): unknown;
  disconnect(close?: boolean): unknown;
}

interface Held {
  participant: Participant;
  sockets: Map<string, PresenceSocket>;
  /** The position last sent to this customer ('' for a state that is not waiting), so it is not repeated. */
  lastPosition?: string;
  /** The kind of the customer state last sent (waiting, reserved…). */
  lastKind?: CustomerState['state'];
}

/**
 * The presence sockets this instance holds, by participant (a person may have several tabs open), and the
 * delivery of events to them, whether they come from here or through the inbox from another instance.
 */
@Injectable()
export class LocalSockets extends InboxRecipient {
  private readonly held = new Map<string, Held>();
  private readonly kindListeners: ((helpSessionId: string, kind: CustomerState['state']) => void)[] = [];

  add(participant: Participant, socket: PresenceSocket): void {
    const key = participantKey(participant);
    const entry = this.held.get(key) ?? { participant, sockets: new Map() };
    entry.sockets.set(socket.id, socket);
    this.held.set(key, entry);
  }

  /** Forgets the socket; true when the participant has no socket left here. */
  remove(participant: Participant, socketId: string): { removed: boolean; last: boolean } {
    const key = participantKey(participant);
    const entry = this.held.get(key);
    const removed = entry?.sockets.delete(socketId) ?? false;
    if (entry && entry.sockets.size > 0) return { removed, last: false };
    this.held.delete(key);
    return { removed, last: true };
  }

  holds(participant: Participant): boolean {
    return this.held.has(participantKey(participant));
  }

  /** Everyone with a socket here, each with one of their connection ids. */
  participants(): { participant: Participant; connection: string | null }[] {
    return [...this.held.values()].map(({ participant, sockets }) => ({ participant, connection: sockets.keys().next().value ?? null }));
  }

  /** Open sockets on this instance. */
  count(): number {
    let count = 0;
    for (const { sockets } of this.held.values()) count += sockets.size;
    return count;
  }

  lastPosition(participant: Participant): string | undefined {
    return this.held.get(participantKey(participant))?.lastPosition;
  }

  /** The kind of the customer state last sent to this customer here (undefined before the first). */
  lastKind(participant: Participant): CustomerState['state'] | undefined {
    return this.held.get(participantKey(participant))?.lastKind;
  }

  /** Told whenever the state sent to a customer held here changes kind (joined the queue, was matched…). */
  onKindChange(listener: (helpSessionId: string, kind: CustomerState['state']) => void): void {
    this.kindListeners.push(listener);
  }

  /** The reps with a socket here. */
  reps(): Participant[] {
    const reps: Participant[] = [];
    for (const { participant } of this.held.values()) if (participant.kind === 'rep') reps.push(participant);
    return reps;
  }

  /** Emits the event on every socket of the recipient held here (nothing when none is). */
  receive(envelope: Envelope): void {
    const entry = this.held.get(participantKey(envelope.to));
    if (!entry) return;
    if (envelope.event === 'customer:state') {
      const state = envelope.payload as CustomerState;
      entry.lastPosition = state.state === 'waiting' ? String(state.position) : '';
      const changed = state.state !== entry.lastKind;
      entry.lastKind = state.state;
      if (changed) for (const listener of this.kindListeners) listener(envelope.to.id, state.state);
    }
    for (const socket of entry.sockets.values()) {
      (socket.emit as (event: string, payload: unknown) => unknown)(envelope.event, envelope.payload);
      // The rep's session ended: the event says why, then the socket goes (the token no longer holds).
      if (envelope.event === 'rep:signed-out') socket.disconnect(true);
    }
  }

  /** Closes every socket (shutdown): their clients reconnect to another instance. */
  closeAll(): void {
    for (const { sockets } of this.held.values()) sockets.forEach((socket) => socket.disconnect(true));
  }
}
