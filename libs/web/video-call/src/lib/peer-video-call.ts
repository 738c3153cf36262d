import type { SignalMessage, VideoCredentials } from '@servicekit/contracts';
import type { Subscription } from 'rxjs';
import { BaseVideoCall } from './base-video-call';
import { LocalMedia } from './local-media.service';
import { offerIdOf, sessionOf, ufragOfCandidate, ufragOfDescription } from './sdp';
import type { SignalingChannel } from './signaling-channel';
import type { VideoCallJoinOptions, VideoCallRole } from './video-call';
import { VIDEO_CALL_DEFAULT_CONFIG, type VideoCallConfig } from './video-call.config';
import { videoCallError, VideoCallFailure } from './video-call-error';

export type PeerConnectionFactory = (config: RTCConfiguration) => RTCPeerConnection;

export interface PeerVideoCallOptions {
  /** Where a local stream comes from when join is not given one. */
  localMedia?: Pick<LocalMedia, 'acquire' | 'release'>;
  /** How often the rep re-sends an unanswered offer (the customer may subscribe after the first one). */
  offerRetryMs?: number;
  /** How long the rep lets a dropped connection come back by itself before it restarts ICE. */
  disconnectGraceMs?: number;
  /** How long the first connection may take before the person is told it could not be made. */
  connectTimeoutMs?: number;
  /** How long lost media may stay away before the person is told; the rep restarts ICE again each time. */
  restartWaitMs?: number;
}

const defaultPeerConnection: PeerConnectionFactory = (config) => new RTCPeerConnection(config);
/** Candidates kept for a description that has not arrived yet; more would only be an earlier generation's. */
const MAX_PENDING_CANDIDATES = 100;

/**
 * Built-in peer-to-peer call over a `SignalingChannel`. One rule keeps negotiation free of glare: the rep
 * always offers, the customer always answers.
 * - A customer's call starts by sending `ready`. The rep answers it with its current offer, or, when its peer
 *   connection already belongs to an earlier customer page (a reload), with a new peer connection and offer.
 * - A customer who gets an offer from another peer connection (the rep's page reloaded) starts over with a
 *   new one of its own.
 * - When ICE drops (`disconnected` for a moment, or `failed`), only the rep restarts it (an offer with
 *   `iceRestart`), again after every `restartWaitMs` until media is back; both sides are told after that long.
 * Answers name the offer they answer, so a late answer never lands on a newer connection; candidates wait
 * for the description whose ICE credentials they carry.
 */
export class PeerVideoCall extends BaseVideoCall {
  private readonly localMedia: Pick<LocalMedia, 'acquire' | 'release'>;
  private readonly offerRetryMs: number;
  private readonly disconnectGraceMs: number;
  private readonly connectTimeoutMs: number;
  private readonly restartWaitMs: number;
  private role: VideoCallRole = 'customer';
  private rtcConfig: RTCConfiguration = {};
  private pc: RTCPeerConnection | null = null;
  private signaling: SignalingChannel | null = null;
  private subscription: Subscription | null = null;
  private ownsLocalStream = false;
  /** Candidates that arrived before the remote description they belong to. */
  private pendingCandidates: RTCIceCandidateInit[] = [];
  /** Messages are handled one at a time, in order, so an ICE candidate never overtakes its offer. */
  private inbox: Promise<void> = Promise.resolve();
  private offerRetry: ReturnType<typeof setInterval> | null = null;
  private disconnectGrace: ReturnType<typeof setTimeout> | null = null;
  private deadline: ReturnType<typeof setTimeout> | null = null;
  /** Media flowed at least once in this call: a loss from now on is "lost", not "could not be made". */
  private everConnected = false;
  /** The person has been told about the current outage already. */
  private reported = false;
  private remoteHungUp = false;
  /** The connection an offer is being made for: one at a time (a failure reports itself through two events). */
  private offering: RTCPeerConnection | null = null;

  constructor(
    private readonly config: VideoCallConfig = VIDEO_CALL_DEFAULT_CONFIG,
    private readonly createPeerConnection: PeerConnectionFactory = defaultPeerConnection,
    options: PeerVideoCallOptions = {},
  ) {
    super();
    this.localMedia = options.localMedia ?? new LocalMedia();
    this.offerRetryMs = options.offerRetryMs ?? 1500;
    this.disconnectGraceMs = options.disconnectGraceMs ?? 2000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 15_000;
    this.restartWaitMs = options.restartWaitMs ?? 10_000;
  }

