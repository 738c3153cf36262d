import type { SignalMessage, VideoCredentials } from '@servicekit/contracts';
import { fakeCameraStream, installFakeMediaStream, waitFor } from '../testing/media-fakes';
import { FakeNetwork, MemorySignaling, signalingPair, type FakePeerConnection } from '../testing/webrtc-fakes';
import { PeerVideoCall, type PeerVideoCallOptions } from './peer-video-call';
import { VideoCallFailure, type VideoCallError } from './video-call-error';

const iceServers = [{ urls: ['turn:turn.example.org:3478'], username: '1700000000:abc', credential: 'c2VjcmV0' }];
const credentials: VideoCredentials = { provider: 'p2p', sessionId: 'hs-1', token: 'p2p-token', iceServers, iceTransportPolicy: 'relay' };
const fallbackIceServers = [{ urls: 'stun:stun.example.org:3478' }];

/** Timers under the test's control; signaling (microtasks) still flows as in real life. */
const useFakeTimers = () => jest.useFakeTimers({ doNotFake: ['queueMicrotask'] });

describe('PeerVideoCall', () => {
  let network: FakeNetwork;
  let calls: PeerVideoCall[];

  beforeEach(() => {
    network = new FakeNetwork();
    calls = [];
  });

  afterEach(async () => {
    jest.useRealTimers();
    await Promise.all(calls.map((call) => call.leave()));
  });

  function makeCall(options: PeerVideoCallOptions = {}): PeerVideoCall {
    const call = new PeerVideoCall({ iceServers: fallbackIceServers }, network.factory, options);
    calls.push(call);
    return call;
  }

  function errorsOf(call: PeerVideoCall): VideoCallError[] {
    const errors: VideoCallError[] = [];
    call.errors$.subscribe((error) => errors.push(error));
    return errors;
  }

  const offersOf = (channel: MemorySignaling) =>
    channel.sent.filter((m): m is Extract<SignalMessage, { kind: 'offer' }> => m.kind === 'offer');

  /** Customer joins first, then the rep, both with their own streams, and waits until both are connected. */
  async function connectedPair(options: PeerVideoCallOptions = {}) {
    const [customerChannel, repChannel] = signalingPair();
    const customer = makeCall(options);
    const rep = makeCall(options);
    const customerStream = fakeCameraStream();
    const repStream = fakeCameraStream();
    await customer.join(credentials, { role: 'customer', signaling: customerChannel, localStream: customerStream });
    await rep.join(credentials, { role: 'rep', signaling: repChannel, localStream: repStream });
    await waitFor(() => customer.state() === 'connected' && rep.state() === 'connected', 'both sides to connect');
    const [customerPc, repPc] = network.peers as [FakePeerConnection, FakePeerConnection];
    return { customer, rep, customerChannel, repChannel, customerStream, repStream, customerPc, repPc };
  }

  it('should have the customer say it is ready, the rep offer, the customer answer that offer, and show each side the other', async () => {
    const { customer, rep, customerChannel, repChannel, customerStream, repStream, customerPc, repPc } = await connectedPair();

    expect(customerChannel.sentKinds()[0]).toBe('ready');
    expect(repChannel.sentKinds()[0]).toBe('offer');
    expect(customerChannel.sentKinds()).toContain('answer');
    expect(customerChannel.sentKinds()).not.toContain('offer');
    expect(customerChannel.sent.find((m) => m.kind === 'answer')).toMatchObject({ offerId: '1002.1' });
    expect(repPc.calls.slice(0, 2)).toEqual(['setLocalDescription offer', 'setRemoteDescription answer']);
    expect(customerPc.calls.slice(0, 2)).toEqual(['setRemoteDescription offer', 'setLocalDescription answer']);
    expect(customer.remoteStream()).toBe(repStream);
    expect(rep.remoteStream()).toBe(customerStream);
    expect(customer.localStream()).toBe(customerStream);
    expect(repPc.senders.map((sender) => sender.track)).toEqual(repStream.getTracks());
  });

  it("should use the ICE servers and the transport policy of the call's credentials", async () => {
    const { customerPc, repPc } = await connectedPair();

    expect(customerPc.config).toEqual({ iceServers, iceTransportPolicy: 'relay' });
    expect(repPc.config).toEqual({ iceServers, iceTransportPolicy: 'relay' });
  });

  it('should fall back to the configured ICE servers for credentials that carry none', async () => {
    const call = makeCall();
    await call.join(
      { provider: 'p2p', sessionId: 's', token: 't' },
      { role: 'rep', signaling: new MemorySignaling(), localStream: fakeCameraStream() },
    );

    expect(network.peers[0]?.config).toEqual({ iceServers: fallbackIceServers, iceTransportPolicy: 'all' });
  });

  it('should trickle candidates both ways', async () => {
    const { customerPc, repPc } = await connectedPair();

    await waitFor(() => customerPc.addedCandidates.length > 0 && repPc.addedCandidates.length > 0, 'candidates');
    expect(customerPc.addedCandidates[0]).toEqual({ candidate: 'candidate pc2 ufrag pc2u1', sdpMid: '0', sdpMLineIndex: 0 });
    expect(repPc.addedCandidates[0]).toEqual({ candidate: 'candidate pc1 ufrag pc1u1', sdpMid: '0', sdpMLineIndex: 0 });
    expect([...customerPc.rejectedCandidates, ...repPc.rejectedCandidates]).toEqual([]);
  });

  it('should hold ICE candidates that arrive before the offer until the offer is applied', async () => {
    const [customerChannel, relay] = signalingPair();
    const received: SignalMessage[] = [];
    relay.messages$.subscribe((message) => received.push(message));
    const customer = makeCall();
    await customer.join(credentials, { role: 'customer', signaling: customerChannel, localStream: fakeCameraStream() });
    const pc = network.peers[0] as FakePeerConnection;

    await relay.send({ kind: 'ice', candidate: { candidate: 'candidate early', sdpMid: '0', sdpMLineIndex: 0 } });
    await relay.send({ kind: 'offer', sdp: 'v=0\r\no=- 77 1 IN IP4 0.0.0.0\r\n' });
    await waitFor(() => received.some((message) => message.kind === 'answer'), 'the answer');

    expect(pc.calls.slice(0, 2)).toEqual(['setRemoteDescription offer', 'addIceCandidate candidate early']);
    expect(pc.addedCandidates).toEqual([{ candidate: 'candidate early', sdpMid: '0', sdpMLineIndex: 0 }]);
    expect(received.find((message) => message.kind === 'answer')).toMatchObject({ offerId: '77.1' });
  });

  it('should keep a candidate of other ICE credentials for the description that carries them', async () => {
    const [customerChannel, relay] = signalingPair();
    const customer = makeCall();
    await customer.join(credentials, { role: 'customer', signaling: customerChannel, localStream: fakeCameraStream() });
    const pc = network.peers[0] as FakePeerConnection;
    const answered = () => customerChannel.sent.filter((message) => message.kind === 'answer').length;

    await relay.send({ kind: 'offer', sdp: 'v=0\r\no=- 77 1 IN IP4 0.0.0.0\r\na=ice-ufrag:first\r\n' });
    await waitFor(() => answered() === 1, 'the first answer');
    await relay.send({ kind: 'ice', candidate: { candidate: 'candidate next ufrag second', sdpMid: '0', sdpMLineIndex: 0 } });
    await relay.send({ kind: 'ice', candidate: { candidate: 'candidate now ufrag first', sdpMid: '0', sdpMLineIndex: 0 } });
    await waitFor(() => pc.addedCandidates.length === 1, 'the current candidate');
    expect(pc.addedCandidates.map((c) => c.candidate)).toEqual(['candidate now ufrag first']);

    await relay.send({ kind: 'offer', sdp: 'v=0\r\no=- 77 2 IN IP4 0.0.0.0\r\na=ice-ufrag:second\r\n' });
    await waitFor(() => answered() === 2, 'the answer to the ICE restart');

    expect(pc.addedCandidates.map((c) => c.candidate)).toEqual(['candidate now ufrag first', 'candidate next ufrag second']);
  });

  it('should build the remote stream from the tracks when they arrive without one', async () => {
    const uninstall = installFakeMediaStream();
    try {
      network.streamless = true;
      const { customer, repStream } = await connectedPair();

      expect(customer.remoteStream()?.getTracks()).toEqual(repStream.getTracks());
    } finally {
      uninstall();
    }
  });

  it('should send its offer again at once when a customer who missed it says it is ready', async () => {
    const [customerChannel, repChannel] = signalingPair();
    const rep = makeCall({ offerRetryMs: 60_000 });
    const customer = makeCall();
    await rep.join(credentials, { role: 'rep', signaling: repChannel, localStream: fakeCameraStream() });
    // Nobody listens on the customer's end yet: this offer is lost.
    await waitFor(() => repChannel.sentKinds().includes('offer'), 'the first offer');

    await customer.join(credentials, { role: 'customer', signaling: customerChannel, localStream: fakeCameraStream() });
    await waitFor(() => customer.state() === 'connected' && rep.state() === 'connected', 'both sides to connect');

    expect(offersOf(repChannel)).toHaveLength(2);
    expect(offersOf(repChannel)[1]?.sdp).toBe(offersOf(repChannel)[0]?.sdp);
    expect(network.peers).toHaveLength(2);
  });

  it('should re-send the offer until it is answered when the ready signal is lost too', async () => {
    const [customerChannel, repChannel] = signalingPair();
    const rep = makeCall({ offerRetryMs: 5 });
    await rep.join(credentials, { role: 'rep', signaling: repChannel, localStream: fakeCameraStream() });
    await waitFor(() => offersOf(repChannel).length >= 2, 'the offer to be re-sent');
    const customer = makeCall();
    customerChannel.other = null;
    await customer.join(credentials, { role: 'customer', signaling: customerChannel, localStream: fakeCameraStream() });
    customerChannel.other = repChannel;

    await waitFor(() => customer.state() === 'connected' && rep.state() === 'connected', 'both sides to connect');
  });

  it('should ignore an answer to an older offer', async () => {
    const [repChannel, relay] = signalingPair();
    const rep = makeCall({ offerRetryMs: 60_000 });
    await rep.join(credentials, { role: 'rep', signaling: repChannel, localStream: fakeCameraStream() });
    await waitFor(() => offersOf(repChannel).length === 1, 'the offer');
    const pc = network.peers[0] as FakePeerConnection;

    await relay.send({ kind: 'answer', sdp: 'v=0\r\no=- 9 1 IN IP4 0.0.0.0\r\n', offerId: '1001.0' });
    await relay.send({ kind: 'ready' });
    await waitFor(() => offersOf(repChannel).length === 2, 'the offer to be sent again');

    expect(pc.signalingState).toBe('have-local-offer');
    expect(pc.calls).toEqual(['setLocalDescription offer']);
  });

  it("should start over with a new connection when the customer's page reloads, and connect again", async () => {
    const { rep, repChannel, repPc, customerChannel, customerStream } = await connectedPair();
    // The old page is gone without a word; the reloaded one joins the same match.
    customerChannel.other = null;
    const reloaded = new MemorySignaling();
    reloaded.other = repChannel;
    repChannel.other = reloaded;
    const customer = makeCall();
    const newStream = fakeCameraStream();

    await customer.join(credentials, { role: 'customer', signaling: reloaded, localStream: newStream });
    await waitFor(
      () => rep.remoteStream() === newStream && rep.state() === 'connected' && customer.state() === 'connected',
      'the call to resume',
    );

    expect(repPc.closed).toBe(true);
    expect(network.peers).toHaveLength(4);
    expect(rep.remoteStream()).not.toBe(customerStream);
    expect(repChannel.sentKinds()).not.toContain('hangup');
  });

  it("should start over with a new connection when the rep's page reloads, and connect again", async () => {
    const { customer, customerChannel, customerPc, repChannel } = await connectedPair();
    repChannel.other = null;
    const reloaded = new MemorySignaling();
    reloaded.other = customerChannel;
    customerChannel.other = reloaded;
    const rep = makeCall();
    const newStream = fakeCameraStream();

    await rep.join(credentials, { role: 'rep', signaling: reloaded, localStream: newStream });
    await waitFor(
      () => customer.remoteStream() === newStream && customer.state() === 'connected' && rep.state() === 'connected',
      'the call to resume',
    );

    expect(customerPc.closed).toBe(true);
    expect(customer.remoteStream()).toBe(newStream);
    expect(customerChannel.sentKinds()).not.toContain('offer');
  });

  it('should end the call for the customer when the rep hangs up', async () => {
    const { customer, rep, repChannel, customerPc, repPc } = await connectedPair();

    await rep.leave();
    await waitFor(() => customer.state() === 'ended', 'the customer to see the end');

    expect(repChannel.sentKinds()).toContain('hangup');
    expect(rep.state()).toBe('ended');
    expect(repPc.closed).toBe(true);
    expect(customerPc.closed).toBe(true);
    expect(customer.remoteStream()).toBeNull();
    expect(customer.localStream()).toBeNull();
  });

  it('should close the connection on leave and hand a passed-in stream back running and switched on', async () => {
    const { rep, repStream, repPc } = await connectedPair();
    rep.setMuted(true);
    rep.setCameraOff(true);

    await rep.leave();

    expect(repPc.closed).toBe(true);
    expect(rep.localStream()).toBeNull();
    expect(rep.remoteStream()).toBeNull();
    expect(repStream.getTracks().map((track) => [track.readyState, track.enabled])).toEqual([
      ['live', true],
      ['live', true],
    ]);
  });

  it('should stop a stream it acquired itself on leave', async () => {
    const acquired = fakeCameraStream();
    const release = jest.fn((stream: MediaStream | null | undefined) => stream?.getTracks().forEach((t) => t.stop()));
    const [customerChannel] = signalingPair();
    const customer = makeCall({ localMedia: { acquire: () => Promise.resolve(acquired), release } });

    await customer.join(credentials, { role: 'customer', signaling: customerChannel });
    expect(customer.localStream()).toBe(acquired);
    await customer.leave();

    expect(release).toHaveBeenCalledWith(acquired);
    expect(acquired.getTracks().every((track) => track.readyState === 'ended')).toBe(true);
  });

  it('should mute and turn the camera off by switching the local tracks', async () => {
    const { customer, customerStream } = await connectedPair();

    customer.setMuted(true);
    customer.setCameraOff(true);

    expect(customer.muted()).toBe(true);
    expect(customer.cameraOff()).toBe(true);
    expect(customerStream.getAudioTracks()[0]!.enabled).toBe(false);
    expect(customerStream.getVideoTracks()[0]!.enabled).toBe(false);

    customer.setMuted(false);
    expect(customerStream.getAudioTracks()[0]!.enabled).toBe(true);
  });

  it('should restart ICE from the rep side when the connection fails, on the same connection, and never offer from the customer', async () => {
    const { rep, customer, repChannel, customerChannel, repPc, customerPc } = await connectedPair();

    repPc.setConnectionState('failed');
    customerPc.setConnectionState('failed');
    expect(rep.state()).toBe('reconnecting');
    expect(customer.state()).toBe('reconnecting');
    await waitFor(() => rep.state() === 'connected' && customer.state() === 'connected', 'the restart to reconnect');

    expect(repPc.offerOptions.at(-1)).toEqual({ iceRestart: true });
    expect(offersOf(repChannel).at(-1)?.sdp).toContain('a=ice-ufrag:pc2u2');
    expect(customerChannel.sentKinds()).not.toContain('offer');
    expect(network.peers).toHaveLength(2);
  });

  it('should restart ICE after a disconnect that outlasts the grace, and not after one that comes back within it', async () => {
    useFakeTimers();
    const [customerChannel, repChannel] = signalingPair();
    const rep = makeCall({ disconnectGraceMs: 2_000 });
    const customer = makeCall({ disconnectGraceMs: 2_000 });
    await customer.join(credentials, { role: 'customer', signaling: customerChannel, localStream: fakeCameraStream() });
    await rep.join(credentials, { role: 'rep', signaling: repChannel, localStream: fakeCameraStream() });
    await jest.advanceTimersByTimeAsync(10);
    expect(rep.state()).toBe('connected');
    const repPc = network.peers[1] as FakePeerConnection;

    repPc.setIceConnectionState('disconnected');
    expect(rep.state()).toBe('reconnecting');
    await jest.advanceTimersByTimeAsync(1_000);
    repPc.setConnectionState('connected');
    await jest.advanceTimersByTimeAsync(2_000);
    expect(repPc.offerOptions).toEqual([{ iceRestart: false }]);

    repPc.setIceConnectionState('disconnected');
    await jest.advanceTimersByTimeAsync(2_001);
    expect(repPc.offerOptions).toEqual([{ iceRestart: false }, { iceRestart: true }]);
  });

  it('should tell both sides when media does not come back, and have the rep keep offering the restart until it is answered', async () => {
    useFakeTimers();
    const [customerChannel, repChannel] = signalingPair();
    const rep = makeCall({ restartWaitMs: 10_000 });
    const customer = makeCall({ restartWaitMs: 10_000 });
    const [repErrors, customerErrors] = [errorsOf(rep), errorsOf(customer)];
    await customer.join(credentials, { role: 'customer', signaling: customerChannel, localStream: fakeCameraStream() });
    await rep.join(credentials, { role: 'rep', signaling: repChannel, localStream: fakeCameraStream() });
    await jest.advanceTimersByTimeAsync(10);
    const [customerPc, repPc] = network.peers as [FakePeerConnection, FakePeerConnection];
    // The customer's network is gone: nothing reaches it any more.
    repChannel.other = null;

    repPc.setConnectionState('failed');
    customerPc.setConnectionState('failed');
    await jest.advanceTimersByTimeAsync(10_001);
    expect(repErrors.map((error) => error.code)).toEqual(['connection-lost']);
    expect(customerErrors.map((error) => error.code)).toEqual(['connection-lost']);
    expect(rep.state()).toBe('reconnecting');

    // Back on the network: the restart offer, re-sent until answered, gets through.
    repChannel.other = customerChannel;
    await jest.advanceTimersByTimeAsync(1_600);
    expect(rep.state()).toBe('connected');
    expect(customer.state()).toBe('connected');
    expect(repPc.offerOptions).toEqual([{ iceRestart: false }, { iceRestart: true }]);
    expect(rep.localStream()).not.toBeNull();
  });

  it('should say the connection could not be made when it never comes up, without giving up the call', async () => {
    useFakeTimers();
    const [customerChannel] = signalingPair();
    const customer = makeCall({ connectTimeoutMs: 15_000 });
    const errors = errorsOf(customer);
    await customer.join(credentials, { role: 'customer', signaling: customerChannel, localStream: fakeCameraStream() });

    await jest.advanceTimersByTimeAsync(14_999);
    expect(errors).toEqual([]);
    await jest.advanceTimersByTimeAsync(2);

    expect(errors).toEqual([expect.objectContaining({ code: 'connection-failed', message: expect.stringContaining('could not be made') })]);
    expect(customer.state()).toBe('joining');
    expect((network.peers[0] as FakePeerConnection).closed).toBe(false);
  });

  it('should show reconnecting while the connection is briefly lost', async () => {
    const { customer, customerPc } = await connectedPair();

    customerPc.setConnectionState('disconnected');
    expect(customer.state()).toBe('reconnecting');
    customerPc.setConnectionState('connected');
    expect(customer.state()).toBe('connected');
  });

  it('should reject join and report the error when the camera cannot be used', async () => {
    const denied = VideoCallFailure.of('permission-denied');
    const call = makeCall({ localMedia: { acquire: () => Promise.reject(denied), release: jest.fn() } });
    const errors = errorsOf(call);

    await expect(call.join(credentials, { role: 'customer', signaling: new MemorySignaling() })).rejects.toBe(denied);

    expect(call.state()).toBe('failed');
    expect(errors).toEqual([denied.error]);
    expect(network.peers).toEqual([]);
  });

  it('should report an unsupported browser when no peer connection can be made', async () => {
    const call = new PeerVideoCall({ iceServers: fallbackIceServers }, () => {
      throw new ReferenceError('RTCPeerConnection is not defined');
    });

    await expect(
      call.join(credentials, { role: 'rep', signaling: new MemorySignaling(), localStream: fakeCameraStream() }),
    ).rejects.toMatchObject({ error: { code: 'unsupported' } });
  });

  it('should refuse to join without a signaling channel, and to join twice', async () => {
    const call = makeCall();
    await expect(call.join(credentials, { role: 'rep', localStream: fakeCameraStream() })).rejects.toThrow('SignalingChannel');

    await call.join(credentials, { role: 'rep', signaling: new MemorySignaling(), localStream: fakeCameraStream() });
    await expect(
      call.join(credentials, { role: 'rep', signaling: new MemorySignaling(), localStream: fakeCameraStream() }),
    ).rejects.toThrow('joins once');
  });
});
