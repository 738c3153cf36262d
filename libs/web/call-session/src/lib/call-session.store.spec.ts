import { TestBed } from '@angular/core/testing';
import type { ClaimNextResponse, CustomerState, VideoCredentials } from '@servicekit/contracts';
import { OPEN_PRESENCE } from '@servicekit/web/data-access';
import { FakePresences, until } from '@servicekit/web/data-access/testing';
import { VideoCallFactory, VideoCallFailure } from '@servicekit/web/video-call';
import { fakeCameraStream, FakeVideoCall, FakeVideoCalls } from '@servicekit/web/video-call/testing';
import type { CallSessionState, CustomerMatch, RepMatch } from './call-session.machine';
import type { CallSessionHooks } from './call-session.store';
import { CustomerCallSession } from './customer-call-session.store';
import { RepCallSession } from './rep-call-session.store';

const VIDEO: VideoCredentials = { provider: 'p2p', sessionId: 'vs_1', token: 'video-token' };
const RESERVED: CustomerState = { state: 'reserved', matchId: 'm_1', repName: 'Grace', video: VIDEO, noShowMs: 5000 };
const RESERVED_MATCH: CustomerMatch = { matchId: 'm_1', repName: 'Grace', video: VIDEO };
const CLAIM: ClaimNextResponse = {
  matchId: 'm_1',
  helpSession: { id: 'hs_1', customerName: 'Ada', problemText: 'My router blinks red.', waitedMs: 1000 },
  video: VIDEO,
  noShowMs: 5000,
};

