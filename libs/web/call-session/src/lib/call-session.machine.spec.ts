import type { ClaimNextResponse } from '@servicekit/contracts';
import {
  type CallSessionEvent,
  type CallSessionState,
  customerEvent,
  type CustomerMatch,
  matchOf,
  OFFLINE,
  repEvent,
  repMatch,
  type RepMatch,
  transition,
} from './call-session.machine';

const M1: CustomerMatch = { matchId: 'm_1', repName: 'Grace', video: { provider: 'p2p', sessionId: 'vs_1', token: 't1' } };
const M2: CustomerMatch = { matchId: 'm_2', repName: 'Alan', video: { provider: 'p2p', sessionId: 'vs_2', token: 't2' } };

const CLAIM: ClaimNextResponse = {
  matchId: 'm_1',
  helpSession: { id: 'hs_1', customerName: 'Ada', problemText: 'My router blinks red.', waitedMs: 90_000 },
  video: { provider: 'p2p', sessionId: 'vs_1', token: 'video-token' },
  noShowMs: 5000,
};
const R1: RepMatch = repMatch(CLAIM);

const CONNECTING: CallSessionState<CustomerMatch> = { kind: 'connecting' };
const IDLE: CallSessionState<CustomerMatch> = { kind: 'idle' };
const WAITING: CallSessionState<CustomerMatch> = { kind: 'waiting', position: 2, estimatedWaitMs: 60_000, handedBack: false };
const RESERVED: CallSessionState<CustomerMatch> = { kind: 'reserved', match: M1, acknowledged: true, mediaReported: false };
const IN_CALL: CallSessionState<CustomerMatch> = { kind: 'in-call', match: M1, mediaReported: true };
const RECONNECTING: CallSessionState<CustomerMatch> = { kind: 'reconnecting', match: M1, mediaReported: true, lost: 'partner' };
const ENDED: CallSessionState<CustomerMatch> = { kind: 'ended', reason: 'rep-ended', match: M1 };
const ALL: Record<string, CallSessionState<CustomerMatch>> = {
  offline: OFFLINE,
  connecting: CONNECTING,
  idle: IDLE,
  waiting: WAITING,
  reserved: RESERVED,
  'in-call': IN_CALL,
  reconnecting: RECONNECTING,
  ended: ENDED,
};

function run(state: CallSessionState<CustomerMatch>, event: CallSessionEvent<CustomerMatch>) {
  return transition(state, event);
}

