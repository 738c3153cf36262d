import type { SignalMessage, VideoCredentials } from '@servicekit/contracts';
import type { Subscription } from 'rxjs';
import { BaseVideoCall } from './base-video-call';
import { LocalMedia } from './local-media.service';
import type { SignalingChannel } from './signaling-channel';
import type { VideoCallJoinOptions, VideoCallRole } from './video-call';
import { VIDEO_CALL_DEFAULT_CONFIG, type VideoCallConfig } from './video-call.config';
import { VideoCallFailure } from './video-call-error';

export type PeerConnectionFactory = (config: RTCConfiguration) => RTCPeerConnection;

export interface PeerVideoCallOptions {
  /** Where a local stream comes from when join is not given one. */
  localMedia?: Pick<LocalMedia, 'acquire' | 'release'>;
  /** How often the rep re-sends an unanswered offer (the customer may subscribe after the first one). */
  offerRetryMs?: number;
  /** How long to wait, after the connection failed, for an ICE restart to bring it back. */
  restartWaitMs?: number;
}

const defaultPeerConnection: PeerConnectionFactory = (config) => new RTCPeerConnection(config);

/**
 * Built-in peer-to-peer call: one RTCPeerConnection, signaled over a `SignalingChannel`. The roles are
 * fixed, so negotiation is simple: the rep always offers (including the one ICE restart), the customer
 * always answers.
 */
export class PeerVideoCall extends BaseVideoCall {
  private readonly localMedia: Pick<LocalMedia, 'acquire' | 'release'>;
  private readonly offerRetryMs: number;
  private readonly restartWaitMs: number;
  private role: VideoCallRole = 'customer';
  private pc: RTCPeerConnection | null = null;
  private signaling: SignalingChannel | null = null;
  private subscription: Subscription | null = null;
  private ownsLocalStream = false;
  /** Candidates that arrived before the remote description they belong to. */
  private pendingCandidates: RTCIceCandidateInit[] = [];
  /** Messages are handled one at a time, in order, so an ICE candidate never overtakes its offer. */
  private inbox: Promise<void> = Promise.resolve();
  private offerRetry: ReturnType<typeof setInterval> | null = null;
  private restartDeadline: ReturnType<typeof setTimeout> | null = null;
  private restarted = false;
  private remoteHungUp = false;

  constructor(
    private readonly config: VideoCallConfig = VIDEO_CALL_DEFAULT_CONFIG,
    private readonly createPeerConnection: PeerConnectionFactory = defaultPeerConnection,
    options: PeerVideoCallOptions = {},
  ) {
    super();
    this.localMedia = options.localMedia ?? new LocalMedia();
    this.offerRetryMs = options.offerRetryMs ?? 1500;
    this.restartWaitMs = options.restartWaitMs ?? 10_000;
  }

  override async join(_credentials: VideoCredentials, options: VideoCallJoinOptions): Promise<void> {
    if (!options.signaling) {
      throw new Error('PeerVideoCall needs a SignalingChannel to reach the other side.');
    }
    this.startJoining();
    this.role = options.role;
    this.signaling = options.signaling;
    try {
      const stream = options.localStream ?? (await this.localMedia.acquire());
      this.ownsLocalStream = !options.localStream;
      if (this.left) {
        this.releaseLocal(stream);
        return;
      }
      this.local.set(stream);
      this.applyTrackSwitches();

      const pc = this.openPeerConnection();
      stream.getTracks().forEach((track) => pc.addTrack(track, stream));
      this.subscription = options.signaling.messages$.subscribe((message) => this.receive(message));
      if (this.role === 'rep') {
        await this.sendOffer(false);
      }
    } catch (error) {
      if (this.left) return;
      throw this.fail(error);
    }
  }

  override setMuted(muted: boolean): void {
    this.isMuted.set(muted);
    this.applyTrackSwitches();
  }

  override setCameraOff(off: boolean): void {
    this.isCameraOff.set(off);
    this.applyTrackSwitches();
  }

  protected override beforeLeave(): void {
    if (this.signaling && !this.remoteHungUp && this.status() !== 'idle' && this.status() !== 'ended') {
      // Best effort: the presence server also tells the other side when this one goes away.
      this.signaling.send({ kind: 'hangup' }).catch(() => undefined);
    }
  }

  protected override release(): void {
    this.stopTimers();
    this.subscription?.unsubscribe();
    this.subscription = null;
    if (this.pc) {
      const pc = this.pc;
      this.pc = null;
      pc.onicecandidate = null;
      pc.ontrack = null;
      pc.onconnectionstatechange = null;
      pc.close();
    }
    this.remote()
      ?.getTracks()
      .forEach((track) => track.stop());
    this.remote.set(null);
    const local = this.local();
    if (local) {
      this.local.set(null);
      this.releaseLocal(local);
    }
    this.pendingCandidates = [];
  }

  private openPeerConnection(): RTCPeerConnection {
    let pc: RTCPeerConnection;
    try {
      pc = this.createPeerConnection({ iceServers: this.config.iceServers });
    } catch (error) {
      throw VideoCallFailure.of('unsupported', error);
    }
    this.pc = pc;
    pc.onicecandidate = (event) => {
      if (!event.candidate) return;
      const { candidate, sdpMid, sdpMLineIndex } = event.candidate;
      this.send({ kind: 'ice', candidate: { candidate, sdpMid, sdpMLineIndex } });
    };
    pc.ontrack = (event) => {
      const [stream] = event.streams;
      if (stream) {
        this.remote.set(stream);
      } else {
        // A track sent without a stream: collect the tracks into a new stream (a new object, so the signal fires).
        this.remote.set(new MediaStream([...(this.remote()?.getTracks() ?? []), event.track]));
      }
    };
    pc.onconnectionstatechange = () => this.onConnectionState(pc.connectionState);
    return pc;
  }

