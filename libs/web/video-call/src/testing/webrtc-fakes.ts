import type { SignalMessage } from '@servicekit/contracts';
import { Subject } from 'rxjs';
import type { SignalingChannel } from '../lib/signaling-channel';

interface Sender {
  track: MediaStreamTrack;
  streams: MediaStream[];
}

/**
 * A stand-in for RTCPeerConnection that follows the offer/answer state machine and, through its
 * `FakeNetwork`, hands each side the other's tracks once their descriptions meet. Its descriptions carry an
 * `o=` line (a session id per connection, a version per description) and an ICE username fragment, which an
 * ICE restart changes; its candidates name that fragment, as Chrome's do.
 */
export class FakePeerConnection {
  localDescription: RTCSessionDescriptionInit | null = null;
  remoteDescription: RTCSessionDescriptionInit | null = null;
  signalingState: RTCSignalingState = 'stable';
  connectionState: RTCPeerConnectionState = 'new';
  iceConnectionState: RTCIceConnectionState = 'new';
  onicecandidate: ((event: { candidate: RTCIceCandidateInit | null }) => void) | null = null;
  ontrack: ((event: { track: MediaStreamTrack; streams: MediaStream[] }) => void) | null = null;
  onconnectionstatechange: (() => void) | null = null;
  oniceconnectionstatechange: (() => void) | null = null;
  readonly senders: Sender[] = [];
  readonly addedCandidates: RTCIceCandidateInit[] = [];
  /** Candidates offered before a remote description (a real browser rejects them). */
  readonly rejectedCandidates: RTCIceCandidateInit[] = [];
  /** The order of the calls that matter for negotiation. */
  readonly calls: string[] = [];
  /** The offers this connection made, as `createOffer` was asked for them. */
  readonly offerOptions: (RTCOfferOptions | undefined)[] = [];
  closed = false;
  private version = 0;
  private iceGeneration = 1;
  /** The last offer applied came with new ICE credentials: the answer gets new ones too. */
  private remoteRestarted = false;

  constructor(
    readonly config: RTCConfiguration,
    private readonly network: FakeNetwork,
    readonly name: string,
    private readonly sessionId: number,
  ) {}

  /** The ICE username fragment of this connection's current descriptions. */
  get ufrag(): string {
    return `${this.name}u${this.iceGeneration}`;
  }

  addTrack(track: MediaStreamTrack, ...streams: MediaStream[]): object {
    this.senders.push({ track, streams });
    return {};
  }

  async createOffer(options?: RTCOfferOptions): Promise<RTCSessionDescriptionInit> {
    this.offerOptions.push(options);
    if (options?.iceRestart) this.iceGeneration++;
    return { type: 'offer', sdp: this.sdp('offer') };
  }

  async createAnswer(): Promise<RTCSessionDescriptionInit> {
    if (this.signalingState !== 'have-remote-offer') throw new Error('InvalidStateError: no offer to answer');
    // Answering an ICE restart restarts ICE here too.
    if (this.remoteRestarted) this.iceGeneration++;
    this.remoteRestarted = false;
    return { type: 'answer', sdp: this.sdp('answer') };
  }

  async setLocalDescription(description: RTCSessionDescriptionInit): Promise<void> {
    this.calls.push(`setLocalDescription ${description.type}`);
    this.localDescription = description;
    this.signalingState = description.type === 'offer' ? 'have-local-offer' : 'stable';
    this.network.owners.set(description.sdp ?? '', this);
    // Like a browser, gather after the description is set, then signal the end of gathering.
    const ufrag = this.ufrag;
    setTimeout(() => {
      if (this.closed) return;
      this.onicecandidate?.({ candidate: { candidate: `candidate ${this.name} ufrag ${ufrag}`, sdpMid: '0', sdpMLineIndex: 0 } });
      this.onicecandidate?.({ candidate: null });
    }, 0);
    this.connectIfNegotiated();
  }

