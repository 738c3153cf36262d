import { TestBed } from '@angular/core/testing';
import type { VideoCredentials } from '@servicekit/contracts';
import { fakeCameraStream } from '../testing/media-fakes';
import { FakeNetwork, MemorySignaling } from '../testing/webrtc-fakes';
import { OpenTokVideoCall } from './opentok-video-call';
import { PeerVideoCall } from './peer-video-call';
import { VIDEO_CALL_CONFIG } from './video-call.config';
import { VideoCallFactory } from './video-call.factory';

describe('VideoCallFactory', () => {
  const global = globalThis as { RTCPeerConnection?: unknown };
  const original = global.RTCPeerConnection;

  afterEach(() => {
    global.RTCPeerConnection = original;
  });

  it('should make the adapter the server chose, a new one each time', () => {
    const factory = TestBed.inject(VideoCallFactory);

    expect(factory.create('opentok')).toBeInstanceOf(OpenTokVideoCall);
    expect(factory.create('p2p')).toBeInstanceOf(PeerVideoCall);
    expect(factory.create('p2p')).not.toBe(factory.create('p2p'));
  });

  it('should give the P2P adapter the configured ICE servers (for credentials without their own) and the browser RTCPeerConnection', async () => {
    const iceServers = [{ urls: 'turn:turn.example.org', username: 'u', credential: 'c' }];
    const network = new FakeNetwork();
    global.RTCPeerConnection = jest.fn((config: RTCConfiguration) => network.factory(config));
    TestBed.configureTestingModule({ providers: [{ provide: VIDEO_CALL_CONFIG, useValue: { iceServers } }] });
    const credentials: VideoCredentials = { provider: 'p2p', sessionId: 's', token: 't' };
    const call = TestBed.inject(VideoCallFactory).create('p2p');

    await call.join(credentials, { role: 'customer', signaling: new MemorySignaling(), localStream: fakeCameraStream() });

    expect(network.peers[0]?.config).toEqual({ iceServers, iceTransportPolicy: 'all' });
    await call.leave();
  });
});
