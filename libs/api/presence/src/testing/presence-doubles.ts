import type { RepLoad } from '@servicekit/api/match';
import type { PresenceSocket } from '../lib/local-sockets';
import { PresenceSnapshot, PresenceStats } from '../lib/presence-stats';
import { Departures, RepActivity } from '../lib/presence.ports';

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

/** Departures that only note who left. */
export class RecordingDepartures extends Departures {
  readonly left: string[] = [];

  async customerLeft(helpSessionId: string): Promise<void> {
    this.left.push(`customer:${helpSessionId}`);
  }

  async repLeft(repId: string): Promise<void> {
    this.left.push(`rep:${repId}`);
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