  private receive(message: SignalMessage): void {
    this.inbox = this.inbox
      .then(() => this.handle(message))
      .catch((error: unknown) => {
        if (this.pc) this.fail(error);
      });
  }

  private async handle(message: SignalMessage): Promise<void> {
    const pc = this.pc;
    if (!pc) return;
    switch (message.kind) {
      case 'offer':
        if (this.role === 'customer') await this.answer(pc, message.sdp);
        return;
      case 'answer':
        // A late answer to an offer already answered (the rep re-sends offers) is ignored.
        if (this.role === 'rep' && pc.signalingState === 'have-local-offer') {
          await pc.setRemoteDescription({ type: 'answer', sdp: message.sdp });
          this.stopOfferRetry();
          await this.addPendingCandidates(pc);
        }
        return;
      case 'ice':
        if (pc.remoteDescription) {
          await this.addCandidate(pc, message.candidate);
        } else {
          this.pendingCandidates.push(message.candidate);
        }
        return;
      case 'hangup':
        this.remoteHungUp = true;
        this.end();
        return;
    }
  }

  private async answer(pc: RTCPeerConnection, sdp: string): Promise<void> {
    if (pc.signalingState === 'stable' && pc.remoteDescription?.sdp === sdp && pc.localDescription) {
      // The rep re-sent an offer we already answered: our answer is still on its way or was lost.
      this.send({ kind: 'answer', sdp: pc.localDescription.sdp });
      return;
    }
    await pc.setRemoteDescription({ type: 'offer', sdp });
    await this.addPendingCandidates(pc);
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    this.send({ kind: 'answer', sdp: pc.localDescription?.sdp ?? answer.sdp ?? '' });
  }

  private async sendOffer(iceRestart: boolean): Promise<void> {
    const pc = this.pc;
    if (!pc) return;
    const offer = await pc.createOffer({ iceRestart });
    await pc.setLocalDescription(offer);
    this.send({ kind: 'offer', sdp: pc.localDescription?.sdp ?? offer.sdp ?? '' });
    this.stopOfferRetry();
    this.offerRetry = setInterval(() => {
      // The current local description also carries the candidates gathered so far.
      if (this.pc?.signalingState === 'have-local-offer' && this.pc.localDescription) {
        this.send({ kind: 'offer', sdp: this.pc.localDescription.sdp });
      } else {
        this.stopOfferRetry();
      }
    }, this.offerRetryMs);
  }

  private async addPendingCandidates(pc: RTCPeerConnection): Promise<void> {
    const pending = this.pendingCandidates;
    this.pendingCandidates = [];
    for (const candidate of pending) {
      await this.addCandidate(pc, candidate);
    }
  }

  private async addCandidate(pc: RTCPeerConnection, candidate: RTCIceCandidateInit): Promise<void> {
    try {
      await pc.addIceCandidate(candidate);
    } catch {
      // A candidate from an earlier ICE generation, or one the browser cannot use: the others still can.
    }
  }

  private onConnectionState(connectionState: RTCPeerConnectionState): void {
    switch (connectionState) {
      case 'connected':
        this.stopRestartDeadline();
        this.status.set('connected');
        return;
      case 'disconnected':
        // Often recovers by itself within seconds.
        if (this.status() === 'connected') this.status.set('reconnecting');
        return;
      case 'failed':
        this.onConnectionFailed();
        return;
      default:
        return;
    }
  }

  private onConnectionFailed(): void {
    if (this.restarted) {
      this.fail(VideoCallFailure.of('connection-failed'));
      return;
    }
    this.restarted = true;
    this.status.set('reconnecting');
    this.restartDeadline = setTimeout(() => this.fail(VideoCallFailure.of('connection-failed')), this.restartWaitMs);
    if (this.role === 'rep') {
      this.sendOffer(true).catch((error: unknown) => this.fail(error));
    }
  }

  private send(message: SignalMessage): void {
    // A lost message is covered by the offer retry and the ICE restart; the socket reports its own errors.
    this.signaling?.send(message).catch(() => undefined);
  }

  private applyTrackSwitches(): void {
    const stream = this.local();
    if (!stream) return;
    stream.getAudioTracks().forEach((track) => (track.enabled = !this.isMuted()));
    stream.getVideoTracks().forEach((track) => (track.enabled = !this.isCameraOff()));
  }

  private releaseLocal(stream: MediaStream): void {
    if (this.ownsLocalStream) {
      this.localMedia.release(stream);
    } else {
      // The caller keeps using its stream (the rep's preview, the next call): hand it back switched on.
      stream.getTracks().forEach((track) => (track.enabled = true));
    }
  }

  private stopOfferRetry(): void {
    if (this.offerRetry) clearInterval(this.offerRetry);
    this.offerRetry = null;
  }

  private stopRestartDeadline(): void {
    if (this.restartDeadline) clearTimeout(this.restartDeadline);
    this.restartDeadline = null;
  }

  private stopTimers(): void {
    this.stopOfferRetry();
    this.stopRestartDeadline();
  }
}
