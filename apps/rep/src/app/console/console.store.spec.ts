import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import type { ClaimNextResponse } from '@servicekit/contracts';
import { RepCallSession } from '@servicekit/web/call-session';
import { ApiFailure, OPEN_PRESENCE, ServiceKitApi } from '@servicekit/web/data-access';
import { FakePresence, until } from '@servicekit/web/data-access/testing';
import type { IceConfiguration } from '@servicekit/contracts';
import { ConnectivityCheck, LocalMedia, MEDIA_SUPPORT, PreCallCheck, VideoCallFactory, VideoCallFailure } from '@servicekit/web/video-call';
import { FakeConnectivityCheck, fakeCameraStream, FakeLocalMedia, FakeVideoCall, FakeVideoCalls } from '@servicekit/web/video-call/testing';
import { RepSessionStore, SESSION_EXPIRED_NOTICE } from '../rep-session.store';
import { CONSOLE_CONFIG } from './console.config';
import { ConsoleStore, END_NOTICES, INTERRUPTED_NOTICE, noShowNotice, RESUMED_NOTICE } from './console.store';

const ICE: IceConfiguration = { iceServers: [{ urls: ['turn:t.example'], username: '1:x', credential: 'c' }], iceTransportPolicy: 'relay' };

const CLAIM: ClaimNextResponse = {
  matchId: 'm_1',
  helpSession: { id: 'hs_1', customerName: 'Grace', problemText: 'My <b>router</b> blinks red.', waitedMs: 90_000 },
  video: { provider: 'p2p', sessionId: 'vs_1', token: 'video-token' },
  noShowMs: 5000,
};

const SECOND_CLAIM: ClaimNextResponse = {
  matchId: 'm_2',
  helpSession: { id: 'hs_2', customerName: 'Alan', problemText: 'No sound.', waitedMs: 1000 },
  video: { provider: 'p2p', sessionId: 'vs_2', token: 'video-token-2' },
  noShowMs: 5000,
};

interface PendingClaim {
  signal?: AbortSignal;
  resolve(claim: ClaimNextResponse | null): void;
  reject(error: unknown): void;
}

class FakeApi {
  /** Every claim request, in order; the test answers them. */
  readonly claims: PendingClaim[] = [];
  readonly claimNext = jest.fn(
    (_token: string, _waitMs: number, signal?: AbortSignal) =>
      new Promise<ClaimNextResponse | null>((resolve, reject) => {
        this.claims.push({ signal, resolve, reject });
        signal?.addEventListener('abort', () => reject(new ApiFailure(0, 'Stopped.', 'network')));
      }),
  );
  readonly end = jest.fn((_id: string, _token: string | null) => Promise.resolve());
  readonly currentClaim = jest.fn((_token: string): Promise<ClaimNextResponse | null> => Promise.resolve(null));
  readonly iceServers = jest.fn((_token: string): Promise<IceConfiguration> => Promise.resolve(ICE));
  readonly signOut = jest.fn(() => Promise.resolve({}));

  lastClaim(): PendingClaim {
    const last = this.claims.at(-1);
    if (!last) throw new Error('No claim request was made');
    return last;
  }
}

@Component({ selector: 'sk-page-stub', template: '' })
class PageStub {}

interface ConsoleFakes {
  api: FakeApi;
  presence: FakePresence;
  media: FakeLocalMedia;
  stream: MediaStream;
  calls: FakeVideoCall[];
  create: FakeVideoCalls['create'];
  connectivity: FakeConnectivityCheck;
}

