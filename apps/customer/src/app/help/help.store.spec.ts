import { TestBed } from '@angular/core/testing';
import type { CreateHelpSessionResponse, CustomerState, QueuePositionResponse, VideoCredentials } from '@servicekit/contracts';
import { CustomerCallSession } from '@servicekit/web/call-session';
import { ApiFailure, OPEN_PRESENCE, ServiceKitApi } from '@servicekit/web/data-access';
import { type FakePresence, FakePresences, until } from '@servicekit/web/data-access/testing';
import { ConnectivityCheck, LocalMedia, MEDIA_SUPPORT, PreCallCheck, VideoCallFactory, VideoCallFailure } from '@servicekit/web/video-call';
import { FakeConnectivityCheck, fakeCameraStream, FakeLocalMedia, FakeVideoCall, FakeVideoCalls } from '@servicekit/web/video-call/testing';
import { END_MESSAGES, HelpStore, REFUSAL_TEXTS } from './help.store';

const ICE = {
  iceServers: [{ urls: ['turn:turn.example.com:3478'], username: '1:x', credential: 'c' }],
  iceTransportPolicy: 'relay' as const,
};
const CREATED: CreateHelpSessionResponse = {
  id: 'hs_1',
  customerToken: 'customer-token',
  video: { provider: 'p2p', sessionId: 'vs_0', token: 'video-token-0', ...ICE },
};
const STORED = JSON.stringify({ id: 'hs_1', customerToken: 'customer-token', ice: ICE });
const VIDEO: VideoCredentials = { provider: 'p2p', sessionId: 'vs_1', token: 'video-token' };
const RESERVED: CustomerState = { state: 'reserved', matchId: 'm_1', repName: 'Grace', video: VIDEO, noShowMs: 5000 };
const IN_CALL: CustomerState = { state: 'in-call', matchId: 'm_1', repName: 'Grace', video: VIDEO };

/** Each request waits until the test answers it, so every step in between can be looked at. */
class Pending<T> {
  private readonly answers: { resolve(value: T): void; reject(error: unknown): void }[] = [];
  readonly fn = jest.fn((..._args: unknown[]) => new Promise<T>((resolve, reject) => this.answers.push({ resolve, reject })));

  get count(): number {
    return this.answers.length;
  }

  resolve(value: T): void {
    this.next().resolve(value);
  }

  reject(error: unknown): void {
    this.next().reject(error);
  }

  private next(): { resolve(value: T): void; reject(error: unknown): void } {
    const answer = this.answers.shift();
    if (!answer) throw new Error('No request is waiting for an answer');
    return answer;
  }
}

class FakeApi {
  readonly created = new Pending<CreateHelpSessionResponse>();
  readonly queued = new Pending<QueuePositionResponse>();
  readonly createHelpSession = this.created.fn;
  readonly enqueue = this.queued.fn;
  readonly cancel = jest.fn((_id: string, _token: string) => Promise.resolve());
  readonly end = jest.fn((_id: string, _token: string | null) => Promise.resolve());
  readonly createCallback = jest.fn((_request: unknown, _token?: string) =>
    Promise.resolve({ id: 'cb_1', requestedAt: '2026-12-02T10:00:00.000Z', deleteBy: '2026-12-05T10:00:00.000Z' }),
  );
  readonly status = jest.fn(() => Promise.resolve({ opensAt: '2026-12-03T08:00:00.000Z' }));
  readonly sendFeedback = jest.fn((_request: unknown, _token: string) => Promise.resolve());
}