describe('the call session state machine', () => {
  it('should go offline → connecting → idle → waiting → reserved → in-call → ended for a customer, joining once and reporting media once', () => {
    const steps: [CallSessionEvent<CustomerMatch>, string, string[]][] = [
      [{ type: 'open' }, 'connecting', []],
      [{ type: 'present' }, 'idle', []],
      [{ type: 'enqueued', position: 3, estimatedWaitMs: 120_000 }, 'waiting', []],
      [{ type: 'queued', position: 1, estimatedWaitMs: 30_000 }, 'waiting', []],
      [{ type: 'matched', match: M1, acknowledged: true }, 'reserved', ['join']],
      [{ type: 'media-up', matchId: 'm_1' }, 'reserved', ['report-media']],
      [{ type: 'media-up', matchId: 'm_1' }, 'reserved', []],
      [{ type: 'connected', match: M1, partnerAway: false }, 'in-call', []],
      [{ type: 'media-up', matchId: 'm_1' }, 'in-call', []],
      [{ type: 'ended', reason: 'rep-ended' }, 'ended', ['leave']],
      [{ type: 'close' }, 'ended', []],
      [{ type: 'reset' }, 'offline', []],
    ];
    let state: CallSessionState<CustomerMatch> = OFFLINE;
    for (const [event, kind, commands] of steps) {
      const next = run(state, event);
      expect([event.type, next.state.kind, next.commands.map((command) => command.type)]).toEqual([event.type, kind, commands]);
      state = next.state;
    }
  });

  it('should keep the latest queue place while waiting', () => {
    expect(run(WAITING, { type: 'queued', position: 1, estimatedWaitMs: 0 }).state).toEqual({
      kind: 'waiting',
      position: 1,
      estimatedWaitMs: 0,
      handedBack: false,
    });
  });

  it('should ignore the answer to joining the queue once the server has said more', () => {
    for (const state of [WAITING, RESERVED, IN_CALL, ENDED, OFFLINE]) {
      expect(run(state, { type: 'enqueued', position: 5, estimatedWaitMs: 1 }).state).toBe(state);
    }
    expect(run(CONNECTING, { type: 'enqueued', position: 5, estimatedWaitMs: 1 }).state.kind).toBe('waiting');
  });

  it('should leave the call when the customer is handed back to the queue, and remember that while waiting', () => {
    const next = run(RESERVED, { type: 'queued', position: 1, estimatedWaitMs: 0 });
    expect(next.state).toEqual({ kind: 'waiting', position: 1, estimatedWaitMs: 0, handedBack: true });
    expect(next.commands).toEqual([{ type: 'leave' }]);
    expect(run(next.state, { type: 'queued', position: 1, estimatedWaitMs: 5 }).state).toMatchObject({ handedBack: true });
    expect(run(IN_CALL, { type: 'queued', position: 1, estimatedWaitMs: 0 }).state).toMatchObject({ handedBack: true });
    expect(run(IDLE, { type: 'queued', position: 1, estimatedWaitMs: 0 }).state).toMatchObject({ handedBack: false });
  });

  it('should join a call already running when the page arrives (a reload), reconnecting until media flows, and report media again', () => {
    const joined = run(CONNECTING, { type: 'connected', match: M1, partnerAway: false });
    expect(joined.state).toEqual({ kind: 'reconnecting', match: M1, mediaReported: false, lost: 'media' });
    expect(joined.commands).toEqual([{ type: 'join', match: M1 }]);
    expect(run(joined.state, { type: 'media-up', matchId: 'm_1' })).toEqual({
      state: { kind: 'in-call', match: M1, mediaReported: true },
      commands: [{ type: 'report-media', matchId: 'm_1' }],
    });
    expect(run(CONNECTING, { type: 'connected', match: M1, partnerAway: true }).state).toMatchObject({
      kind: 'reconnecting',
      lost: 'both',
    });
  });

  it('should reconnect while the partner is away or the media is lost, and be back in the call once both are fine', () => {
    const steps: [CallSessionEvent<CustomerMatch>, string, string | null][] = [
      [{ type: 'connected', match: M1, partnerAway: true }, 'reconnecting', 'partner'],
      [{ type: 'media-down', matchId: 'm_1' }, 'reconnecting', 'both'],
      [{ type: 'media-down', matchId: 'm_1' }, 'reconnecting', 'both'],
      [{ type: 'connected', match: M1, partnerAway: false }, 'reconnecting', 'media'],
      [{ type: 'media-up', matchId: 'm_1' }, 'in-call', null],
      [{ type: 'media-down', matchId: 'm_1' }, 'reconnecting', 'media'],
      [{ type: 'connected', match: M1, partnerAway: true }, 'reconnecting', 'both'],
      [{ type: 'media-up', matchId: 'm_1' }, 'reconnecting', 'partner'],
      [{ type: 'connected', match: M1, partnerAway: false }, 'in-call', null],
    ];
    let state: CallSessionState<CustomerMatch> = IN_CALL;
    for (const [event, kind, lost] of steps) {
      const next = run(state, event);
      expect([event.type, next.state.kind, 'lost' in next.state ? next.state.lost : null, next.commands]).toEqual([
        event.type,
        kind,
        lost,
        [],
      ]);
      expect(matchOf(next.state)).toBe(M1);
      state = next.state;
    }
  });

  it('should ignore media of another match, and a lost media before the call is confirmed', () => {
    expect(run(IN_CALL, { type: 'media-down', matchId: 'm_old' }).state).toBe(IN_CALL);
    expect(run(RESERVED, { type: 'media-down', matchId: 'm_1' }).state).toBe(RESERVED);
    expect(run(WAITING, { type: 'media-down', matchId: 'm_1' }).state).toBe(WAITING);
  });

  it('should reconnect a reservation confirmed by the server that this page never reported media for (a resumed rep)', () => {
    expect(run(RESERVED, { type: 'connected', match: M1, partnerAway: false }).state).toEqual({
      kind: 'reconnecting',
      match: M1,
      mediaReported: false,
      lost: 'media',
    });
  });

  it('should keep the call of the same match from reserved to in-call and switch calls for a new match', () => {
    const reported = { ...RESERVED, mediaReported: true };
    expect(run(reported, { type: 'connected', match: M1, partnerAway: false })).toEqual({
      state: { kind: 'in-call', match: M1, mediaReported: true },
      commands: [],
    });
    expect(run(RESERVED, { type: 'matched', match: M1, acknowledged: true }).state).toBe(RESERVED);
    expect(run(IN_CALL, { type: 'connected', match: M1, partnerAway: false }).state).toBe(IN_CALL);
    expect(run(IN_CALL, { type: 'matched', match: M2, acknowledged: true })).toEqual({
      state: { kind: 'reserved', match: M2, acknowledged: true, mediaReported: false },
      commands: [{ type: 'leave' }, { type: 'join', match: M2 }],
    });
  });

  it('should report media only for the match of the current call', () => {
    expect(run(RESERVED, { type: 'media-up', matchId: 'm_old' }).commands).toEqual([]);
    expect(run(WAITING, { type: 'media-up', matchId: 'm_1' }).commands).toEqual([]);
  });

  it.each(Object.entries(ALL).filter(([kind]) => kind !== 'ended'))('should end from %s, leaving a call if there is one', (kind, state) => {
    const next = run(state, { type: 'ended', reason: 'refused' });
    expect(next.state).toEqual({ kind: 'ended', reason: 'refused', match: matchOf(state) });
    expect(next.commands).toEqual(matchOf(state) ? [{ type: 'leave' }] : []);
  });

  it('should keep the first reason once ended', () => {
    expect(run(ENDED, { type: 'ended', reason: 'customer-ended' }).state).toBe(ENDED);
  });

  it('should take the next match after an ended one (a rep taking the next customer)', () => {
    expect(run(ENDED, { type: 'matched', match: M2, acknowledged: false })).toEqual({
      state: { kind: 'reserved', match: M2, acknowledged: false, mediaReported: false },
      commands: [{ type: 'join', match: M2 }],
    });
  });

  it.each(Object.entries(ALL).filter(([kind]) => kind !== 'offline'))(
    'should ignore everything but open and ended while offline (reset from %s)',
    (_kind, state) => {
      const offline = run(state, { type: 'reset' }).state;
      expect(offline).toEqual(OFFLINE);
      const events: CallSessionEvent<CustomerMatch>[] = [
        { type: 'present' },
        { type: 'enqueued', position: 1, estimatedWaitMs: 0 },
        { type: 'queued', position: 1, estimatedWaitMs: 0 },
        { type: 'matched', match: M1, acknowledged: true },
        { type: 'connected', match: M1, partnerAway: false },
        { type: 'unknown-match', helpSessionId: 'hs_old' },
        { type: 'media-up', matchId: 'm_1' },
        { type: 'media-down', matchId: 'm_1' },
        { type: 'close' },
      ];
      for (const event of events) expect(run(offline, event)).toEqual({ state: OFFLINE, commands: [] });
      expect(run(offline, { type: 'open' }).state).toEqual(CONNECTING);
    },
  );

  it('should close to offline, leaving a call, but keep an ended session for its reason', () => {
    expect(run(IN_CALL, { type: 'close' })).toEqual({ state: OFFLINE, commands: [{ type: 'leave' }] });
    expect(run(WAITING, { type: 'close' })).toEqual({ state: OFFLINE, commands: [] });
    expect(run(ENDED, { type: 'close' }).state).toBe(ENDED);
    expect(run(RESERVED, { type: 'reset' })).toEqual({ state: OFFLINE, commands: [{ type: 'leave' }] });
  });

  it('should hand a match the page knows nothing of to the page to resume, without changing the state', () => {
    expect(run(IDLE, { type: 'unknown-match', helpSessionId: 'hs_old' })).toEqual({
      state: IDLE,
      commands: [{ type: 'resume', helpSessionId: 'hs_old' }],
    });
  });
});

