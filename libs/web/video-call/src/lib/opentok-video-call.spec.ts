import type { VideoCredentials } from '@servicekit/contracts';
import { fakeCameraStream, type FakeMediaStreamTrack } from '../testing/media-fakes';
import type {
  OTCallback,
  OTErrorLike,
  OTLike,
  OTMediaEvents,
  OTPublisherLike,
  OTPublisherProperties,
  OTSessionEvents,
  OTSessionLike,
  OTStreamLike,
  OTSubscriberLike,
} from './opentok-types';
import { loadOpenTok, OpenTokVideoCall } from './opentok-video-call';
import type { VideoCallError } from './video-call-error';

const sdkMarker = jest.fn();
jest.mock('@opentok/client', () => ({ initSession: sdkMarker }));

const credentials: VideoCredentials = { provider: 'opentok', sessionId: '1_session', token: 'T1==', apiKey: '4711' };

class MockEmitter<Events> {
  private readonly handlers = new Map<string, ((event: never) => void)[]>();

  on<K extends keyof Events & string>(type: K, handler: (event: Events[K]) => void): this {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), handler as (event: never) => void]);
    return this;
  }

  emit<K extends keyof Events & string>(type: K, event: Events[K]): void {
    (this.handlers.get(type) ?? []).forEach((handler) => (handler as (event: Events[K]) => void)(event));
  }
}

class MockPublisher extends MockEmitter<OTMediaEvents> implements OTPublisherLike {
  readonly publishAudio = jest.fn();
  readonly publishVideo = jest.fn();
  readonly destroy = jest.fn();
}

class MockSubscriber extends MockEmitter<OTMediaEvents> implements OTSubscriberLike {}

class MockSession extends MockEmitter<OTSessionEvents> implements OTSessionLike {
  connectError?: OTErrorLike;
  publishError?: OTErrorLike;
  readonly subscribers: MockSubscriber[] = [];
  readonly connect = jest.fn((_token: string, done: OTCallback) => queueMicrotask(() => done(this.connectError)));
  readonly publish = jest.fn((_publisher: OTPublisherLike, done: OTCallback) => queueMicrotask(() => done(this.publishError)));
  readonly subscribe = jest.fn((_stream: OTStreamLike, _target: undefined, _properties: { insertDefaultUI: false }, done: OTCallback) => {
    const subscriber = new MockSubscriber();
    this.subscribers.push(subscriber);
    queueMicrotask(() => done());
    return subscriber;
  });
  readonly disconnect = jest.fn();
}

class MockOT implements OTLike {
  readonly session = new MockSession();
  readonly publisher = new MockPublisher();
  publisherError?: OTErrorLike;
  readonly initSession = jest.fn((_apiKey: string, _sessionId: string) => this.session);
  readonly initPublisher = jest.fn((_target: undefined, _properties: OTPublisherProperties, done: OTCallback) => {
    queueMicrotask(() => done(this.publisherError));
    return this.publisher;
  });
}