  override async join(credentials: VideoCredentials, options: VideoCallJoinOptions): Promise<void> {
    if (!options.signaling) {
      throw new Error('PeerVideoCall needs a SignalingChannel to reach the other side.');
    }
    this.startJoining();
    this.role = options.role;
    this.signaling = options.signaling;
    // The servers come with the call's credentials (fresh TURN credentials on every join); the app's config is
    // the fallback for credentials that carry none.
    this.rtcConfig = {
      iceServers: credentials.iceServers ?? this.config.iceServers,
      iceTransportPolicy: credentials.iceTransportPolicy ?? 'all',
    };
    try {
      const stream = options.localStream ?? (await this.localMedia.acquire());
      this.ownsLocalStream = !options.localStream;
      if (this.left) {
        this.releaseLocal(stream);
        return;
      }
      this.local.set(stream);
      this.applyTrackSwitches();

      this.openPeerConnection();
      this.subscription = options.signaling.messages$.subscribe((message) => this.receive(message));
      this.armDeadline();
      if (this.role === 'rep') {
        await this.sendOffer(false);
      } else {
        this.send({ kind: 'ready' });
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

  override async stats(): Promise<RTCStatsReport | null> {
    return (await this.pc?.getStats()) ?? null;
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
    this.closePeerConnection();
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
      pc = this.createPeerConnection(this.rtcConfig);
    } catch (error) {
      throw VideoCallFailure.of('unsupported', error);
    }
    this.pc = pc;
    pc.onicecandidate = (event) => {
      if (!event.candidate || pc !== this.pc) return;
      const { candidate, sdpMid, sdpMLineIndex } = event.candidate;
      this.send({ kind: 'ice', candidate: { candidate, sdpMid, sdpMLineIndex } });
    };
    pc.ontrack = (event) => {
      if (pc !== this.pc) return;
      const [stream] = event.streams;
      if (stream) {
        this.remote.set(stream);
      } else {
        // A track sent without a stream: collect the tracks into a new stream (a new object, so the signal fires).
        this.remote.set(new MediaStream([...(this.remote()?.getTracks() ?? []), event.track]));
      }
    };
    pc.onconnectionstatechange = () => this.onConnectionState(pc);
    pc.oniceconnectionstatechange = () => this.onIceConnectionState(pc);
    const stream = this.local();
    stream?.getTracks().forEach((track) => pc.addTrack(track, stream));
    return pc;
  }

  private closePeerConnection(): void {
    this.stopOfferRetry();
    const pc = this.pc;
    if (pc) {
      this.pc = null;
      pc.onicecandidate = null;
      pc.ontrack = null;
      pc.onconnectionstatechange = null;
      pc.oniceconnectionstatechange = null;
      pc.close();
    }
    this.remote()
      ?.getTracks()
      .forEach((track) => track.stop());
    this.remote.set(null);
  }

  /** The other side's peer connection is a new one: start over with a new one here too. */
  private startOver(): RTCPeerConnection {
    this.closePeerConnection();
    if (this.everConnected) this.status.set('reconnecting');
    this.armDeadline();
    return this.openPeerConnection();
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
      case 'ready':
        if (this.role === 'rep') await this.customerReady(pc);
        return;
      case 'offer':
        if (this.role === 'customer') await this.answer(pc, message.sdp);
        return;
      case 'answer':
        // A late answer to an offer already answered, or to an older offer, is ignored.
        if (this.role === 'rep' && pc.signalingState === 'have-local-offer' && answersCurrentOffer(pc, message.offerId)) {
          await pc.setRemoteDescription({ type: 'answer', sdp: message.sdp });
          this.stopOfferRetry();
          await this.addPendingCandidates(pc);
        }
        return;
      case 'ice':
        if (pc.remoteDescription && belongsTo(message.candidate, pc.remoteDescription)) {
          await this.addCandidate(pc, message.candidate);
        } else {
          this.pendingCandidates = [...this.pendingCandidates, message.candidate].slice(-MAX_PENDING_CANDIDATES);
        }
        return;
      case 'hangup':
        this.remoteHungUp = true;
        this.end();
        return;
    }
  }

  /** The customer's call has a fresh peer connection: it gets the current offer, or a new connection's. */
  private async customerReady(pc: RTCPeerConnection): Promise<void> {
    if (!pc.remoteDescription) {
      // Not answered yet: the customer may have missed the offer, so send it again at once.
      if (pc.signalingState === 'have-local-offer' && pc.localDescription) this.send({ kind: 'offer', sdp: pc.localDescription.sdp });
      return;
    }
    this.startOver();
    await this.sendOffer(false);
  }

  private async answer(current: RTCPeerConnection, sdp: string): Promise<void> {
    const remote = current.remoteDescription;
    if (current.signalingState === 'stable' && remote && offerIdOf(remote.sdp) === offerIdOf(sdp) && current.localDescription) {
      // The rep re-sent an offer we already answered: our answer is still on its way or was lost.
      this.send(answerMessage(current.localDescription.sdp, sdp));
      return;
    }
    const pc = remote && sessionOf(remote.sdp) !== sessionOf(sdp) ? this.startOver() : current;
    await pc.setRemoteDescription({ type: 'offer', sdp });
    await this.addPendingCandidates(pc);
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    this.send(answerMessage(pc.localDescription?.sdp ?? answer.sdp ?? '', sdp));
  }

  private async sendOffer(iceRestart: boolean): Promise<void> {
    const pc = this.pc;
    if (!pc || this.offering === pc) return;
    this.offering = pc;
    try {
      const offer = await pc.createOffer({ iceRestart });
      if (pc !== this.pc) return;
      await pc.setLocalDescription(offer);
    } finally {
      if (this.offering === pc) this.offering = null;
    }
    if (pc !== this.pc) return;
    this.send({ kind: 'offer', sdp: pc.localDescription?.sdp ?? '' });
    this.stopOfferRetry();
    this.offerRetry = setInterval(() => {
      // The current local description also carries the candidates gathered so far.
      if (this.pc === pc && pc.signalingState === 'have-local-offer' && pc.localDescription) {
        this.send({ kind: 'offer', sdp: pc.localDescription.sdp });
      } else {
        this.stopOfferRetry();
      }
    }, this.offerRetryMs);
  }

  /** Rep only: new ICE credentials on the same connection; an offer still unanswered is simply re-sent. */
  private restartIce(): void {
    const pc = this.pc;
    if (this.role !== 'rep' || !pc || pc.signalingState !== 'stable' || !pc.remoteDescription) return;
    this.sendOffer(true).catch((error: unknown) => this.fail(error));
  }

  private async addPendingCandidates(pc: RTCPeerConnection): Promise<void> {
    const remote = pc.remoteDescription;
    if (!remote) return;
    const pending = this.pendingCandidates;
    this.pendingCandidates = pending.filter((candidate) => !belongsTo(candidate, remote));
    for (const candidate of pending.filter((each) => belongsTo(each, remote))) {
      await this.addCandidate(pc, candidate);
    }
  }

  private async addCandidate(pc: RTCPeerConnection, candidate: RTCIceCandidateInit): Promise<void> {
    try {
      await pc.addIceCandidate(candidate);
    } catch {
      // A candidate the browser cannot use: the others still can.
    }
  }

  private onConnectionState(pc: RTCPeerConnection): void {
    if (pc !== this.pc) return;
    if (pc.connectionState === 'connected') {
      this.everConnected = true;
      this.reported = false;
      this.stopDisconnectGrace();
      this.stopDeadline();
      this.status.set('connected');
    } else if (pc.connectionState === 'failed') {
      this.mediaLost(pc, true);
    }
  }

  private onIceConnectionState(pc: RTCPeerConnection): void {
    if (pc !== this.pc) return;
    if (pc.iceConnectionState === 'disconnected') this.mediaLost(pc, false);
    else if (pc.iceConnectionState === 'failed') this.mediaLost(pc, true);
  }

  /** `disconnected` often comes back by itself within seconds; `failed` never does. */
  private mediaLost(pc: RTCPeerConnection, failed: boolean): void {
    if (this.everConnected) this.status.set('reconnecting');
    if (!this.deadline) this.armDeadline();
    if (this.role !== 'rep') return;
    if (failed) {
      this.stopDisconnectGrace();
      this.restartIce();
    } else if (!this.disconnectGrace) {
      this.disconnectGrace = setTimeout(() => {
        this.disconnectGrace = null;
        if (this.pc === pc && (pc.iceConnectionState === 'disconnected' || pc.iceConnectionState === 'failed')) this.restartIce();
      }, this.disconnectGraceMs);
    }
  }

  /** Until the connection is (back) up: tell the person once it takes too long; the rep tries again each time. */
  private armDeadline(): void {
    this.stopDeadline();
    this.deadline = setTimeout(
      () => {
        this.deadline = null;
        if (!this.reported) {
          this.reported = true;
          this.report(videoCallError(this.everConnected ? 'connection-lost' : 'connection-failed'));
        }
        if (this.role === 'rep' && this.everConnected) {
          this.restartIce();
          this.armDeadline();
        }
      },
      this.everConnected ? this.restartWaitMs : this.connectTimeoutMs,
    );
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

  private stopDisconnectGrace(): void {
    if (this.disconnectGrace) clearTimeout(this.disconnectGrace);
    this.disconnectGrace = null;
  }

  private stopDeadline(): void {
    if (this.deadline) clearTimeout(this.deadline);
    this.deadline = null;
  }

  private stopTimers(): void {
    this.stopOfferRetry();
    this.stopDisconnectGrace();
    this.stopDeadline();
  }
}

function answerMessage(sdp: string, offer: string): SignalMessage {
  const offerId = offerIdOf(offer);
  return offerId === undefined ? { kind: 'answer', sdp } : { kind: 'answer', sdp, offerId };
}

/** An answer that names no offer (an older client) is taken for the current one. */
function answersCurrentOffer(pc: RTCPeerConnection, offerId: string | undefined): boolean {
  return offerId === undefined || offerId === offerIdOf(pc.localDescription?.sdp);
}

/** A candidate without a username fragment (or a description without one) is tried anyway. */
function belongsTo(candidate: RTCIceCandidateInit, description: RTCSessionDescriptionInit): boolean {
  const candidateUfrag = ufragOfCandidate(candidate);
  const descriptionUfrag = ufragOfDescription(description.sdp);
  return !candidateUfrag || !descriptionUfrag || candidateUfrag === descriptionUfrag;
}