describe('CallSession', () => {
  let presences: FakePresences;
  let calls: FakeVideoCalls;
  const stream = fakeCameraStream();

  beforeEach(() => {
    presences = new FakePresences();
    calls = new FakeVideoCalls();
    TestBed.configureTestingModule({
      providers: [
        CustomerCallSession,
        RepCallSession,
        { provide: OPEN_PRESENCE, useValue: presences.open },
        { provide: VideoCallFactory, useValue: calls },
      ],
    });
  });

  function hooks<M extends CustomerMatch | RepMatch>(): CallSessionHooks<M> & { entered: jest.Mock; resumeCall: jest.Mock } {
    return { localStream: () => stream, entered: jest.fn(), resumeCall: jest.fn() };
  }

  /** The fake call's media flows: connected, with the other side's stream. */
  function mediaFlows(call: FakeVideoCall): void {
    call.remoteStream.set(fakeCameraStream());
    call.state.set('connected');
    TestBed.tick();
  }

  describe('for a customer', () => {
    let session: CustomerCallSession;
    let on: ReturnType<typeof hooks<CustomerMatch>>;

    beforeEach(() => {
      session = TestBed.inject(CustomerCallSession);
      on = hooks();
      session.open('customer-token', on);
    });

    afterEach(() => session.ngOnDestroy());

    it('should open one presence socket with the token and follow what the server pushes', () => {
      session.open('another-token', on);
      expect(presences.opened.map(({ token }) => token)).toEqual(['customer-token']);
      expect(session.state()).toEqual({ kind: 'connecting' });

      presences.last().customerState.set({ state: 'waiting', position: 2, estimatedWaitMs: 60_000 });
      TestBed.tick();

      expect(session.state()).toEqual({ kind: 'waiting', position: 2, estimatedWaitMs: 60_000, handedBack: false });
      expect(on.entered).toHaveBeenLastCalledWith({ kind: 'waiting', position: 2, estimatedWaitMs: 60_000, handedBack: false });
    });

    it('should join the call as the customer with the page stream, with a clean inbox, and report media once per match', async () => {
      const presence = presences.last();
      presence.customerState.set(RESERVED);
      await until(() => calls.made.length === 1 && calls.last().join.mock.calls.length === 1, 'the call to be joined');

      expect(calls.create).toHaveBeenCalledWith('p2p');
      expect(calls.last().join).toHaveBeenCalledWith(VIDEO, { role: 'customer', signaling: presence, localStream: stream });
      expect(presence.clearPendingSignals).toHaveBeenCalled();
      expect(session.call()).toBe(calls.last());

      // The other side's stream alone (the connection not up yet) is no media: a black tile is not a call.
      calls.last().remoteStream.set(fakeCameraStream());
      TestBed.tick();
      expect(presence.mediaConnected).not.toHaveBeenCalled();
      calls.last().state.set('connected');
      await until(() => presence.mediaConnected.mock.calls.length > 0, 'media:connected');
      presence.customerState.set({ state: 'in-call', matchId: 'm_1', repName: 'Grace', video: VIDEO });
      TestBed.tick();
      mediaFlows(calls.last());

      expect(session.state()).toEqual({ kind: 'in-call', match: { matchId: 'm_1', repName: 'Grace', video: VIDEO }, mediaReported: true });
      expect(presence.mediaConnected.mock.calls).toEqual([['m_1']]);
      expect(calls.made).toHaveLength(1);
    });

    it('should reconnect while the rep is away or the media is lost, keeping the same call', async () => {
      const presence = presences.last();
      const inCall: CustomerState = { state: 'in-call', matchId: 'm_1', repName: 'Grace', video: VIDEO };
      presence.customerState.set(RESERVED);
      await until(() => calls.made.length === 1, 'the call');
      mediaFlows(calls.last());
      presence.customerState.set(inCall);
      TestBed.tick();
      expect(session.state().kind).toBe('in-call');

      presence.customerState.set({ ...inCall, partnerAway: true });
      TestBed.tick();
      expect(session.state()).toMatchObject({ kind: 'reconnecting', lost: 'partner' });
      expect(on.entered).toHaveBeenLastCalledWith(expect.objectContaining({ kind: 'reconnecting' }));
      calls.last().state.set('reconnecting');
      TestBed.tick();
      expect(session.state()).toMatchObject({ kind: 'reconnecting', lost: 'both' });

      presence.customerState.set({ ...inCall, partnerAway: false });
      TestBed.tick();
      expect(session.state()).toMatchObject({ kind: 'reconnecting', lost: 'media' });
      mediaFlows(calls.last());
      expect(session.state().kind).toBe('in-call');
      expect(calls.made).toHaveLength(1);
      expect(calls.last().leave).not.toHaveBeenCalled();
    });

    it('should clear the message about the connection once media flows again', async () => {
      presences.last().customerState.set(RESERVED);
      await until(() => calls.made.length === 1, 'the call');
      calls.last().errors$.next({ code: 'connection-lost', message: 'The video connection was lost.' });
      expect(session.callError()).toBe('The video connection was lost.');

      mediaFlows(calls.last());

      expect(session.callError()).toBeNull();
    });

    it('should leave the call when handed back to the queue, and join the next match only once it is left', async () => {
      const presence = presences.last();
      presence.customerState.set(RESERVED);
      await until(() => calls.made.length === 1, 'the first call');
      const first = calls.last();
      let left = (): void => undefined;
      first.leave.mockImplementationOnce(() => new Promise<void>((resolve) => (left = resolve)));

      presence.customerState.set({ state: 'waiting', position: 1, estimatedWaitMs: 0 });
      TestBed.tick();
      expect(session.state()).toMatchObject({ kind: 'waiting', handedBack: true });
      expect(first.leave).toHaveBeenCalled();
      expect(session.call()).toBeNull();

      presence.customerState.set({ ...RESERVED, matchId: 'm_2' });
      await until(() => session.match()?.matchId === 'm_2', 'the second match');
      await until(() => true, 'promises to settle');
      expect(calls.made).toHaveLength(1);

      left();
      await until(() => calls.made.length === 2, 'the second call');
      expect(calls.last().join).toHaveBeenCalledWith({ ...VIDEO }, expect.objectContaining({ role: 'customer' }));
    });

    it('should end, leave the call and say why when the server refuses the socket', async () => {
      const presence = presences.last();
      presence.customerState.set(RESERVED);
      await until(() => calls.made.length === 1, 'the call');

      presence.refused.set('This help session has ended.');
      TestBed.tick();

      expect(session.state()).toEqual({ kind: 'ended', reason: 'refused', match: RESERVED_MATCH });
      expect(calls.last().leave).toHaveBeenCalled();
      expect(on.entered).toHaveBeenLastCalledWith(expect.objectContaining({ kind: 'ended', reason: 'refused' }));
    });

    it('should keep the reason after closing, and start afresh on reset', async () => {
      session.end('cancelled');
      await session.close();

      expect(presences.last().close).toHaveBeenCalled();
      expect(session.state()).toEqual({ kind: 'ended', reason: 'cancelled', match: null });

      await session.reset();
      expect(session.state()).toEqual({ kind: 'offline' });
      session.open('new-token', on);
      expect(presences.opened.map(({ token }) => token)).toEqual(['customer-token', 'new-token']);
    });

    it('should say in words why the call could not be joined or broke down', async () => {
      calls.create.mockImplementationOnce(() => {
        const call = new FakeVideoCall();
        call.join.mockRejectedValueOnce(VideoCallFailure.of('connection-failed'));
        calls.made.push(call);
        return call;
      });
      presences.last().customerState.set(RESERVED);
      await until(() => session.callError() !== null, 'the join failure');
      expect(session.callError()).toMatch(/video connection could not be made/);

      calls.last().errors$.next({ code: 'no-device', message: 'No camera or microphone was found. Connect one, then try again.' });
      expect(session.callError()).toBe('No camera or microphone was found. Connect one, then try again.');
    });

    it('should say why when the camera for the call cannot be had', async () => {
      await session.reset();
      session.open('customer-token', { localStream: () => Promise.reject(VideoCallFailure.of('permission-denied')) });
      presences.last().customerState.set(RESERVED);

      await until(() => session.callError() !== null, 'the camera failure');
      expect(session.callError()).toMatch(/Camera and microphone access was blocked/);
      expect(calls.made).toHaveLength(0);
    });

    it('should leave the call and close the socket when closed', async () => {
      presences.last().customerState.set(RESERVED);
      await until(() => calls.made.length === 1, 'the call');

      await session.close();

      expect(calls.last().leave).toHaveBeenCalled();
      expect(presences.last().close).toHaveBeenCalled();
      expect(session.state()).toEqual({ kind: 'offline' });
    });
  });

  describe('for a rep', () => {
    let session: RepCallSession;
    let on: ReturnType<typeof hooks<RepMatch>>;

    beforeEach(() => {
      session = TestBed.inject(RepCallSession);
      on = hooks();
      session.open('rep-token', on);
    });

    afterEach(() => session.ngOnDestroy());

    it('should show the queue length and join a claimed customer as the rep, with a clean inbox', async () => {
      const presence = presences.last();
      presence.repState.set({ state: 'available', waiting: 2 });
      presence.waiting.set(2);
      TestBed.tick();
      expect(session.state()).toEqual({ kind: 'idle' });
      expect(session.waiting()).toBe(2);

      session.claimed(CLAIM);
      await until(() => calls.made.length === 1 && calls.last().join.mock.calls.length === 1, 'the call to be joined');

      expect(presence.clearPendingSignals).toHaveBeenCalled();
      expect(calls.last().join).toHaveBeenCalledWith(VIDEO, { role: 'rep', signaling: presence, localStream: stream });
      expect(session.state()).toEqual(expect.objectContaining({ kind: 'reserved', acknowledged: false }));
    });

    it('should count the claim as acknowledged when the server already pushed its reservation', () => {
      presences.last().repState.set({ state: 'reserved', matchId: 'm_1', helpSessionId: 'hs_1' });
      TestBed.tick();

      session.claimed(CLAIM);

      expect(session.state()).toEqual(expect.objectContaining({ kind: 'reserved', acknowledged: true }));
    });

    it('should hand a call it does not know to the page to resume, and resume it as a confirmed call', async () => {
      const presence = presences.last();
      presence.repState.set({ state: 'in-call', matchId: 'm_1', helpSessionId: 'hs_1' });
      TestBed.tick();

      expect(on.resumeCall).toHaveBeenCalledWith('hs_1');
      expect(calls.made).toHaveLength(0);

      session.claimed(CLAIM);
      await until(() => calls.made.length === 1 && calls.last().join.mock.calls.length === 1, 'the call to be joined');
      expect(session.state()).toMatchObject({ kind: 'reconnecting', lost: 'media', mediaReported: false });
      mediaFlows(calls.last());
      expect(session.state()).toMatchObject({ kind: 'in-call', mediaReported: true });
      expect(presence.mediaConnected.mock.calls).toEqual([['m_1']]);
    });

    it('should end with the reason and the match when the customer does not show', async () => {
      session.claimed(CLAIM);
      await until(() => calls.made.length === 1, 'the call');

      presences.last().repState.set({ state: 'no-show', helpSessionId: 'hs_1', waiting: 1 });
      TestBed.tick();

      const ended: CallSessionState<RepMatch> = session.state();
      expect(ended).toEqual({ kind: 'ended', reason: 'no-show', match: expect.objectContaining({ noShowMs: 5000 }) });
      expect(calls.last().leave).toHaveBeenCalled();
      expect(on.entered).toHaveBeenLastCalledWith(ended);
    });
  });
});
