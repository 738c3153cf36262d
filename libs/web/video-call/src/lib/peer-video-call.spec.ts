import type { SignalMessage, VideoCredentials } from '@servicekit/contracts';
import { fakeCameraStream, installFakeMediaStream, waitFor } from '../testing/media-fakes';
import { FakeNetwork, MemorySignaling, signalingPair, type FakePeerConnection } from '../testing/webrtc-fakes';
import { PeerVideoCall, type PeerVideoCallOptions } from './peer-video-call';
import { VideoCallFailure, type VideoCallError } from './video-call-error';

const credentials: VideoCredentials = { provider: 'p2p', sessionId: 'hs-1', token: 'p2p-token' };
const iceServers = [{ urls: 'stun:stun.example.org:3478' }];

describe('PeerVideoCall', () => {
  let network: FakeNetwork;
  let calls: PeerVideoCall[];

  beforeEach(() => {
    network = new FakeNetwork();
    calls = [];
  });

  afterEach(async () => {
    await Promise.all(calls.map((call) => call.leave()));
  });

  function makeCall(options: PeerVideoCallOptions = {}): PeerVideoCall {
    const call = new PeerVideoCall({ iceServers }, network.factory, options);
    calls.push(call);
    return call;
  }

  function errorsOf(call: PeerVideoCall): VideoCallError[] {
    const errors: VideoCallError[] = [];
    call.errors$.subscribe((error) => errors.push(error));
    return errors;
  }

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

  it('should have the rep offer, the customer answer, and show each side the other one', async () => {
    const { customer, rep, customerChannel, repChannel, customerStream, repStream, customerPc, repPc } = await connectedPair();

    expect(repChannel.sentKinds()[0]).toBe('offer');
    expect(customerChannel.sentKinds()).toContain('answer');
    expect(customerChannel.sentKinds()).not.toContain('offer');
    expect(repPc.calls.slice(0, 2)).toEqual(['setLocalDescription offer', 'setRemoteDescription answer']);
    expect(customerPc.calls.slice(0, 2)).toEqual(['setRemoteDescription offer', 'setLocalDescription answer']);
    expect(customer.remoteStream()).toBe(repStream);
    expect(rep.remoteStream()).toBe(customerStream);
    expect(customer.localStream()).toBe(customerStream);
    expect(repPc.senders.map((sender) => sender.track)).toEqual(repStream.getTracks());
  });

  it('should use the configured ICE servers and trickle candidates both ways', async () => {
    const { customerPc, repPc } = await connectedPair();

    await waitFor(() => customerPc.addedCandidates.length > 0 && repPc.addedCandidates.length > 0, 'candidates');
    expect(customerPc.config.iceServers).toBe(iceServers);
    expect(customerPc.addedCandidates[0]).toEqual({ candidate: 'candidate pc2', sdpMid: '0', sdpMLineIndex: 0 });
    expect(repPc.addedCandidates[0]).toEqual({ candidate: 'candidate pc1', sdpMid: '0', sdpMLineIndex: 0 });
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
    await relay.send({ kind: 'offer', sdp: 'offer from elsewhere' });
    await waitFor(() => received.some((message) => message.kind === 'answer'), 'the answer');

    expect(pc.calls.slice(0, 2)).toEqual(['setRemoteDescription offer', 'addIceCandidate candidate early']);
    expect(pc.addedCandidates).toEqual([{ candidate: 'candidate early', sdpMid: '0', sdpMLineIndex: 0 }]);
    expect(pc.rejectedCandidates).toEqual([]);
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

  it('should re-send the offer until a customer who subscribed late answers it', async () => {
    const [customerChannel, repChannel] = signalingPair();
    const rep = makeCall({ offerRetryMs: 5 });
    const customer = makeCall();
    await rep.join(credentials, { role: 'rep', signaling: repChannel, localStream: fakeCameraStream() });
    // Nobody listens on the customer's end yet: this offer is lost.
    await waitFor(() => repChannel.sentKinds().includes('offer'), 'the first offer');

    await customer.join(credentials, { role: 'customer', signaling: customerChannel, localStream: fakeCameraStream() });
    await waitFor(() => customer.state() === 'connected' && rep.state() === 'connected', 'both sides to connect');

    expect(repChannel.sentKinds().filter((kind) => kind === 'offer').length).toBeGreaterThan(1);
    expect(customer.remoteStream()).not.toBeNull();
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

  it('should try one ICE restart from the rep side, then fail with connection-failed', async () => {
    const { rep, customer, repChannel, repPc } = await connectedPair();
    const errors = errorsOf(rep);

    repPc.setConnectionState('failed');
    expect(rep.state()).toBe('reconnecting');
    await waitFor(() => rep.state() === 'connected', 'the restart to reconnect');
    const offers = repChannel.sent.filter((message) => message.kind === 'offer');
    expect(offers[offers.length - 1]).toEqual({ kind: 'offer', sdp: 'offer from pc2 #2 ice-restart' });
    expect(customer.state()).toBe('connected');

    repPc.setConnectionState('failed');

    expect(rep.state()).toBe('failed');
    expect(errors.map((error) => error.code)).toEqual(['connection-failed']);
    expect(repPc.closed).toBe(true);
  });

  it('should give the customer up after waiting for a restart that never comes', async () => {
    const { customer, customerPc } = await connectedPair({ restartWaitMs: 5 });
    const errors = errorsOf(customer);

    customerPc.setConnectionState('failed');
    expect(customer.state()).toBe('reconnecting');
    await waitFor(() => customer.state() === 'failed', 'the customer to give up');

    expect(errors).toEqual([expect.objectContaining({ code: 'connection-failed' })]);
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
    const call = new PeerVideoCall({ iceServers }, () => {
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