/** Configures TestBed with the fakes and a signed-in rep. */
function setUpConsoleFakes(): ConsoleFakes {
  sessionStorage.clear();
  const media = new FakeLocalMedia();
  const videoCalls = new FakeVideoCalls();
  const fakes: ConsoleFakes = {
    api: new FakeApi(),
    presence: new FakePresence(),
    media,
    stream: media.stream,
    calls: videoCalls.made,
    create: videoCalls.create,
    connectivity: new FakeConnectivityCheck(),
  };
  TestBed.configureTestingModule({
    providers: [
      ConsoleStore,
      RepCallSession,
      PreCallCheck,
      { provide: ConnectivityCheck, useValue: fakes.connectivity },
      { provide: MEDIA_SUPPORT, useValue: { ok: true } },
      provideRouter([
        { path: '', component: PageStub },
        { path: 'console', component: PageStub },
      ]),
      { provide: ServiceKitApi, useValue: fakes.api },
      { provide: LocalMedia, useValue: fakes.media },
      { provide: VideoCallFactory, useValue: videoCalls },
      { provide: OPEN_PRESENCE, useValue: () => fakes.presence },
      { provide: CONSOLE_CONFIG, useValue: { minClaimIntervalMs: 0, callbackRefreshMs: 5000 } },
    ],
  });
  TestBed.inject(RepSessionStore).save({
    token: 'rep-token',
    repId: 'rep_1_a',
    name: 'Ada',
    roles: ['rep'],
    via: 'passcode',
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  });
  return fakes;
}

