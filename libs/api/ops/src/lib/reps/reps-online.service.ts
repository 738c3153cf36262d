import { Injectable } from '@nestjs/common';
import { MatchService } from '@servicekit/api/match';
import { LeaseRecords } from '@servicekit/api/presence';
import { RepSessions, RepStatusService, type RepSessionRecord } from '@servicekit/api/rep-auth';
import type { OpsRepEntry, OpsRepsResponse } from '@servicekit/contracts';
import { RepFigures } from './rep-figures.records';

/** The reps signed in now, as supervisors see them: who, how they are doing, and today's figures. */
@Injectable()
export class RepsOnline {
  constructor(
    private readonly sessions: RepSessions,
    private readonly leases: LeaseRecords,
    private readonly matches: MatchService,
    private readonly figures: RepFigures,
    private readonly status: RepStatusService,
  ) {}

  async view(now = Date.now()): Promise<OpsRepsResponse> {
    const sessions = await this.sessions.live(now);
    const reps = await Promise.all(sessions.map((session) => this.entry(session, now)));
    return { reps, generatedAt: new Date(now).toISOString() };
  }

  private async entry(session: RepSessionRecord, now: number): Promise<OpsRepEntry> {
    const [lease, match, callSince, today, status] = await Promise.all([
      this.leases.read({ kind: 'rep', id: session.repId }),
      this.matches.currentMatchOfRep(session.repId),
      this.figures.callSince(session.repId),
      this.figures.today(session.account, now),
      this.status.read(session.repId, now),
    ]);
    const inCall = match !== null && callSince !== null;
    const connected = lease !== null && lease.inst !== null && !lease.away;
    return {
      repId: session.repId,
      name: session.name,
      account: session.account,
      roles: [...session.roles],
      via: session.via,
      signedInAt: new Date(session.startedAt).toISOString(),
      status: status.status,
      connected,
      inCall,
      since: new Date((inCall ? callSince : match?.claimedAt) ?? session.startedAt).toISOString(),
      callsToday: today.calls,
      meanHandleMs: today.meanHandleMs,
    };
  }
}
