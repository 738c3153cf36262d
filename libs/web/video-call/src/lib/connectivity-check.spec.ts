import { TestBed } from '@angular/core/testing';
import type { IceConfiguration } from '@servicekit/contracts';
import { CONNECTIVITY_CHECK_CONFIG, ConnectivityCheck, connectivityVerdict, isPublicAddress } from './connectivity-check';

const STUN = { urls: ['stun:turn.example.com:3478'] };
const TURN = { urls: ['turn:turn.example.com:3478?transport=udp'], username: '1:x', credential: 'c' };
const ice = (servers: IceConfiguration['iceServers'], policy: IceConfiguration['iceTransportPolicy'] = 'all'): IceConfiguration => ({
  iceServers: servers,
  iceTransportPolicy: policy,
});
const none = { host: 0, srflx: 0, relay: 0, publicHost: false };

/** Candidate lines as Chrome writes them. */
const HOST = 'candidate:1 1 udp 2122260223 192.168.1.20 50000 typ host generation 0 ufrag abcd';
const PUBLIC_HOST = 'candidate:1 1 udp 2122260223 8.8.4.4 50000 typ host generation 0';
const MDNS_HOST = 'candidate:1 1 udp 2122260223 0e1f2a3b-4c5d.local 50000 typ host generation 0';
const SRFLX = 'candidate:2 1 udp 1686052607 203.0.114.7 50001 typ srflx raddr 192.168.1.20 rport 50000 generation 0';
const RELAY = 'candidate:3 1 udp 41885439 198.51.101.9 50002 typ relay raddr 203.0.114.7 rport 50001 generation 0';

describe('connectivityVerdict', () => {
  it.each([
    ['relay policy with a relay candidate', ice([TURN], 'relay'), { ...none, relay: 1 }, 'ready'],
    ['relay policy without one', ice([TURN], 'relay'), { ...none }, 'blocked'],
    ['STUN and TURN both answering', ice([STUN, TURN]), { ...none, host: 1, srflx: 1, relay: 1 }, 'ready'],
    ['only the relay answering', ice([STUN, TURN]), { ...none, host: 1, relay: 1 }, 'relay-only'],
    ['only STUN answering', ice([STUN, TURN]), { ...none, host: 1, srflx: 1 }, 'no-relay'],
    ['a public host address and the relay (no NAT)', ice([STUN, TURN]), { host: 1, srflx: 0, relay: 1, publicHost: true }, 'ready'],
    ['nothing answering', ice([STUN, TURN]), { ...none, host: 2 }, 'blocked'],
    ['TURN alone answering', ice([TURN]), { ...none, host: 1, relay: 1 }, 'ready'],
    ['TURN alone not answering', ice([TURN]), { ...none, host: 1 }, 'blocked'],
    ['STUN alone answering', ice([STUN]), { ...none, host: 1, srflx: 1 }, 'ready'],
    ['no servers and a host candidate (a LAN)', ice([]), { ...none, host: 1 }, 'ready'],
    ['no servers and no candidate at all', ice([]), { ...none }, 'offline'],
  ] as const)('should call %s %s', (_, config, gathered, verdict) => {
    expect(connectivityVerdict(config, gathered, 100, 3000)).toBe(verdict);
  });

  it('should call a pass that took too long slow', () => {
    expect(connectivityVerdict(ice([TURN], 'relay'), { ...none, relay: 1 }, 3001, 3000)).toBe('slow');
    expect(connectivityVerdict(ice([TURN], 'relay'), { ...none }, 3001, 3000)).toBe('blocked');
  });
});

