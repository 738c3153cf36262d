import type { VideoCredentials } from '@servicekit/contracts';
import { BaseVideoCall } from './base-video-call';
import type {
  OTCallback,
  OTErrorLike,
  OTLike,
  OTMediaElementLike,
  OTPublisherLike,
  OTPublisherProperties,
  OTSessionLike,
  OTStreamLike,
} from './opentok-types';
import type { VideoCallJoinOptions } from './video-call';
import { VideoCallFailure, type VideoCallErrorCode } from './video-call-error';

/** Loads the SDK on first join only: a dynamic import keeps its 3 MB out of the initial bundle. */
export async function loadOpenTok(): Promise<OTLike> {
  const loaded: unknown = await import('@opentok/client');
  // A CommonJS `export =` module arrives as the namespace itself or under `default`, depending on the bundler.
  const withDefault = loaded as { default?: unknown };
  return (withDefault.default ?? loaded) as OTLike;
}

const CODES_BY_OT_ERROR: Readonly<Record<string, VideoCallErrorCode>> = {
  OT_USER_MEDIA_ACCESS_DENIED: 'permission-denied',
  OT_HARDWARE_UNAVAILABLE: 'device-in-use',
  OT_NO_DEVICES_FOUND: 'no-device',
  OT_NO_VALID_CONSTRAINTS: 'no-device',
  OT_CONSTRAINTS_NOT_SATISFIED: 'no-device',
  OT_UNSUPPORTED_BROWSER: 'unsupported',
  OT_NOT_SUPPORTED: 'unsupported',
};

/** Media errors have names; everything else (connect 1006, auth 1004, publish 1500, timeouts) is the connection. */
export function openTokErrorCode(error: OTErrorLike): VideoCallErrorCode {
  return (error.name && CODES_BY_OT_ERROR[error.name]) || 'connection-failed';
}

function otFailure(error: OTErrorLike): VideoCallFailure {
  return VideoCallFailure.of(openTokErrorCode(error), error);
}

function isMediaStream(value: unknown): value is MediaStream {
  return typeof value === 'object' && value !== null && typeof (value as MediaStream).getTracks === 'function';
}

/** Resolves with the error an OpenTok callback got (undefined on success); never rejects. */
function callback(start: (done: OTCallback) => unknown): Promise<OTErrorLike | undefined> {
  return new Promise((resolve) => {
    start((error) => resolve(error ?? undefined));
  });
}

/** A call through the Vonage Video (OpenTok) cloud; `@opentok/client` is loaded on join. */
export class OpenTokVideoCall extends BaseVideoCall {
  private session: OTSessionLike | null = null;
  private publisher: OTPublisherLike | null = null;
  private remoteOtStream: OTStreamLike | null = null;
  /** Copies of a caller's tracks: OpenTok may stop what it publishes, and the caller's stream must survive. */
  private publishedCopies: MediaStreamTrack[] = [];

  constructor(private readonly loadOT: () => Promise<OTLike> = loadOpenTok) {
    super();
  }

  override async join(credentials: VideoCredentials, options: VideoCallJoinOptions): Promise<void> {
    this.startJoining();
    try {
      const OT = await this.loadSdk();
      if (this.left) return;
      if (OT.checkSystemRequirements && OT.checkSystemRequirements() !== 1) {
        throw VideoCallFailure.of('unsupported');
      }
      if (!credentials.apiKey) {
        throw VideoCallFailure.of('connection-failed', new Error('OpenTok credentials carry no apiKey.'));
      }
      if (options.localStream) this.local.set(options.localStream);
      const session = OT.initSession(credentials.apiKey, credentials.sessionId);
      this.session = session;
      this.listenTo(session);

      // Connecting and starting the camera in parallel saves a round of waiting.
      const connected = callback((done) => session.connect(credentials.token, done));
      let publisherReady!: OTCallback;
      const ready = new Promise<OTErrorLike | undefined>((resolve) => (publisherReady = (error) => resolve(error)));
      const publisher = OT.initPublisher(undefined, this.publisherProperties(options), (error) => publisherReady(error));
      this.publisher = publisher;
      this.listenToPublisher(publisher, options.localStream);

      const [publisherError, connectError] = await Promise.all([ready, connected]);
      if (this.left) return;
      // A camera problem is the one the person can fix, so it is reported first.
      if (publisherError) throw otFailure(publisherError);
      if (connectError) throw otFailure(connectError);

      const publishError = await callback((done) => session.publish(publisher, done));
      if (this.left) return;
      if (publishError) throw otFailure(publishError);
      if (this.status() === 'joining') this.status.set('connected');
    } catch (error) {
      if (this.left) return;
      throw this.fail(error);
    }
  }