describe('customerEvent', () => {
  it('should read each state the server pushes to a customer', () => {
    expect(customerEvent({ state: 'idle' })).toEqual({ type: 'present' });
    expect(customerEvent({ state: 'waiting', position: 2, estimatedWaitMs: 60_000 })).toEqual({
      type: 'queued',
      position: 2,
      estimatedWaitMs: 60_000,
    });
    expect(customerEvent({ state: 'reserved', matchId: 'm_1', repName: 'Grace', video: M1.video, noShowMs: 5000 })).toEqual({
      type: 'matched',
      match: M1,
      acknowledged: true,
    });
    expect(customerEvent({ state: 'in-call', matchId: 'm_1', repName: 'Grace', video: M1.video })).toEqual({
      type: 'connected',
      match: M1,
      partnerAway: false,
    });
    expect(customerEvent({ state: 'in-call', matchId: 'm_1', repName: 'Grace', video: M1.video, partnerAway: true })).toEqual({
      type: 'connected',
      match: M1,
      partnerAway: true,
    });
    expect(customerEvent({ state: 'ended', reason: 'cancelled' })).toEqual({ type: 'ended', reason: 'cancelled' });
  });
});

describe('repEvent', () => {
  const claimed: CallSessionState<RepMatch> = { kind: 'reserved', match: R1, acknowledged: false, mediaReported: false };
  const acknowledged: CallSessionState<RepMatch> = { ...claimed, acknowledged: true };
  const inCall: CallSessionState<RepMatch> = { kind: 'in-call', match: R1, mediaReported: true };
  const idle: CallSessionState<RepMatch> = { kind: 'idle' };

  it('should take what the rep needs from a claim', () => {
    expect(R1).toEqual({
      matchId: 'm_1',
      video: CLAIM.video,
      helpSessionId: 'hs_1',
      customerName: 'Ada',
      problemText: 'My router blinks red.',
      waitedMs: 90_000,
      noShowMs: 5000,
      verified: null,
    });
    const verified = { reference: 'Order 4711', nameVerified: true };
    expect(repMatch({ ...CLAIM, helpSession: { ...CLAIM.helpSession, verified } }).verified).toEqual(verified);
  });

  it('should acknowledge the claimed match and confirm it when both sides are up', () => {
    expect(repEvent({ state: 'reserved', matchId: 'm_1', helpSessionId: 'hs_1' }, claimed)).toEqual({
      type: 'matched',
      match: R1,
      acknowledged: true,
    });
    expect(repEvent({ state: 'in-call', matchId: 'm_1', helpSessionId: 'hs_1' }, claimed)).toEqual({
      type: 'connected',
      match: R1,
      partnerAway: false,
    });
    expect(repEvent({ state: 'in-call', matchId: 'm_1', helpSessionId: 'hs_1', partnerAway: true }, inCall)).toEqual({
      type: 'connected',
      match: R1,
      partnerAway: true,
    });
  });

  it('should ignore a reservation of another match while in one, and resume one it knows nothing of (a reload)', () => {
    expect(repEvent({ state: 'reserved', matchId: 'm_other', helpSessionId: 'hs_other' }, claimed)).toBeNull();
    expect(repEvent({ state: 'reserved', matchId: 'm_old', helpSessionId: 'hs_old' }, idle)).toEqual({
      type: 'unknown-match',
      helpSessionId: 'hs_old',
    });
  });

  it('should resume a running call of another match', () => {
    expect(repEvent({ state: 'in-call', matchId: 'm_old', helpSessionId: 'hs_old' }, idle)).toEqual({
      type: 'unknown-match',
      helpSessionId: 'hs_old',
    });
    expect(repEvent({ state: 'in-call', matchId: 'm_old', helpSessionId: 'hs_old' }, inCall)).toEqual({
      type: 'unknown-match',
      helpSessionId: 'hs_old',
    });
  });

  it('should end on a no-show or an end of this help session only', () => {
    expect(repEvent({ state: 'no-show', helpSessionId: 'hs_1', waiting: 1 }, claimed)).toEqual({ type: 'ended', reason: 'no-show' });
    expect(repEvent({ state: 'no-show', helpSessionId: 'hs_old', waiting: 1 }, claimed)).toBeNull();
    expect(repEvent({ state: 'ended', helpSessionId: 'hs_1', reason: 'customer-left', waiting: 0 }, inCall)).toEqual({
      type: 'ended',
      reason: 'customer-left',
    });
    expect(repEvent({ state: 'ended', helpSessionId: 'hs_old', reason: 'customer-left', waiting: 0 }, inCall)).toBeNull();
    expect(repEvent({ state: 'ended', helpSessionId: 'hs_1', reason: 'customer-left', waiting: 0 }, idle)).toBeNull();
  });

  it('should call the match interrupted when the server drops one it had acknowledged, and not before', () => {
    expect(repEvent({ state: 'available', waiting: 1 }, acknowledged)).toEqual({ type: 'ended', reason: 'interrupted' });
    expect(repEvent({ state: 'available', waiting: 1 }, inCall)).toEqual({ type: 'ended', reason: 'interrupted' });
    expect(repEvent({ state: 'available', waiting: 1 }, { kind: 'reconnecting', match: R1, mediaReported: true, lost: 'partner' })).toEqual(
      {
        type: 'ended',
        reason: 'interrupted',
      },
    );
    // The claim answer can beat the server's push: an 'available' from before the claim means nothing.
    expect(repEvent({ state: 'available', waiting: 1 }, claimed)).toEqual({ type: 'present' });
    expect(repEvent({ state: 'available', waiting: 1 }, idle)).toEqual({ type: 'present' });
  });
});