describe('OpenTokVideoCall', () => {
  let ot: MockOT;
  let load: jest.Mock<Promise<OTLike>, []>;
  let call: OpenTokVideoCall;
  let errors: VideoCallError[];

  beforeEach(() => {
    ot = new MockOT();
    load = jest.fn(() => Promise.resolve<OTLike>(ot));
    call = new OpenTokVideoCall(load);
    errors = [];
    call.errors$.subscribe((error) => errors.push(error));
  });

  afterEach(async () => {
    await call.leave();
  });

  function publisherProperties(): OTPublisherProperties {
    return ot.initPublisher.mock.calls[0]![1];
  }

  async function joinWithRemote(): Promise<{ remote: MediaStream; element: { srcObject: MediaStream; muted: boolean } }> {
    await call.join(credentials, { role: 'customer', localStream: fakeCameraStream() });
    ot.session.emit('streamCreated', { stream: { streamId: 'rep-stream' } });
    await Promise.resolve();
    const remote = fakeCameraStream();
    const element = { srcObject: remote, muted: false };
    ot.session.subscribers[0]!.emit('videoElementCreated', { element });
    return { remote, element };
  }

  it('should not load the SDK until join', async () => {
    expect(load).not.toHaveBeenCalled();

    await call.join(credentials, { role: 'rep', localStream: fakeCameraStream() });

    expect(load).toHaveBeenCalledTimes(1);
  });

  it('should load the SDK by dynamic import, whichever way the bundler exposes it', async () => {
    const loaded = await loadOpenTok();

    expect(loaded.initSession).toBe(sdkMarker);
  });

  it('should connect with the credentials and publish without OpenTok UI', async () => {
    await call.join(credentials, { role: 'customer' });

    expect(ot.initSession).toHaveBeenCalledWith('4711', '1_session');
    expect(ot.session.connect).toHaveBeenCalledWith('T1==', expect.any(Function));
    expect(publisherProperties()).toEqual({ insertDefaultUI: false, publishAudio: true, publishVideo: true, name: 'customer' });
    expect(ot.session.publish).toHaveBeenCalledWith(ot.publisher, expect.any(Function));
    expect(call.state()).toBe('connected');
  });

  it('should show the camera stream OpenTok acquired as the local stream', async () => {
    const captured = fakeCameraStream();
    await call.join(credentials, { role: 'customer' });

    ot.publisher.emit('videoElementCreated', { element: { srcObject: captured } });

    expect(call.localStream()).toBe(captured);
  });

  it("should publish copies of a passed-in stream's tracks and leave that stream running", async () => {
    const given = fakeCameraStream();
    await call.join(credentials, { role: 'rep', localStream: given });
    const video = publisherProperties().videoSource as unknown as FakeMediaStreamTrack;
    const audio = publisherProperties().audioSource as unknown as FakeMediaStreamTrack;

    expect(call.localStream()).toBe(given);
    expect(video.source).toBe(given.getVideoTracks()[0]);
    expect(audio.source).toBe(given.getAudioTracks()[0]);

    await call.leave();

    expect(ot.publisher.destroy).toHaveBeenCalled();
    expect(ot.session.disconnect).toHaveBeenCalled();
    expect([video.readyState, audio.readyState]).toEqual(['ended', 'ended']);
    expect(given.getTracks().map((track) => track.readyState)).toEqual(['live', 'live']);
    expect(call.localStream()).toBeNull();
    expect(call.state()).toBe('ended');
  });

  it("should subscribe to the other side's stream and expose it from the video element, muting OpenTok's copy", async () => {
    const { remote, element } = await joinWithRemote();

    expect(ot.session.subscribe).toHaveBeenCalledWith(
      { streamId: 'rep-stream' },
      undefined,
      { insertDefaultUI: false },
      expect.any(Function),
    );
    expect(call.remoteStream()).toBe(remote);
    expect(element.muted).toBe(true);
  });

  it('should also take the remote stream from mediaStreamAvailable', async () => {
    await call.join(credentials, { role: 'rep' });
    ot.session.emit('streamCreated', { stream: { streamId: 'customer-stream' } });
    const remote = fakeCameraStream();

    ot.session.subscribers[0]!.emit('mediaStreamAvailable', { mediaStream: remote });

    expect(call.remoteStream()).toBe(remote);
  });

  it('should end the call when the other side leaves', async () => {
    await joinWithRemote();

    ot.session.emit('streamDestroyed', { stream: { streamId: 'rep-stream' }, reason: 'clientDisconnected' });

    expect(call.state()).toBe('ended');
    expect(call.remoteStream()).toBeNull();
    expect(ot.session.disconnect).toHaveBeenCalled();
    expect(ot.publisher.destroy).toHaveBeenCalled();
  });

  it('should end on a normal disconnect and fail on a lost network', async () => {
    await call.join(credentials, { role: 'rep' });
    ot.session.emit('sessionDisconnected', { reason: 'forceDisconnected' });
    expect(call.state()).toBe('ended');

    const other = new OpenTokVideoCall(() => Promise.resolve<OTLike>(ot));
    const otherErrors: VideoCallError[] = [];
    other.errors$.subscribe((error) => otherErrors.push(error));
    await other.join(credentials, { role: 'rep' });
    ot.session.emit('sessionDisconnected', { reason: 'networkDisconnected' });

    expect(other.state()).toBe('failed');
    expect(otherErrors.map((error) => error.code)).toEqual(['connection-failed']);
  });

  it('should show reconnecting while OpenTok reconnects', async () => {
    await call.join(credentials, { role: 'rep' });

    ot.session.emit('sessionReconnecting', {});
    expect(call.state()).toBe('reconnecting');
    ot.session.emit('sessionReconnected', {});
    expect(call.state()).toBe('connected');
  });

  it('should mute and turn the camera off through the publisher, and start that way if asked before join', async () => {
    call.setMuted(true);
    await call.join(credentials, { role: 'rep' });
    expect(publisherProperties()).toMatchObject({ publishAudio: false, publishVideo: true });

    call.setCameraOff(true);
    call.setMuted(false);

    expect(ot.publisher.publishVideo).toHaveBeenLastCalledWith(false);
    expect(ot.publisher.publishAudio).toHaveBeenLastCalledWith(true);
    expect([call.muted(), call.cameraOff()]).toEqual([false, true]);
  });

  it.each([
    ['publisher', { name: 'OT_USER_MEDIA_ACCESS_DENIED', code: 1500 }, 'permission-denied'],
    ['publisher', { name: 'OT_HARDWARE_UNAVAILABLE', code: 1500 }, 'device-in-use'],
    ['publisher', { name: 'OT_NO_DEVICES_FOUND', code: 1500 }, 'no-device'],
    ['connect', { name: 'OT_CONNECT_FAILED', code: 1006 }, 'connection-failed'],
    ['connect', { name: 'OT_AUTHENTICATION_ERROR', code: 1004 }, 'connection-failed'],
    ['publish', { name: 'OT_STREAM_CREATE_FAILED', code: 1500 }, 'connection-failed'],
  ] as const)('should turn a %s error %o into %s', async (where, error, code) => {
    if (where === 'publisher') ot.publisherError = error;
    if (where === 'connect') ot.session.connectError = error;
    if (where === 'publish') ot.session.publishError = error;

    await expect(call.join(credentials, { role: 'customer' })).rejects.toMatchObject({ error: { code } });

    expect(call.state()).toBe('failed');
    expect(errors.map((reported) => reported.code)).toEqual([code]);
    expect(ot.session.disconnect).toHaveBeenCalled();
    expect(ot.publisher.destroy).toHaveBeenCalled();
  });

  it('should report a connection failure when the SDK cannot be loaded', async () => {
    load.mockRejectedValue(new Error('Loading chunk failed'));

    await expect(call.join(credentials, { role: 'customer' })).rejects.toMatchObject({
      error: { code: 'connection-failed' },
    });
  });

  it('should stop a join that is still loading when the call is left', async () => {
    let finishLoading!: (value: OTLike) => void;
    load.mockReturnValue(new Promise<OTLike>((resolve) => (finishLoading = resolve)));
    const joining = call.join(credentials, { role: 'customer' });

    await call.leave();
    finishLoading(ot);
    await joining;

    expect(ot.initSession).not.toHaveBeenCalled();
    expect(call.state()).toBe('ended');
  });
});