describe('HelpStore', () => {
  let api: FakeApi;
  let presences: FakePresences;
  let media: FakeLocalMedia;
  let calls: FakeVideoCalls;
  let connectivity: FakeConnectivityCheck;
  let store: HelpStore;

  beforeEach(() => {
    sessionStorage.clear();
    api = new FakeApi();
    presences = new FakePresences();
    media = new FakeLocalMedia();
    calls = new FakeVideoCalls();
    connectivity = new FakeConnectivityCheck();
    TestBed.configureTestingModule({
      providers: [
        HelpStore,
        CustomerCallSession,
        PreCallCheck,
        { provide: ConnectivityCheck, useValue: connectivity },
        { provide: MEDIA_SUPPORT, useValue: { ok: true } },
        { provide: ServiceKitApi, useValue: api },
        { provide: OPEN_PRESENCE, useValue: presences.open },
        { provide: LocalMedia, useValue: media },
        { provide: VideoCallFactory, useValue: calls },
      ],
    });
  });

  afterEach(() => store?.ngOnDestroy());

  function start(): HelpStore {
    store = TestBed.inject(HelpStore);
    return store;
  }

  /** Sends the form; resolves once the queue request is out, the presence socket open. */
  async function submitAndQueue(): Promise<FakePresence> {
    void start().submit('Ada Lovelace', 'My router blinks red.');
    await until(() => api.created.count === 1, 'the help session request');
    api.created.resolve(CREATED);
    await until(() => api.queued.count === 1, 'the queue request');
    return presences.last();
  }

  /** In the queue, then matched with Grace; resolves once the call is being joined. */
  async function inCallWithGrace(): Promise<{ presence: FakePresence; call: FakeVideoCall }> {
    const presence = await submitAndQueue();
    api.queued.resolve({ position: 1, estimatedWaitMs: 30_000 });
    presence.customerState.set(RESERVED);
    await until(() => calls.made.length === 1 && calls.last().join.mock.calls.length === 1, 'the call to be joined');
    calls.last().remoteStream.set(fakeCameraStream());
    calls.last().state.set('connected');
    TestBed.tick();
    presence.customerState.set(IN_CALL);
    TestBed.tick();
    return { presence, call: calls.last() };
  }

  it('should go from the form through the pre-call check and the queue to a call, and end with the rep', async () => {
    expect(start().step()).toBe('form');

    void store.submit('Ada Lovelace', 'My router blinks red.');
    await until(() => api.created.count === 1, 'the help session request');
    expect(store.busy()).toBe(true);
    expect(api.createHelpSession).toHaveBeenCalledWith('Ada Lovelace', 'My router blinks red.');
    expect(presences.opened).toEqual([]);

    api.created.resolve(CREATED);
    await until(() => api.queued.count === 1, 'the queue request');
    expect(sessionStorage.getItem('sk.help')).toBe(STORED);
    expect(media.acquire).toHaveBeenCalledTimes(1);
    expect(connectivity.run).toHaveBeenCalledWith(ICE);
    expect(store.checkOutcome()).toBe('pass');
    expect(store.preview()).toBe(media.stream);
    expect(api.enqueue).toHaveBeenCalledWith('hs_1', 'customer-token');
    expect(presences.opened.map(({ token }) => token)).toEqual(['customer-token']);
    expect(store.step()).toBe('joining');

    const presence = presences.last();
    presence.customerState.set({ state: 'idle' });
    TestBed.tick();
    expect(store.step()).toBe('joining');

    api.queued.resolve({ position: 2, estimatedWaitMs: 120_000 });
    await until(() => store.step() === 'waiting', 'the waiting step');
    expect([store.position(), store.estimatedWaitMs(), store.busy()]).toEqual([2, 120_000, false]);

    // Far back in line the place is shown rounded: the server pushes only changes of that.
    presence.customerState.set({ state: 'waiting', position: 2_345, estimatedWaitMs: 3_600_000 });
    TestBed.tick();
    expect([store.shownPosition(), store.positionIsApproximate()]).toEqual([2_300, true]);

    presence.customerState.set({ state: 'waiting', position: 1, estimatedWaitMs: 30_000 });
    TestBed.tick();
    expect([store.position(), store.estimatedWaitMs()]).toEqual([1, 30_000]);
    expect([store.shownPosition(), store.positionIsApproximate()]).toEqual([1, false]);

    presence.customerState.set(RESERVED);
    await until(() => calls.made.length === 1 && calls.last().join.mock.calls.length === 1, 'the call to be joined');
    const call = calls.last();
    expect(store.step()).toBe('reserved');
    expect(store.repName()).toBe('Grace');
    expect(calls.create).toHaveBeenCalledWith('p2p');
    expect(call.join).toHaveBeenCalledWith(VIDEO, { role: 'customer', signaling: presence, localStream: media.stream });

    const remote = fakeCameraStream();
    call.remoteStream.set(remote);
    call.state.set('connected');
    await until(() => presence.mediaConnected.mock.calls.length === 1, 'media:connected');
    expect(presence.mediaConnected).toHaveBeenCalledWith('m_1');
    expect(store.remoteStream()).toBe(remote);

    presence.customerState.set(IN_CALL);
    TestBed.tick();
    expect(store.step()).toBe('in-call');
    store.setMuted(true);
    store.setCameraOff(true);
    expect([store.muted(), store.cameraOff()]).toEqual([true, true]);

    presence.customerState.set({ state: 'ended', reason: 'rep-ended' });
    await until(() => store.step() === 'ended', 'the ended step');

    expect(store.endMessage()).toBe('The representative ended the call. Thank you for contacting us.');
    expect(call.leave).toHaveBeenCalled();
    expect(presence.close).toHaveBeenCalled();
    expect(media.release).toHaveBeenCalledWith(media.stream);
    expect(store.preview()).toBeNull();
    expect(sessionStorage.getItem('sk.help')).toBeNull();
    expect(calls.made).toHaveLength(1);
    expect(presence.mediaConnected).toHaveBeenCalledTimes(1);
  });

  it('should stay with the rep when the answer to joining the queue arrives after the rep took the customer', async () => {
    const presence = await submitAndQueue();
    presence.customerState.set(RESERVED);
    TestBed.tick();

    api.queued.resolve({ position: 1, estimatedWaitMs: 0 });
    await until(() => calls.made.length === 1, 'the call');

    expect(store.step()).toBe('reserved');
  });

  it('should leave the call and wait again, saying why, when the customer is handed back to the queue', async () => {
    const { presence, call } = await inCallWithGrace();

    presence.customerState.set({ state: 'waiting', position: 1, estimatedWaitMs: 0 });
    await until(() => store.step() === 'waiting', 'the waiting step');

    expect(store.handedBack()).toBe(true);
    expect(call.leave).toHaveBeenCalled();
    expect(store.remoteStream()).toBeNull();
    expect(store.preview()).toBe(media.stream);
    expect(media.release).not.toHaveBeenCalled();
  });

  it('should pick up a stored help session after a reload, in the queue with the camera on again', async () => {
    sessionStorage.setItem('sk.help', STORED);

    start();
    expect(store.step()).toBe('joining');
    expect(presences.opened.map(({ token }) => token)).toEqual(['customer-token']);

    presences.last().customerState.set({ state: 'waiting', position: 3, estimatedWaitMs: 180_000 });
    await until(() => store.preview() !== null, 'the camera');

    expect(store.step()).toBe('waiting');
    expect(store.position()).toBe(3);
    expect(store.handedBack()).toBe(false);
    expect(api.createHelpSession).not.toHaveBeenCalled();
    expect(api.enqueue).not.toHaveBeenCalled();
    // The place is taken already: no need to check the connection again.
    expect(connectivity.run).not.toHaveBeenCalled();
  });

  it('should join the running call again after a reload during it, reconnecting until media flows', async () => {
    sessionStorage.setItem('sk.help', STORED);
    start();
    const presence = presences.last();

    presence.customerState.set(IN_CALL);
    await until(() => calls.made.length === 1 && calls.last().join.mock.calls.length === 1, 'the call to be joined');

    expect(store.step()).toBe('reconnecting');
    expect(store.reconnectingText()).toBe('Reconnecting the video…');
    expect(calls.last().join).toHaveBeenCalledWith(VIDEO, { role: 'customer', signaling: presence, localStream: media.stream });
    calls.last().remoteStream.set(fakeCameraStream());
    calls.last().state.set('connected');
    await until(() => presence.mediaConnected.mock.calls.length === 1, 'media:connected');
    expect(presence.mediaConnected).toHaveBeenCalledWith('m_1');
    expect(store.step()).toBe('in-call');
  });

  it('should say the rep is reconnecting while the server says they are away', async () => {
    const { presence } = await inCallWithGrace();

    presence.customerState.set({ ...IN_CALL, partnerAway: true });
    TestBed.tick();

    expect(store.step()).toBe('reconnecting');
    expect(store.reconnectingText()).toBe('Grace’s connection dropped. Reconnecting…');
    presence.customerState.set(IN_CALL);
    TestBed.tick();
    expect(store.step()).toBe('in-call');
  });

  it('should run the check and then join the queue when the page was reloaded before the camera worked', async () => {
    sessionStorage.setItem('sk.help', STORED);
    start();
    media.acquire.mockRejectedValueOnce(VideoCallFailure.of('permission-denied'));

    presences.last().customerState.set({ state: 'idle' });
    await until(() => store.deviceError() !== null, 'the camera failure');
    expect(store.step()).toBe('check');
    expect(api.enqueue).not.toHaveBeenCalled();

    void store.runCheck();
    await until(() => api.queued.count === 1, 'the queue request');
    expect(api.enqueue).toHaveBeenCalledWith('hs_1', 'customer-token');
    expect(presences.opened).toHaveLength(1);
    api.queued.resolve({ position: 1, estimatedWaitMs: 0 });
    await until(() => store.step() === 'waiting', 'the waiting step');
  });

  it('should forget a stored help session the server refuses and say so', async () => {
    sessionStorage.setItem('sk.help', STORED);
    start();

    presences.last().refused.set('This help session has ended.');
    await until(() => store.step() === 'ended', 'the ended step');

    expect(store.endMessage()).toBe('Your earlier request has ended. You can ask again.');
    expect(store.endMessage()).toBe(END_MESSAGES.refused);
    expect(sessionStorage.getItem('sk.help')).toBeNull();
    expect(presences.last().close).toHaveBeenCalled();
  });

  it('should leave the queue on Cancel and say so', async () => {
    const presence = await submitAndQueue();
    api.queued.resolve({ position: 2, estimatedWaitMs: 60_000 });
    await until(() => store.step() === 'waiting', 'the waiting step');

    await store.cancel();

    expect(api.cancel).toHaveBeenCalledWith('hs_1', 'customer-token');
    expect(store.step()).toBe('ended');
    expect(store.endMessage()).toBe('You left the queue. Your request has been cancelled.');
    expect(presence.close).toHaveBeenCalled();
    expect(media.release).toHaveBeenCalledWith(media.stream);
    expect(sessionStorage.getItem('sk.help')).toBeNull();
  });

  it('should end the call on End and say so', async () => {
    const { presence, call } = await inCallWithGrace();

    await store.end();

    expect(api.end).toHaveBeenCalledWith('hs_1', 'customer-token');
    expect(store.step()).toBe('ended');
    expect(store.endMessage()).toBe('You ended the call. Thank you for contacting us.');
    expect(call.leave).toHaveBeenCalled();
    expect(presence.close).toHaveBeenCalled();
  });

  it('should stay in the call with the reason in words when the server cannot end it', async () => {
    await inCallWithGrace();
    api.end.mockRejectedValueOnce(new ApiFailure(0, 'The service cannot be reached. Check your connection and try again.', 'network'));

    await store.end();

    expect(store.step()).toBe('in-call');
    expect(store.error()).toBe('The service cannot be reached. Check your connection and try again.');
  });

  it('should explain a blocked camera, take no queue place, and join the queue once the camera works', async () => {
    media.acquire.mockRejectedValueOnce(VideoCallFailure.of('permission-denied'));
    void start().submit('Ada Lovelace', 'My router blinks red.');
    await until(() => api.created.count === 1, 'the help session request');
    api.created.resolve(CREATED);
    await until(() => store.deviceError() !== null, 'the camera failure');

    expect(store.step()).toBe('check');
    expect(store.deviceError()).toMatch(/Camera and microphone access was blocked/);
    expect([store.checkOutcome(), store.checkMessage()]).toEqual(['fail', store.deviceError()]);
    expect(api.enqueue).not.toHaveBeenCalled();
    expect(presences.opened).toEqual([]);

    void store.runCheck();
    await until(() => api.queued.count === 1, 'the queue request');
    expect(store.deviceError()).toBeNull();
    expect(store.preview()).toBe(media.stream);
  });

  it('should take no queue place when the connection check fails, say what to do, and join once it passes', async () => {
    connectivity.run.mockResolvedValueOnce(FakeConnectivityCheck.FAIL);
    void start().submit('Ada Lovelace', 'My router blinks red.');
    await until(() => api.created.count === 1, 'the help session request');
    api.created.resolve(CREATED);
    await until(() => store.checkOutcome() === 'fail', 'the failed check');

    expect(store.step()).toBe('check');
    expect(store.checkMessage()).toMatch(/Your network blocks video calls/);
    expect(store.preview()).toBe(media.stream);
    expect(api.enqueue).not.toHaveBeenCalled();
    expect(presences.opened).toEqual([]);

    void store.runCheck();
    await until(() => api.queued.count === 1, 'the queue request');
    expect(connectivity.run).toHaveBeenCalledTimes(2);
  });

  it('should join the queue on a warning, with the warning shown', async () => {
    connectivity.run.mockResolvedValueOnce({
      ...FakeConnectivityCheck.PASS,
      outcome: 'warn',
      verdict: 'relay-only',
      message: 'Only the relay.',
    });
    await submitAndQueue();
    expect([store.checkOutcome(), store.checkMessage()]).toEqual(['warn', 'Only the relay.']);
  });

  it('should switch devices when the customer picks another one', async () => {
    await submitAndQueue();

    await store.chooseDevice('camera', 'camera-2');

    expect(media.choose).toHaveBeenCalledWith('camera', 'camera-2');
    expect(media.acquire).toHaveBeenCalledTimes(2);
  });

  it('should say why the call could not be joined', async () => {
    const presence = await submitAndQueue();
    calls.create.mockImplementationOnce(() => {
      const call = new FakeVideoCall();
      call.join.mockRejectedValueOnce(VideoCallFailure.of('connection-failed'));
      calls.made.push(call);
      return call;
    });

    presence.customerState.set(RESERVED);
    await until(() => store.callError() !== null, 'the join failure');

    expect(store.callError()).toMatch(/video connection could not be made/);
    expect(store.step()).toBe('reserved');
  });

  it('should put the field errors of the server beside their fields, and any other failure in words', async () => {
    start();
    const details = { problemText: 'The description of your problem is required.' };
    void store.submit('Ada', ' ');
    await until(() => api.created.count === 1, 'the first request');
    api.created.reject(new ApiFailure(400, 'The request is not valid.', 'validation_failed', details));
    await until(() => !store.busy(), 'the first answer');
    expect([store.fieldErrors(), store.error(), store.step()]).toEqual([details, null, 'form']);

    void store.submit('Ada', 'Router');
    await until(() => api.created.count === 1, 'the second request');
    expect(store.fieldErrors()).toEqual({});
    api.created.reject(new ApiFailure(429, 'Too many requests. Wait a minute, then try again.', 'rate_limited'));
    await until(() => !store.busy(), 'the second answer');
    expect([store.fieldErrors(), store.error()]).toEqual([{}, 'Too many requests. Wait a minute, then try again.']);

    void store.submit('Ada', 'Router');
    await until(() => api.created.count === 1, 'the third request');
    api.created.reject(new Error('boom'));
    await until(() => !store.busy(), 'the third answer');
    expect(store.error()).toBe('Something went wrong. Please try again.');
    expect(sessionStorage.getItem('sk.help')).toBeNull();
    expect(presences.opened).toEqual([]);
  });

  it('should go back to an empty form on Ask again, and open a new socket for the next request', async () => {
    const { presence } = await inCallWithGrace();
    presence.customerState.set({ state: 'ended', reason: 'rep-ended' });
    await until(() => store.step() === 'ended', 'the ended step');

    store.askAgain();

    expect(store.step()).toBe('form');
    expect(store.error()).toBeNull();
    void store.submit('Ada Lovelace', 'Still blinking.');
    await until(() => api.created.count === 1, 'the new help session request');
    api.created.resolve({ ...CREATED, id: 'hs_2', customerToken: 'customer-token-2' });
    await until(() => api.queued.count === 1, 'the new queue request');
    expect(presences.opened.map(({ token }) => token)).toEqual(['customer-token', 'customer-token-2']);
    expect(store.step()).toBe('joining');
  });

  it('should leave the call, close the socket and turn the camera off when the page goes away', async () => {
    const { presence, call } = await inCallWithGrace();

    store.ngOnDestroy();
    await until(() => call.leave.mock.calls.length === 1, 'the call to be left');

    expect(presence.close).toHaveBeenCalled();
    expect(media.release).toHaveBeenCalledWith(media.stream);
  });

  it.each(['closed', 'intake_paused', 'queue_full', 'wait_too_long'] as const)(
    'should turn a refused queue place (%s) to the callback form with the sentence, and send it ending the help session',
    async (code) => {
      const presence = await submitAndQueue();
      api.queued.reject(new ApiFailure(409, 'Closed until 2026-12-03T08:00:00.000Z. Leave a callback request.', code));
      await until(() => store.step() === 'callback', 'the callback form');
      await until(() => code !== 'closed' || store.callbackOffer()?.opensAt !== null, 'the next opening');
      expect(store.callbackOffer()).toEqual({
        reason: REFUSAL_TEXTS[code],
        opensAt: code === 'closed' ? '2026-12-03T08:00:00.000Z' : null,
        fromQueue: false,
      });
      expect(store.error()).toBeNull();

      await store.sendCallback({ customerName: 'Ada Lovelace', problemText: 'My router blinks red.', phone: '+49 30 1234567' });

      expect(api.createCallback).toHaveBeenCalledWith(
        { customerName: 'Ada Lovelace', problemText: 'My router blinks red.', phone: '+49 30 1234567', helpSessionId: 'hs_1' },
        'customer-token',
      );
      expect(store.step()).toBe('callback-sent');
      expect(store.callbackSent()?.deleteBy).toBe('2026-12-05T10:00:00.000Z');
      expect(presence.close).toHaveBeenCalled();
      expect(sessionStorage.getItem('sk.help')).toBeNull();
    },
  );

  it('should offer the callback form while waiting, keep the place on Back, and give it up only when sent', async () => {
    await submitAndQueue();
    api.queued.resolve({ position: 3, estimatedWaitMs: null, estimateReason: 'no_rep_online' });
    await until(() => store.step() === 'waiting', 'the waiting step');
    expect(store.estimatedWaitMs()).toBeNull();

    store.offerCallback();
    expect(store.step()).toBe('callback');
    expect(store.callbackOffer()).toEqual({ reason: null, opensAt: null, fromQueue: true });
    store.backToQueue();
    expect(store.step()).toBe('waiting');
    expect(api.createCallback).not.toHaveBeenCalled();

    store.offerCallback();
    api.createCallback.mockRejectedValueOnce(
      new ApiFailure(400, 'x', 'validation_failed', { email: 'The email address must look like name@example.com.' }),
    );
    await store.sendCallback({ customerName: 'Ada', problemText: 'Router', email: 'ada@' });
    expect(store.step()).toBe('callback');
    expect(store.fieldErrors()).toEqual({ email: 'The email address must look like name@example.com.' });

    await store.sendCallback({ customerName: 'Ada', problemText: 'Router', email: 'ada@example.com' });
    expect(api.createCallback).toHaveBeenLastCalledWith(
      { customerName: 'Ada', problemText: 'Router', email: 'ada@example.com', helpSessionId: 'hs_1' },
      'customer-token',
    );
    expect(store.step()).toBe('callback-sent');
  });

  it('should go to the call when a rep picks up while the callback form is open', async () => {
    const presence = await submitAndQueue();
    api.queued.resolve({ position: 1, estimatedWaitMs: 30_000 });
    await until(() => store.step() === 'waiting', 'the waiting step');
    store.offerCallback();
    presence.customerState.set(RESERVED);
    await until(() => store.step() === 'reserved', 'the call');
  });

  it('should ask for a rating after a call with a rep, send it once with the customer token, and forget it on Ask again', async () => {
    const { presence } = await inCallWithGrace();
    expect(store.feedback()).toBeNull();
    presence.customerState.set({ state: 'ended', reason: 'rep-ended' });
    await until(() => store.step() === 'ended', 'the ended step');
    expect(store.feedback()).toBe('open');

    await store.rate(5, '  Very helpful.  ');
    expect(api.sendFeedback).toHaveBeenCalledWith({ helpSessionId: 'hs_1', rating: 5, comment: 'Very helpful.' }, 'customer-token');
    expect(store.feedback()).toBe('sent');
    await store.rate(1, '');
    expect(api.sendFeedback).toHaveBeenCalledTimes(1);

    store.askAgain();
    expect(store.feedback()).toBeNull();
  });

  it('should let the customer skip the rating, or try again when sending failed', async () => {
    const { presence } = await inCallWithGrace();
    presence.customerState.set({ state: 'ended', reason: 'rep-ended' });
    await until(() => store.step() === 'ended', 'the ended step');
    api.sendFeedback.mockRejectedValueOnce(
      new ApiFailure(0, 'The service cannot be reached. Check your connection and try again.', 'network'),
    );
    await store.rate(3, '');
    expect(store.feedback()).toBe('open');
    expect(store.feedbackError()).toBe('The service cannot be reached. Check your connection and try again.');
    expect(api.sendFeedback).toHaveBeenCalledWith({ helpSessionId: 'hs_1', rating: 3 }, 'customer-token');
    store.skipFeedback();
    expect(store.feedback()).toBe('skipped');
  });

  it('should not ask for a rating when nobody took the request', async () => {
    await submitAndQueue();
    api.queued.resolve({ position: 2, estimatedWaitMs: 60_000 });
    await until(() => store.step() === 'waiting', 'the waiting step');
    await store.cancel();
    expect(store.step()).toBe('ended');
    expect(store.feedback()).toBeNull();
  });
});
