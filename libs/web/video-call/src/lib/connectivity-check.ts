import { inject, Injectable, InjectionToken } from '@angular/core';
import type { IceConfiguration } from '@servicekit/contracts';
import type { PeerConnectionFactory } from './peer-video-call';
import { VIDEO_CALL_ERROR_MESSAGES } from './video-call-error';

export type ConnectivityOutcome = 'pass' | 'warn' | 'fail';

/** Why the check came out as it did; each has its sentence in CONNECTIVITY_MESSAGES. */
export type ConnectivityVerdict = 'ready' | 'slow' | 'relay-only' | 'no-relay' | 'blocked' | 'offline' | 'unsupported';

export interface ConnectivityResult {
  outcome: ConnectivityOutcome;
  verdict: ConnectivityVerdict;
  /** What to do, in words. */
  message: string;
  /** Candidates gathered, by type. */
  candidates: { host: number; srflx: number; relay: number };
  /** Until the candidate that decided it, or until gathering ended. */
  elapsedMs: number;
}

export const CONNECTIVITY_MESSAGES: Readonly<Record<ConnectivityVerdict, string>> = {
  ready: $localize`:@@vc.connectivity.ready:Your connection is ready for a video call.`,
  slow: $localize`:@@vc.connectivity.slow:Your connection is slow to set up, so the video may take a moment to appear. If you can, close other apps or tabs that use the internet.`,
  'relay-only': $localize`:@@vc.connectivity.relayOnly:Your network lets video through only by way of our relay. The call will work; if the picture is not smooth, a network without a VPN or firewall may help.`,
  'no-relay': $localize`:@@vc.connectivity.noRelay:Our video relay cannot be reached from your network. Most calls still work; if the video does not appear, try another network.`,
  blocked: $localize`:@@vc.connectivity.blocked:Your network blocks video calls: none of our video servers could be reached. Try another network (for example, turn off a VPN or use your phone's mobile data), then check again.`,
  offline: $localize`:@@vc.connectivity.offline:This device has no network connection for video calls. Check your internet connection, then check again.`,
  unsupported: VIDEO_CALL_ERROR_MESSAGES.unsupported,
};

const OUTCOMES: Readonly<Record<ConnectivityVerdict, ConnectivityOutcome>> = {
  ready: 'pass',
  slow: 'warn',
  'relay-only': 'warn',
  'no-relay': 'warn',
  blocked: 'fail',
  offline: 'fail',
  unsupported: 'fail',
};

export interface ConnectivityCheckConfig {
  /** Gathering stops after this long, whatever came. */
  timeoutMs: number;
  /** A pass that took longer than this is a warning. */
  slowMs: number;
  createPeerConnection: PeerConnectionFactory;
}

export const CONNECTIVITY_CHECK_CONFIG = new InjectionToken<ConnectivityCheckConfig>('CONNECTIVITY_CHECK_CONFIG', {
  providedIn: 'root',
  factory: () => ({ timeoutMs: 8000, slowMs: 3000, createPeerConnection: (config) => new RTCPeerConnection(config) }),
});

/** What the candidates gathered with these servers say about this network. */
export interface GatheredCandidates {
  host: number;
  srflx: number;
  relay: number;
  /** A host candidate on a public address: no NAT in the way, so direct connections work without STUN's help. */
  publicHost: boolean;
}

/**
 * The verdict, by the servers configured: `relay` policy needs a relay candidate; otherwise a network is
 * reachable directly (a server-reflexive or public host candidate, with STUN) and/or through the relay (with
 * TURN). Only relay works, or only direct: warn. Nothing a configured server answered: fail. No servers at all
 * (a LAN or localhost deployment): any candidate will do.
 */
export function connectivityVerdict(
  ice: IceConfiguration,
  gathered: GatheredCandidates,
  elapsedMs: number,
  slowMs: number,
): ConnectivityVerdict {
  const urls = ice.iceServers.flatMap((server) => server.urls);
  const turn = urls.some((url) => /^turns?:/.test(url));
  const stun = urls.some((url) => /^stuns?:/.test(url));
  const relay = gathered.relay > 0;
  const direct = gathered.srflx > 0 || gathered.publicHost;
  let verdict: ConnectivityVerdict;
  if (ice.iceTransportPolicy === 'relay') verdict = relay ? 'ready' : 'blocked';
  else if (turn && stun) verdict = relay && direct ? 'ready' : relay ? 'relay-only' : direct ? 'no-relay' : 'blocked';
  else if (turn) verdict = relay ? 'ready' : 'blocked';
  else if (stun) verdict = direct ? 'ready' : 'blocked';
  else verdict = gathered.host > 0 ? 'ready' : 'offline';
  return verdict === 'ready' && elapsedMs > slowMs ? 'slow' : verdict;
}

