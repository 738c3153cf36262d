import { Logger, UseFilters } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { HelpSessionService } from '@servicekit/api/help-session';
import { MatchService } from '@servicekit/api/match';
import { UnauthenticatedError } from '@servicekit/api/errors';
import { RepAuthenticator, TokenService } from '@servicekit/api/rep-auth';
import {
  ClientToServerEvents,
  PRESENCE_NAMESPACE,
  PRESENCE_REFUSALS,
  ServerToClientEvents,
  SIGNAL_MAX_BYTES,
  SignalMessage,
} from '@servicekit/contracts';
import type { Namespace, Socket } from 'socket.io';
import { Participant } from './participant';
import { PresenceNotifier } from './presence.notifier';
import { refuseDeepMessages } from './bounded-messages';
import { PresenceExceptionFilter } from './presence-exception.filter';
import { PresenceService } from './presence.service';

type PresenceSocketIo = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  { participant: Participant; name?: string }
>;

/**
 * The `/presence` namespace. WebSocket transport only: API instances share no memory, so the
 * long-polling fallback (which needs sticky sessions) is off.
 */
@WebSocketGateway({ namespace: PRESENCE_NAMESPACE, transports: ['websocket'], cors: false, maxHttpBufferSize: 64 * 1024 })
@UseFilters(PresenceExceptionFilter)
export class PresenceGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(PresenceGateway.name);

  constructor(
    private readonly tokens: TokenService,
    private readonly reps: RepAuthenticator,
    private readonly sessions: HelpSessionService,
    private readonly matches: MatchService,
    private readonly presence: PresenceService,
    private readonly notifier: PresenceNotifier,
  ) {}

  /**
   * Refuses a handshake without a valid customer token or a rep token of a live session, with the reason as
   * the connect error. A session that ends later closes the rep's sockets through RepSignOuts.
   */
  afterInit(namespace: Namespace): void {
    namespace.use((socket, next) => {
      const token: unknown = socket.handshake.auth?.['token'];
      if (typeof token !== 'string' || token.length === 0) return next(new Error(PRESENCE_REFUSALS.noToken));
      this.identify(token).then(
        (participant) => {
          socket.data = { participant };
          socket.use(refuseDeepMessages);
          next();
        },
        (error: unknown) => next(new Error(error instanceof UnauthenticatedError ? error.message : PRESENCE_REFUSALS.badToken)),
      );
    });
  }

  async handleConnection(socket: PresenceSocketIo): Promise<void> {
    const { participant } = socket.data;
    if (!participant) return;
    try {
      await this.presence.connected(participant, socket);
      if (participant.kind === 'customer') socket.emit('customer:state', await this.sessions.customerState(participant.id));
      else socket.emit('rep:state', await this.matches.repState(participant.id));
    } catch (error) {
      this.logger.warn(`A presence connection could not be set up: ${(error as Error).message}`);
      socket.disconnect(true);
    }
  }

  async handleDisconnect(socket: PresenceSocketIo): Promise<void> {
    const { participant } = socket.data;
    if (!participant) return;
    await this.presence.disconnected(participant, socket).catch((error: unknown) => {
      this.logger.warn(`A presence disconnect could not be recorded: ${(error as Error).message}`);
    });
  }

  @SubscribeMessage('media:connected')
  async mediaConnected(@ConnectedSocket() socket: PresenceSocketIo, @MessageBody() body: unknown): Promise<{ ok: boolean }> {
    const matchId = (body as { matchId?: unknown } | null)?.matchId;
    if (typeof matchId !== 'string' || matchId.length > 100) return { ok: false };
    const { participant } = socket.data;
    if (participant.kind === 'customer') return { ok: await this.matches.mediaConnected(participant.id, matchId, 'customer') };
    const match = await this.matches.currentMatchOfRep(participant.id);
    if (!match || match.matchId !== matchId) return { ok: false };
    return { ok: await this.matches.mediaConnected(match.helpSessionId, matchId, 'rep') };
  }

  /** Relays call signaling to the sender's match partner, and to nobody else. */
  @SubscribeMessage('signal')
  async signal(@ConnectedSocket() socket: PresenceSocketIo, @MessageBody() body: unknown): Promise<{ ok: boolean; error?: string }> {
    const message = validSignal(body);
    if (!message) return { ok: false, error: 'That is not a valid call signal.' };
    const { participant } = socket.data;
    const match =
      participant.kind === 'customer' ? await this.matches.partnerOf(participant.id) : await this.matches.currentMatchOfRep(participant.id);
    if (!match) return { ok: false, error: 'You are not in a call.' };
    const to: Participant =
      participant.kind === 'customer' ? { kind: 'rep', id: match.repId } : { kind: 'customer', id: match.helpSessionId };
    await this.notifier.send(to, 'signal', message);
    return { ok: true };
  }

  /** A customer token, or a rep token whose session still holds (else the sentence saying why it ended). */
  private async identify(token: string): Promise<Participant> {
    let identity: ReturnType<TokenService['identify']>;
    try {
      identity = this.tokens.identify(token);
    } catch {
      throw new UnauthenticatedError(PRESENCE_REFUSALS.badToken);
    }
    if ('customer' in identity) return { kind: 'customer', id: identity.customer.helpSessionId };
    await this.reps.fromRepId(identity.rep.repId);
    return { kind: 'rep', id: identity.rep.repId };
  }
}

/**
 * Ready, offer, answer, ICE candidate or hangup, with string fields only and a bounded size. Only the fields
 * it relays are measured (no JSON.stringify of what the client sent: that walk recursed over any depth).
 */
export function validSignal(body: unknown): SignalMessage | null {
  if (typeof body !== 'object' || body === null) return null;
  const message = body as Record<string, unknown>;
  const fits = (...texts: (string | null)[]) =>
    texts.reduce((bytes, text) => bytes + Buffer.byteLength(text ?? '', 'utf8'), 0) <= SIGNAL_MAX_BYTES;
  switch (message['kind']) {
    case 'offer':
      return typeof message['sdp'] === 'string' && Object.keys(message).length === 2 && fits(message['sdp'])
        ? { kind: 'offer', sdp: message['sdp'] }
        : null;
    case 'answer': {
      const { sdp, offerId } = message;
      if (typeof sdp !== 'string' || !fits(sdp) || Object.keys(message).length > (offerId === undefined ? 2 : 3)) return null;
      if (offerId === undefined) return { kind: 'answer', sdp };
      return typeof offerId === 'string' && offerId.length <= 64 ? { kind: 'answer', sdp, offerId } : null;
    }
    case 'ice': {
      const candidate = message['candidate'] as Record<string, unknown> | null;
      if (typeof candidate !== 'object' || candidate === null || typeof candidate['candidate'] !== 'string') return null;
      const sdpMid = candidate['sdpMid'];
      const sdpMLineIndex = candidate['sdpMLineIndex'];
      if (sdpMid !== undefined && sdpMid !== null && typeof sdpMid !== 'string') return null;
      if (sdpMLineIndex !== undefined && sdpMLineIndex !== null && typeof sdpMLineIndex !== 'number') return null;
      if (!fits(candidate['candidate'], sdpMid ?? null)) return null;
      return {
        kind: 'ice',
        candidate: { candidate: candidate['candidate'], sdpMid: sdpMid ?? null, sdpMLineIndex: sdpMLineIndex ?? null },
      };
    }
    case 'ready':
    case 'hangup':
      return Object.keys(message).length === 1 ? { kind: message['kind'] } : null;
    default:
      return null;
  }
}