  async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    this.calls.push(`setRemoteDescription ${description.type}`);
    const previousUfrag = /a=ice-ufrag:(\S+)/.exec(this.remoteDescription?.sdp ?? '')?.[1];
    const ufrag = /a=ice-ufrag:(\S+)/.exec(description.sdp ?? '')?.[1];
    this.remoteRestarted = description.type === 'offer' && previousUfrag !== undefined && previousUfrag !== ufrag;
    this.remoteDescription = description;
    this.signalingState = description.type === 'offer' ? 'have-remote-offer' : 'stable';
    const peer = this.network.owners.get(description.sdp ?? '');
    if (peer) {
      for (const sender of peer.senders) {
        this.ontrack?.({ track: sender.track, streams: this.network.streamless ? [] : sender.streams });
      }
    }
    this.connectIfNegotiated();
  }

  async addIceCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    this.calls.push(`addIceCandidate ${candidate.candidate}`);
    if (!this.remoteDescription) {
      this.rejectedCandidates.push(candidate);
      throw new Error('InvalidStateError: the remote description was null');
    }
    this.addedCandidates.push(candidate);
  }

  /** Sets the connection state and the ICE state that goes with it, and fires both events, as a browser does. */
  setConnectionState(state: RTCPeerConnectionState): void {
    this.iceConnectionState = state === 'connecting' ? 'checking' : state === 'new' ? 'new' : state;
    this.connectionState = state;
    this.oniceconnectionstatechange?.();
    this.onconnectionstatechange?.();
  }

  /** Only the ICE state changes (a brief `disconnected` leaves the connection state as it was). */
  setIceConnectionState(state: RTCIceConnectionState): void {
    this.iceConnectionState = state;
    this.oniceconnectionstatechange?.();
  }

  close(): void {
    this.closed = true;
    this.signalingState = 'closed';
    this.connectionState = 'closed';
  }

  private sdp(type: 'offer' | 'answer'): string {
    this.version++;
    return [
      `v=0`,
      `o=- ${this.sessionId} ${this.version} IN IP4 0.0.0.0`,
      `s=${type} from ${this.name}`,
      `a=ice-ufrag:${this.ufrag}`,
      '',
    ].join('\r\n');
  }

  private connectIfNegotiated(): void {
    if (this.signalingState === 'stable' && this.localDescription && this.remoteDescription) {
      setTimeout(() => {
        if (!this.closed && this.connectionState !== 'connected') this.setConnectionState('connected');
      }, 0);
    }
  }
}

/** Where fake peer connections find each other by their SDP. */
export class FakeNetwork {
  readonly peers: FakePeerConnection[] = [];
  readonly owners = new Map<string, FakePeerConnection>();
  /** When true, tracks arrive without a stream (as when the sender added them without one). */
  streamless = false;

  /** A `PeerConnectionFactory`: the first connection made is named pc1, and so on. */
  readonly factory = (config: RTCConfiguration): RTCPeerConnection => {
    const pc = new FakePeerConnection(config, this, `pc${this.peers.length + 1}`, 1000 + this.peers.length + 1);
    this.peers.push(pc);
    return pc as unknown as RTCPeerConnection;
  };
}

/** One end of an in-memory signaling relay; messages reach the other end asynchronously, in order. */
export class MemorySignaling implements SignalingChannel {
  private readonly inbox = new Subject<SignalMessage>();
  readonly messages$ = this.inbox.asObservable();
  readonly sent: SignalMessage[] = [];
  other: MemorySignaling | null = null;

  async send(message: SignalMessage): Promise<void> {
    this.sent.push(message);
    const copy = JSON.parse(JSON.stringify(message)) as SignalMessage;
    const other = this.other;
    queueMicrotask(() => other?.inbox.next(copy));
  }

  sentKinds(): SignalMessage['kind'][] {
    return this.sent.map((message) => message.kind);
  }
}

export function signalingPair(): [MemorySignaling, MemorySignaling] {
  const a = new MemorySignaling();
  const b = new MemorySignaling();
  a.other = b;
  b.other = a;
  return [a, b];
}
