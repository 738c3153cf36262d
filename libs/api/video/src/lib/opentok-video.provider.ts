// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- an ambient declaration cannot be imported, and this brings it into every project that compiles this file
/// <reference path="./opentok.d.ts" />
import OpenTok = require('opentok');
import type { VideoCredentials } from '@servicekit/contracts';
import { CallParticipant, checkTtlSeconds, ForeignVideoSessionError, VideoProvider, VideoUnavailableError } from './video-provider';

export interface OpenTokVideoProviderOptions {
  apiKey: string;
  apiSecret: string;
  /** Base URL of the OpenTok REST API; the SDK's default (the Vonage cloud) when not set. */
  apiUrl?: string;
  /** How long createSession may take; 5000 when not set. */
  timeoutMs?: number;
  /** 3600 when not set. */
  defaultTtlSeconds?: number;
}

/** The OpenTok (Vonage Video API) adapter, for deployments that relay media through the cloud. */
export class OpenTokVideoProvider extends VideoProvider {
  readonly name = 'opentok' as const;
  private readonly client: OpenTok;
  private readonly apiKey: string;
  private readonly timeoutMs: number;
  private readonly defaultTtlSeconds: number;

  constructor(options: OpenTokVideoProviderOptions) {
    super();
    if (!options.apiKey || !options.apiSecret) {
      throw new Error('OpenTokVideoProvider needs a non-empty apiKey and apiSecret.');
    }
    this.apiKey = options.apiKey;
    this.timeoutMs = options.timeoutMs ?? 5000;
    if (!Number.isFinite(this.timeoutMs) || this.timeoutMs <= 0) {
      throw new RangeError(`OpenTokVideoProvider needs a positive timeoutMs (got ${options.timeoutMs}).`);
    }
    this.defaultTtlSeconds = checkTtlSeconds(options.defaultTtlSeconds ?? 3600);
    this.client = new OpenTok(options.apiKey, options.apiSecret, options.apiUrl ? { apiUrl: options.apiUrl } : undefined);
  }

  createSession(): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outcome();
      };
      // The SDK accepts a timeout option but never applies it: without this, a hung API hangs the request.
      const timer = setTimeout(
        () => settle(() => reject(new VideoUnavailableError(`The video service did not answer within ${this.timeoutMs} ms.`))),
        this.timeoutMs,
      );
      try {
        // Routed: media goes through OpenTok's servers, so calls work when the two browsers cannot reach
        // each other directly (symmetric NATs, corporate firewalls), and archiving can be added later
        // (OpenTok archives only routed sessions). Relayed would be peer-to-peer, which the built-in
        // provider already offers.
        this.client.createSession({ mediaMode: 'routed' }, (error, session) =>
          settle(() => {
            if (error) reject(refused(error));
            else if (typeof session?.sessionId !== 'string' || session.sessionId === '') {
              reject(new VideoUnavailableError('The video service refused to create a session: its answer had no session id.'));
            } else resolve(session.sessionId);
          }),
        );
      } catch (error) {
        settle(() => reject(refused(error)));
      }
    });
  }

  credentials(sessionId: string, participant: CallParticipant, ttlSeconds?: number): VideoCredentials {
    if (!this.ownsSession(sessionId)) throw new ForeignVideoSessionError(sessionId);
    const ttl = checkTtlSeconds(ttlSeconds ?? this.defaultTtlSeconds);
    const token = this.client.generateToken(sessionId, {
      // Moderators can force-disconnect or mute a publisher: only the representative gets that.
      role: participant.role === 'rep' ? 'moderator' : 'publisher',
      expireTime: Math.floor(Date.now() / 1000) + ttl,
      // The role only: connection data is readable by every participant of the session and by Vonage.
      data: JSON.stringify({ role: participant.role }),
    });
    return { provider: 'opentok', sessionId, token, apiKey: this.apiKey };
  }

  /** Session ids carry their project's API key; the SDK refuses tokens for another project's session. */
  private ownsSession(sessionId: string): boolean {
    if (typeof sessionId !== 'string' || !/^\d_[A-Za-z0-9_-]+={0,2}$/.test(sessionId)) return false;
    const fields = Buffer.from(sessionId.slice(2), 'base64url').toString('latin1').split('~');
    return fields[1] === this.apiKey;
  }
}

function refused(error: unknown): VideoUnavailableError {
  const detail = (error instanceof Error ? error.message : String(error))
    .replace(/^Failed to createSession\.\s*/, '')
    .replace(/^Error:\s*/, '')
    .replace(/\.$/, '');
  return new VideoUnavailableError(`The video service refused to create a session: ${detail || 'no reason given'}.`, {
    cause: error,
  });
}