describe('ConsoleStore', () => {
  let fakes: ConsoleFakes;
  let store: ConsoleStore;

  beforeEach(() => {
    fakes = setUpConsoleFakes();
    store = TestBed.inject(ConsoleStore);
  });

  afterEach(() => store.ngOnDestroy());

  /** Camera checked, online, one customer waiting. */
  async function ready(): Promise<void> {
    await TestBed.inject(Router).navigateByUrl('/console');
    await store.checkDevices();
    store.start();
    fakes.presence.connected.set(true);
    fakes.presence.repState.set({ state: 'available', waiting: 1 });
    TestBed.tick();
  }

  /** Presses Next Customer and hands out `claim`; resolves once the call is being joined. */
  async function takeCustomer(claim: ClaimNextResponse = CLAIM): Promise<FakeVideoCall> {
    const requests = fakes.api.claims.length;
    void store.next();
    await until(() => fakes.api.claims.length > requests, 'the claim request');
    fakes.api.lastClaim().resolve(claim);
    await until(() => store.step() === 'call' && fakes.calls.at(-1)?.join.mock.calls.length === 1, 'the call to be joined');
    return fakes.calls.at(-1) as FakeVideoCall;
  }

  it('should show a clear message when the camera is blocked and work on a second try', async () => {
    fakes.media.acquire.mockRejectedValueOnce(VideoCallFailure.of('permission-denied'));

    await store.checkDevices();
    expect(store.deviceError()).toMatch(/Camera and microphone access was blocked/);
    store.start();
    expect(store.step()).toBe('devices');

    await store.checkDevices();
    expect(store.deviceError()).toBeNull();
    expect(store.localStream()).toBe(fakes.stream);
    store.start();
    expect(store.step()).toBe('ready');
  });

  it("should check the connection with the rep's own ICE servers, and not go online when it fails", async () => {
    fakes.connectivity.run.mockResolvedValueOnce(FakeConnectivityCheck.FAIL);

    await store.checkDevices();

    expect(fakes.api.iceServers).toHaveBeenCalledWith('rep-token');
    expect(fakes.connectivity.run).toHaveBeenCalledWith(ICE);
    expect(store.checkOutcome()).toBe('fail');
    expect(store.deviceError()).toMatch(/Your network blocks video calls/);
    store.start();
    expect(store.step()).toBe('devices');

    await store.checkDevices();
    expect(store.checkOutcome()).toBe('pass');
    store.start();
    expect(store.step()).toBe('ready');
  });

  it('should resume the call it had before the page reloaded, at once and on the same match', async () => {
    fakes.api.currentClaim.mockResolvedValueOnce(CLAIM);
    fakes.presence.repState.set({ state: 'in-call', matchId: 'm_1', helpSessionId: 'hs_1' });

    await store.checkDevices();
    await until(() => fakes.calls.at(-1)?.join.mock.calls.length === 1, 'the call to be joined');

    expect(fakes.connectivity.run).not.toHaveBeenCalled();
    expect(store.step()).toBe('call');
    expect(store.match()?.matchId).toBe('m_1');
    expect(store.reconnecting()).toBe('Reconnecting the video…');
    expect(store.notice()).toBe(RESUMED_NOTICE);
    expect(fakes.calls.at(-1)?.join).toHaveBeenCalledWith(CLAIM.video, {
      role: 'rep',
      signaling: fakes.presence,
      localStream: fakes.stream,
    });
    expect(fakes.api.end).not.toHaveBeenCalled();

    const call = fakes.calls.at(-1) as FakeVideoCall;
    call.remoteStream.set(fakeCameraStream());
    call.state.set('connected');
    TestBed.tick();
    expect(store.reconnecting()).toBeNull();
  });

  it('should say the customer is reconnecting while the server says they are away', async () => {
    await ready();
    const call = await takeCustomer();
    call.remoteStream.set(fakeCameraStream());
    call.state.set('connected');
    fakes.presence.repState.set({ state: 'in-call', matchId: 'm_1', helpSessionId: 'hs_1' });
    TestBed.tick();

    fakes.presence.repState.set({ state: 'in-call', matchId: 'm_1', helpSessionId: 'hs_1', partnerAway: true });
    TestBed.tick();

    expect(store.reconnecting()).toBe('The customer’s connection dropped. Reconnecting…');
    expect(store.step()).toBe('call');
  });

  it('should claim the next customer and join the call as the rep with the camera stream it keeps', async () => {
    await ready();

    const call = await takeCustomer();

    expect(fakes.api.claimNext).toHaveBeenCalledWith('rep-token', 25_000, expect.any(AbortSignal));
    expect(fakes.create).toHaveBeenCalledWith('p2p');
    expect(call.join).toHaveBeenCalledWith(CLAIM.video, { role: 'rep', signaling: fakes.presence, localStream: fakes.stream });
    expect(store.match()).toEqual({
      matchId: 'm_1',
      helpSessionId: 'hs_1',
      customerName: 'Grace',
      problemText: 'My <b>router</b> blinks red.',
      waitedMs: 90_000,
      video: CLAIM.video,
      noShowMs: 5000,
      verified: null,
    });

    call.remoteStream.set(fakeCameraStream());
    call.state.set('connected');
    await until(() => fakes.presence.mediaConnected.mock.calls.length > 0, 'media:connected');
    expect(fakes.presence.mediaConnected).toHaveBeenCalledWith('m_1');

    fakes.presence.repState.set({ state: 'in-call', matchId: 'm_1', helpSessionId: 'hs_1' });
    TestBed.tick();
    expect(store.step()).toBe('call');
    expect(fakes.api.end).not.toHaveBeenCalled();
  });

  it('should wait with one request at a time while nobody arrives and stop when asked', async () => {
    await ready();
    void store.next();
    await until(() => fakes.api.claims.length === 1, 'the first claim request');
    expect(store.step()).toBe('waiting');

    fakes.api.lastClaim().resolve(null);
    await until(() => fakes.api.claims.length === 2, 'the second claim request');
    expect(fakes.api.claims[0]?.signal?.aborted).toBe(false);

    store.stopWaiting();

    expect(store.step()).toBe('ready');
    expect(fakes.api.lastClaim().signal?.aborted).toBe(true);
    await until(() => true, 'the abort to settle');
    expect(fakes.api.claims).toHaveLength(2);
    expect(store.error()).toBeNull();
  });

  it('should leave the call, keep the camera and tell the rep when the customer does not join in time', async () => {
    await ready();
    const call = await takeCustomer();

    fakes.presence.repState.set({ state: 'no-show', helpSessionId: 'hs_1', waiting: 1 });
    await until(() => store.step() === 'ready', 'the console to be ready again');

    expect(store.notice()).toBe(
      'The video connection with the customer could not be made within 5 seconds, so they have been put back at the front of the queue.',
    );
    expect(store.notice()).toBe(noShowNotice(CLAIM.noShowMs));
    expect(call.leave).toHaveBeenCalled();
    expect(store.match()).toBeNull();
    expect(fakes.media.release).not.toHaveBeenCalled();
    expect(store.localStream()).toBe(fakes.stream);
  });

  it.each([
    ['customer-ended', 'The customer ended the call.'],
    ['customer-left', 'The customer left.'],
  ] as const)('should leave the call and say so when the server reports %s', async (reason, notice) => {
    await ready();
    const call = await takeCustomer();

    fakes.presence.repState.set({ state: 'ended', helpSessionId: 'hs_1', reason, waiting: 0 });
    await until(() => store.step() === 'ready', 'the console to be ready again');

    expect(store.notice()).toBe(notice);
    expect(END_NOTICES[reason]).toBe(notice);
    expect(call.leave).toHaveBeenCalled();
  });

  it('should ignore states about another help session', async () => {
    await ready();
    const call = await takeCustomer();

    fakes.presence.repState.set({ state: 'no-show', helpSessionId: 'hs_old', waiting: 1 });
    TestBed.tick();

    expect(store.step()).toBe('call');
    expect(call.leave).not.toHaveBeenCalled();
  });

  it('should end the help session and reuse the same camera stream for the next call', async () => {
    await ready();
    const first = await takeCustomer();

    await store.endCall();

    expect(fakes.api.end).toHaveBeenCalledWith('hs_1', 'rep-token');
    expect(first.leave).toHaveBeenCalled();
    expect(store.notice()).toBe('Call ended.');
    expect(store.step()).toBe('ready');

    const second = await takeCustomer(SECOND_CLAIM);
    expect(second.join).toHaveBeenCalledWith(SECOND_CLAIM.video, expect.objectContaining({ localStream: fakes.stream }));
    expect(fakes.media.acquire).toHaveBeenCalledTimes(1);
    expect(fakes.media.release).not.toHaveBeenCalled();
    expect(store.notice()).toBeNull();
  });

  it('should start waiting again by itself after a call when taking the next customer automatically', async () => {
    await ready();
    store.setAutoNext(true);
    await takeCustomer();

    fakes.presence.repState.set({ state: 'no-show', helpSessionId: 'hs_1', waiting: 1 });
    await until(() => fakes.api.claims.length === 2, 'a new claim request');

    expect(store.step()).toBe('waiting');
    expect(store.notice()).toBe(noShowNotice(CLAIM.noShowMs));
  });

  it('should wait through the wrap-up when taking the next customer automatically, and show the refusal otherwise', async () => {
    await ready();
    store.setAutoNext(true);
    await takeCustomer();

    fakes.presence.repState.set({ state: 'ended', helpSessionId: 'hs_1', reason: 'customer-ended', waiting: 1 });
    await until(() => fakes.api.claims.length === 2, 'a new claim request');
    const wrapUp = 'You are in wrap-up after your last call. You can take the next customer in 2 seconds.';
    fakes.api.lastClaim().reject(new ApiFailure(409, wrapUp, 'rep_wrap_up'));
    await until(() => fakes.api.claims.length === 3, 'the claim asked again');
    expect(store.step()).toBe('waiting');
    expect(store.error()).toBeNull();

    store.stopWaiting();
    store.setAutoNext(false);
    await until(() => store.step() === 'ready', 'ready again');
    void store.next();
    await until(() => fakes.api.claims.length === 4, 'a claim by hand');
    fakes.api.lastClaim().reject(new ApiFailure(409, wrapUp, 'rep_wrap_up'));
    await until(() => store.error() === wrapUp, 'the refusal shown');
    expect(store.step()).toBe('ready');
  });

  it('should not wait again by itself when taking the next customer automatically is off', async () => {
    await ready();
    await takeCustomer();

    fakes.presence.repState.set({ state: 'ended', helpSessionId: 'hs_1', reason: 'customer-ended', waiting: 1 });
    await until(() => store.step() === 'ready', 'the console to be ready again');

    expect(fakes.api.claims).toHaveLength(1);
  });

  it('should show a network failure in words and let the rep press Next Customer again', async () => {
    await ready();
    void store.next();
    await until(() => fakes.api.claims.length === 1, 'the claim request');

    fakes.api.lastClaim().reject(new ApiFailure(0, 'The service cannot be reached. Check your connection and try again.', 'network'));
    await until(() => store.step() === 'ready', 'the console to be ready again');

    expect(store.error()).toBe('The service cannot be reached. Check your connection and try again.');
  });

  it('should go back to sign-in with a message when the sign-in has expired', async () => {
    await ready();
    void store.next();
    await until(() => fakes.api.claims.length === 1, 'the claim request');

    fakes.api.lastClaim().reject(new ApiFailure(401, 'Sign in again.', 'unauthorized'));
    const session = TestBed.inject(RepSessionStore);
    await until(() => session.notice() !== null && TestBed.inject(Router).url === '/', 'the sign-in page');

    expect(TestBed.inject(Router).url).toBe('/');
    expect(session.current()).toBeNull();
    expect(session.notice()).toBe(SESSION_EXPIRED_NOTICE);
    expect(fakes.presence.close).toHaveBeenCalled();
    expect(fakes.media.release).toHaveBeenCalledWith(fakes.stream);
  });

  it('should end the current call, release the camera and forget the rep on sign-out', async () => {
    await ready();
    const call = await takeCustomer();

    await store.signOut();

    expect(fakes.api.end).toHaveBeenCalledWith('hs_1', 'rep-token');
    expect(fakes.api.signOut).toHaveBeenCalled();
    expect(call.leave).toHaveBeenCalled();
    expect(fakes.media.release).toHaveBeenCalledWith(fakes.stream);
    expect(TestBed.inject(RepSessionStore).current()).toBeNull();
    expect(TestBed.inject(Router).url).toBe('/');
  });

  it('should fetch and resume a call the server reports that this page does not know, never ending it', async () => {
    await ready();
    fakes.api.currentClaim.mockResolvedValueOnce(CLAIM);

    fakes.presence.repState.set({ state: 'in-call', matchId: 'm_1', helpSessionId: 'hs_1' });
    await until(() => store.match()?.matchId === 'm_1', 'the call to resume');

    expect(fakes.api.currentClaim).toHaveBeenCalledWith('rep-token');
    expect(fakes.api.end).not.toHaveBeenCalled();
  });

  it('should go back to sign-in with a message when the server refuses the presence socket', async () => {
    await ready();

    fakes.presence.refused.set('The token is not valid or has expired.');
    const session = TestBed.inject(RepSessionStore);
    await until(() => TestBed.inject(Router).url === '/', 'the sign-in page');

    expect(session.notice()).toBe(SESSION_EXPIRED_NOTICE);
    expect(fakes.presence.close).toHaveBeenCalled();
  });

  it('should say the call was interrupted when the server drops a match it had acknowledged', async () => {
    await ready();
    const call = await takeCustomer();
    fakes.presence.repState.set({ state: 'reserved', matchId: 'm_1', helpSessionId: 'hs_1' });
    TestBed.tick();

    fakes.presence.repState.set({ state: 'available', waiting: 1 });
    await until(() => store.step() === 'ready', 'the console to be ready again');

    expect(store.notice()).toBe(INTERRUPTED_NOTICE);
    expect(call.leave).toHaveBeenCalled();
  });

  it('should leave a match it does not know to its own claim while it waits for the next customer', async () => {
    await ready();
    const resumesBefore = fakes.api.currentClaim.mock.calls.length;
    void store.next();
    await until(() => fakes.api.claims.length === 1, 'the claim request');

    fakes.presence.repState.set({ state: 'reserved', matchId: 'm_1', helpSessionId: 'hs_1' });
    await until(() => true, 'the state to be applied');

    expect(store.step()).toBe('waiting');
    expect(fakes.api.currentClaim).toHaveBeenCalledTimes(resumesBefore);
    expect(fakes.api.end).not.toHaveBeenCalled();
  });
});
