import { Injectable } from '@nestjs/common';
import { CallNotifier } from '@servicekit/api/match';
import type { CustomerState, RepState, ServerToClientEvents } from '@servicekit/contracts';
import { InstanceInbox } from './instance-inbox';
import { LeaseRecords } from './lease.records';
import { LocalSockets } from './local-sockets';
import { Participant } from './participant';

/** Delivers events to a participant's sockets: here if this instance holds them, else through the holder's inbox. */
@Injectable()
export class PresenceNotifier extends CallNotifier {
  constructor(
    private readonly sockets: LocalSockets,
    private readonly inbox: InstanceInbox,
    private readonly leases: LeaseRecords,
  ) {
    super();
  }

  async customer(helpSessionId: string, state: CustomerState): Promise<void> {
    await this.send({ kind: 'customer', id: helpSessionId }, 'customer:state', state);
  }

  async rep(repId: string, state: RepState): Promise<void> {
    await this.send({ kind: 'rep', id: repId }, 'rep:state', state);
  }

  async send(to: Participant, event: keyof ServerToClientEvents, payload: unknown): Promise<void> {
    if (this.sockets.holds(to)) {
      this.sockets.receive({ to, event, payload });
      return;
    }
    const lease = await this.leases.read(to);
    if (lease?.inst && lease.inst !== this.inbox.instanceId) await this.inbox.deliver(lease.inst, { to, event, payload });
  }
}
