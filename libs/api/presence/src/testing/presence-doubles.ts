import type { RepLoad } from '@servicekit/api/match';
import type { PresenceSocket } from '../lib/local-sockets';
import { PresenceSnapshot, PresenceStats } from '../lib/presence-stats';
import { CustomerRecovery, Departures, RepActivity, RestoreKit } from '../lib/presence.ports';

/** Presence as the presence lib would report it; who is connected and the figures are set by the test. */
export class FakePresenceStats extends PresenceStats {
  connected = new Set<string>();
  figures: PresenceSnapshot = { repsOnline: 3, repsBusy: 1, callsInProgress: 1, openSockets: 5 };

  async snapshot(): Promise<PresenceSnapshot> {
    return this.figures;
  }

  async customersConnected(ids: string[]): Promise<boolean[]> {
    return ids.map((id) => this.connected.has(id));
  }
}

/** Departures that note who went away, came back and left; those in `inCall` are in a confirmed call. */
export class RecordingDepartures extends Departures {
  readonly away: string[] = [];
  readonly back: string[] = [];
  readonly left: string[] = [];
  readonly inCall = new Set<string>();

  async customerAway(helpSessionId: string): Promise<boolean> {
    this.away.push(`customer:${helpSessionId}`);
    return this.inCall.has(`customer:${helpSessionId}`);
  }

  async repAway(repId: string): Promise<boolean> {
    this.away.push(`rep:${repId}`);
    return this.inCall.has(`rep:${repId}`);
  }

  async customerBack(helpSessionId: string): Promise<void> {
    this.back.push(`customer:${helpSessionId}`);
  }

  async repBack(repId: string): Promise<void> {
    this.back.push(`rep:${repId}`);
  }

  async customerLeft(helpSessionId: string): Promise<void> {
    this.left.push(`customer:${helpSessionId}`);
  }

  async repLeft(repId: string): Promise<void> {
    this.left.push(`rep:${repId}`);
  }
}

/** Kits that name the customer only; restores are noted with the customers they concern. */
export class RecordingRecovery extends CustomerRecovery {
  readonly restored: { epoch: string; helpSessionIds: string[] }[] = [];

  async kit(helpSessionId: string): Promise<RestoreKit | null> {
    return { helpSessionId };
  }

  async restore(kits: readonly RestoreKit[], epoch: string): Promise<void> {
    this.restored.push({ epoch, helpSessionIds: kits.map((kit) => kit.helpSessionId).sort() });
  }
}

/** Reps' activity as the test sets it: the reps in `busy` are matched, those in `inCall` in a call. */
export class SettableRepActivity extends RepActivity {
  readonly busy = new Set<string>();
  readonly inCall = new Set<string>();

  async activityOf(repIds: string[]): Promise<RepLoad> {
    return { busy: repIds.filter((id) => this.busy.has(id)).length, inCall: repIds.filter((id) => this.inCall.has(id)).length };
  }
}

/** A socket that keeps what was emitted on it. */
export interface FakeSocket extends PresenceSocket {
  readonly events: [string, unknown][];
  readonly closed: boolean;
}

export function fakeSocket(id: string): FakeSocket {
  const events: [string, unknown][] = [];
  let closed = false;
  return {
    id,
    events,
    get closed() {
      return closed;
    },
    emit: ((event: string, payload: unknown) => events.push([event, payload])) as PresenceSocket['emit'],
    disconnect: () => (closed = true),
  };
}