/**
 * The pre-call connectivity check: gathers candidates with the call's own ICE servers on a throw-away
 * RTCPeerConnection (nothing is sent to anyone) and says Pass, Warn or Fail, with what to do.
 */
@Injectable({ providedIn: 'root' })
export class ConnectivityCheck {
  private readonly config = inject(CONNECTIVITY_CHECK_CONFIG);

  async run(ice: IceConfiguration = { iceServers: [], iceTransportPolicy: 'all' }): Promise<ConnectivityResult> {
    const started = Date.now();
    const gathered: GatheredCandidates = { host: 0, srflx: 0, relay: 0, publicHost: false };
    let pc: RTCPeerConnection;
    try {
      pc = this.config.createPeerConnection({ iceServers: ice.iceServers, iceTransportPolicy: ice.iceTransportPolicy });
    } catch {
      return result('unsupported', gathered, Date.now() - started);
    }
    const urls = ice.iceServers.flatMap((server) => server.urls);
    const wantsRelay = urls.some((url) => /^turns?:/.test(url));
    const wantsDirect = ice.iceTransportPolicy === 'all' && urls.some((url) => /^stuns?:/.test(url));
    let decidedAt: number | null = null;
    try {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.config.timeoutMs);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        pc.onicecandidate = (event) => {
          if (!event.candidate) return done();
          count(gathered, event.candidate.candidate);
          // Stop as soon as everything the servers can show has shown: no need to wait for the slowest.
          const enough =
            (!wantsRelay || gathered.relay > 0) && (!wantsDirect || gathered.srflx > 0) && (wantsRelay || wantsDirect || gathered.host > 0);
          if (enough) {
            decidedAt = Date.now();
            done();
          }
        };
        pc.createDataChannel('connectivity-check');
        pc.createOffer()
          .then((offer) => pc.setLocalDescription(offer))
          .catch(done);
      });
    } finally {
      pc.onicecandidate = null;
      pc.close();
    }
    const elapsedMs = (decidedAt ?? Date.now()) - started;
    return result(connectivityVerdict(ice, gathered, elapsedMs, this.config.slowMs), gathered, elapsedMs);
  }
}

function result(verdict: ConnectivityVerdict, gathered: GatheredCandidates, elapsedMs: number): ConnectivityResult {
  return {
    outcome: OUTCOMES[verdict],
    verdict,
    message: CONNECTIVITY_MESSAGES[verdict],
    candidates: { host: gathered.host, srflx: gathered.srflx, relay: gathered.relay },
    elapsedMs,
  };
}

/** `candidate:<foundation> <component> <protocol> <priority> <address> <port> typ <type> …` */
function count(gathered: GatheredCandidates, line: string): void {
  const match = /^(?:a=)?candidate:\S+ \d+ \S+ \d+ (\S+) \d+ typ (host|srflx|prflx|relay)/.exec(line);
  if (!match) return;
  const [, address = '', type] = match;
  if (type === 'relay') gathered.relay++;
  else if (type === 'srflx' || type === 'prflx') gathered.srflx++;
  else {
    gathered.host++;
    if (isPublicAddress(address)) gathered.publicHost = true;
  }
}

/** Not private, loopback, link-local, shared, documentation or otherwise special; an mDNS name hides the address. */
export function isPublicAddress(address: string): boolean {
  if (address.endsWith('.local')) return false;
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  if (v4) {
    const [a, b, c] = v4.slice(1, 4).map(Number) as [number, number, number];
    return !(
      a === 0 ||
      a === 10 ||
      a === 127 ||
      a >= 224 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 192 && b === 0 && (c === 0 || c === 2)) ||
      (a === 198 && (b === 18 || b === 19)) ||
      (a === 198 && b === 51 && c === 100) ||
      (a === 203 && b === 0 && c === 113)
    );
  }
  const v6 = address.toLowerCase();
  return /^[23][0-9a-f]{0,3}:/.test(v6) && !v6.startsWith('2001:db8:') && !v6.startsWith('2002:');
}