describe('isPublicAddress', () => {
  it.each([
    ['8.8.4.4', true],
    ['203.0.114.7', true],
    ['192.168.1.20', false],
    ['10.0.0.1', false],
    ['172.16.5.4', false],
    ['100.64.0.1', false],
    ['127.0.0.1', false],
    ['169.254.1.1', false],
    ['192.0.2.2', false],
    ['abc-def.local', false],
    ['2a00:1450:4001:80b::200e', true],
    ['2001:db8::1', false],
    ['fe80::1', false],
    ['fd00::1', false],
  ])('should tell whether %s is public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});

/** A throw-away peer connection that gathers the given candidates, one per tick, then ends gathering (or not). */
class GatheringPeerConnection {
  static made: GatheringPeerConnection[] = [];
  onicecandidate: ((event: { candidate: { candidate: string } | null }) => void) | null = null;
  closed = false;
  channels: string[] = [];

  constructor(
    readonly config: RTCConfiguration,
    private readonly lines: string[],
    private readonly completes: boolean,
  ) {
    GatheringPeerConnection.made.push(this);
  }

  createDataChannel(label: string): void {
    this.channels.push(label);
  }

  async createOffer(): Promise<RTCSessionDescriptionInit> {
    return { type: 'offer', sdp: 'v=0' };
  }

  async setLocalDescription(): Promise<void> {
    const lines = [...this.lines];
    const next = () => {
      if (this.closed) return;
      const line = lines.shift();
      if (line !== undefined) {
        this.onicecandidate?.({ candidate: { candidate: line } });
        setTimeout(next, 1);
      } else if (this.completes) {
        this.onicecandidate?.({ candidate: null });
      }
    };
    setTimeout(next, 1);
  }

  close(): void {
    this.closed = true;
  }
}

describe('ConnectivityCheck', () => {
  function check(lines: string[], { completes = true, timeoutMs = 2000 } = {}): ConnectivityCheck {
    GatheringPeerConnection.made = [];
    TestBed.configureTestingModule({
      providers: [
        {
          provide: CONNECTIVITY_CHECK_CONFIG,
          useValue: {
            timeoutMs,
            slowMs: 3000,
            createPeerConnection: (config: RTCConfiguration) =>
              new GatheringPeerConnection(config, lines, completes) as unknown as RTCPeerConnection,
          },
        },
      ],
    });
    return TestBed.inject(ConnectivityCheck);
  }

  it('should gather with the given servers and policy on a throw-away connection, and close it', async () => {
    const result = await check([RELAY]).run(ice([TURN], 'relay'));

    expect(result).toEqual({
      outcome: 'pass',
      verdict: 'ready',
      message: 'Your connection is ready for a video call.',
      candidates: { host: 0, srflx: 0, relay: 1 },
      elapsedMs: expect.any(Number),
    });
    const [pc] = GatheringPeerConnection.made;
    expect(pc?.config).toEqual({ iceServers: [TURN], iceTransportPolicy: 'relay' });
    expect(pc?.channels).toEqual(['connectivity-check']);
    expect(pc?.closed).toBe(true);
  });

  it('should stop as soon as every server has answered, without waiting for the end of gathering', async () => {
    const result = await check([HOST, SRFLX, RELAY, HOST], { completes: false, timeoutMs: 60_000 }).run(ice([STUN, TURN]));

    expect(result).toMatchObject({ outcome: 'pass', candidates: { host: 1, srflx: 1, relay: 1 } });
  });

  it('should warn when only the relay gets through', async () => {
    const result = await check([HOST, MDNS_HOST, RELAY]).run(ice([STUN, TURN]));

    expect(result).toMatchObject({ outcome: 'warn', verdict: 'relay-only', message: expect.stringContaining('relay') });
  });

  it('should count a public host address as direct', async () => {
    await expect(check([PUBLIC_HOST, RELAY]).run(ice([STUN, TURN]))).resolves.toMatchObject({ outcome: 'pass' });
  });

  it('should fail, saying what to do, when no server answers within the time', async () => {
    const result = await check([HOST], { completes: false, timeoutMs: 50 }).run(ice([TURN], 'relay'));

    expect(result).toMatchObject({ outcome: 'fail', verdict: 'blocked', message: expect.stringContaining('Try another network') });
    expect(GatheringPeerConnection.made[0]?.closed).toBe(true);
  });

  it('should pass on a host candidate when no servers are configured', async () => {
    await expect(check([HOST]).run()).resolves.toMatchObject({ outcome: 'pass', candidates: { host: 1, srflx: 0, relay: 0 } });
  });

  it('should fail as unsupported when no peer connection can be made', async () => {
    TestBed.configureTestingModule({
      providers: [
        {
          provide: CONNECTIVITY_CHECK_CONFIG,
          useValue: {
            timeoutMs: 50,
            slowMs: 3000,
            createPeerConnection: () => {
              throw new ReferenceError('RTCPeerConnection is not defined');
            },
          },
        },
      ],
    });

    await expect(TestBed.inject(ConnectivityCheck).run()).resolves.toMatchObject({ outcome: 'fail', verdict: 'unsupported' });
  });
});