  override setMuted(muted: boolean): void {
    this.isMuted.set(muted);
    this.publisher?.publishAudio(!muted);
  }

  override setCameraOff(off: boolean): void {
    this.isCameraOff.set(off);
    this.publisher?.publishVideo(!off);
  }

  protected override release(): void {
    const session = this.session;
    const publisher = this.publisher;
    this.session = null;
    this.publisher = null;
    this.remoteOtStream = null;
    publisher?.destroy();
    session?.disconnect();
    this.publishedCopies.forEach((track) => track.stop());
    this.publishedCopies = [];
    this.remote.set(null);
    this.local.set(null);
  }

  private async loadSdk(): Promise<OTLike> {
    try {
      return await this.loadOT();
    } catch (error) {
      // Usually a lost network while fetching the lazy chunk.
      throw VideoCallFailure.of('connection-failed', error);
    }
  }

  private publisherProperties(options: VideoCallJoinOptions): OTPublisherProperties {
    const properties: OTPublisherProperties = {
      insertDefaultUI: false,
      publishAudio: !this.isMuted(),
      publishVideo: !this.isCameraOff(),
      name: options.role,
    };
    const given = options.localStream;
    if (given) {
      const audio = given.getAudioTracks()[0]?.clone();
      const video = given.getVideoTracks()[0]?.clone();
      this.publishedCopies = [audio, video].filter((track): track is MediaStreamTrack => !!track);
      properties.audioSource = audio ?? false;
      properties.videoSource = video ?? false;
    }
    return properties;
  }

  private listenToPublisher(publisher: OTPublisherLike, given: MediaStream | undefined): void {
    if (given) return;
    // OpenTok acquired the camera itself: show what it captured.
    publisher.on('mediaStreamAvailable', (event) => {
      if (this.isCurrent(publisher)) this.local.set(event.mediaStream);
    });
    publisher.on('videoElementCreated', (event) => {
      const stream = event.element.srcObject;
      if (this.isCurrent(publisher) && isMediaStream(stream)) this.local.set(stream);
    });
  }

  private listenTo(session: OTSessionLike): void {
    const current = () => this.session === session;
    session.on('streamCreated', (event) => {
      if (!current() || this.remoteOtStream) return;
      this.remoteOtStream = event.stream;
      const subscriber = session.subscribe(event.stream, undefined, { insertDefaultUI: false }, (error) => {
        if (error && current()) this.fail(otFailure(error));
      });
      const isLive = () => current() && this.remoteOtStream === event.stream;
      subscriber.on('videoElementCreated', (created) => {
        if (isLive()) this.showRemote(created.element);
      });
      subscriber.on('mediaStreamAvailable', (available) => {
        if (isLive()) this.remote.set(available.mediaStream);
      });
    });
    session.on('streamDestroyed', (event) => {
      if (current() && this.remoteOtStream?.streamId === event.stream.streamId) this.end();
    });
    session.on('sessionDisconnected', (event) => {
      if (!current()) return;
      if (event.reason === 'networkDisconnected') {
        this.fail(VideoCallFailure.of('connection-failed'));
      } else {
        this.end();
      }
    });
    session.on('sessionReconnecting', () => {
      if (current()) this.status.set('reconnecting');
    });
    session.on('sessionReconnected', () => {
      if (current()) this.status.set('connected');
    });
  }

  private showRemote(element: OTMediaElementLike): void {
    const stream = element.srcObject;
    if (!isMediaStream(stream)) return;
    // The page plays this stream in its own <video>; OpenTok's detached element would play the audio twice.
    element.muted = true;
    this.remote.set(stream);
  }

  private isCurrent(publisher: OTPublisherLike): boolean {
    return this.publisher === publisher;
  }
}
