import { Injectable } from '@nestjs/common';
import { HelpSessionEndedError, HelpSessionNotFoundError, HelpSessionRecords } from '@servicekit/api/help-session';
import { MatchService } from '@servicekit/api/match';
import { CUSTOMER_TOKEN_TTL_SECONDS } from '@servicekit/api/rep-auth';
import type { ChatMessage, ChatSender } from '@servicekit/contracts';
import { ChatFullError, ChatRateLimitedError, NoPartnerError, NotInThisChatError } from './chat.errors';
import { ChatDelivery } from './chat.ports';
import { ChatRecords } from './chat.records';

/** Who asks: the help session's customer (its customer token), or a signed-in rep. */
export type ChatParty = { kind: 'customer' } | { kind: 'rep'; repId: string };

/**
 * The text chat of a help session, between its customer and the rep holding its match (reserved or in the
 * call, so a rep may write to a customer while the call is being set up). Messages live in ChatRecords no
 * longer than the help session and are erased when it ends (the help-session lib's SessionErasure port).
 */
@Injectable()
export class ChatService {
  constructor(
    private readonly records: ChatRecords,
    // Records, not HelpSessionService: that service calls back into this one (SessionErasure) at the end.
    private readonly sessions: HelpSessionRecords,
    private readonly matches: MatchService,
    private readonly delivery: ChatDelivery,
  ) {}

  /** Stores the (already validated and trimmed) text and pushes it to both sides; the message as stored. */
  async send(helpSessionId: string, party: ChatParty, text: string, now = Date.now()): Promise<ChatMessage> {
    await this.requireParty(helpSessionId, party);
    const details = await this.sessions.customer(helpSessionId);
    if (details === null) throw new HelpSessionEndedError(ENDED);
    const match = await this.matches.partnerOf(helpSessionId);
    if (match === null || (party.kind === 'rep' && match.repId !== party.repId)) {
      throw party.kind === 'rep' ? new NotInThisChatError() : new NoPartnerError();
    }
    const from: ChatSender = party.kind;
    if (!(await this.records.withinRate(helpSessionId, from, now))) throw new ChatRateLimitedError();
    const ttl = Math.floor(CUSTOMER_TOKEN_TTL_SECONDS - (now - details.createdAt) / 1000);
    if (ttl < 2) throw new HelpSessionEndedError(ENDED);
    const message = await this.records.append(helpSessionId, { from, text, sentAt: now }, ttl);
    if (message === null) throw new ChatFullError();
    // The session may have ended between the checks and the write: its erasure may have missed this one.
    if (await this.sessions.hasEnded(helpSessionId)) {
      await this.records.erase(helpSessionId);
      throw new HelpSessionEndedError(ENDED);
    }
    await Promise.all([
      this.delivery.deliver({ kind: 'customer', helpSessionId }, message),
      this.delivery.deliver({ kind: 'rep', repId: match.repId }, message),
    ]);
    return message;
  }

  /** The messages after `after` (0: all), oldest first. */
  async history(helpSessionId: string, party: ChatParty, after = 0): Promise<ChatMessage[]> {
    await this.requireParty(helpSessionId, party);
    return this.records.after(helpSessionId, after);
  }

  /** Deletes the help session's messages (it ended). */
  erase(helpSessionId: string): Promise<void> {
    return this.records.erase(helpSessionId);
  }

  /**
   * The customer's token was checked by the guard; a rep must hold the match (or have held it when it ended,
   * so that it hears "ended" rather than "not yours"). Then the session must be open.
   */
  private async requireParty(helpSessionId: string, party: ChatParty): Promise<void> {
    const state = await this.sessions.state(helpSessionId);
    if (state === 'missing') throw new HelpSessionNotFoundError();
    if (party.kind === 'rep') {
      const current = await this.matches.partnerOf(helpSessionId);
      const holder = current?.repId ?? (state === 'ended' ? ((await this.sessions.endMarker(helpSessionId))?.repId ?? null) : null);
      if (holder !== party.repId) throw new NotInThisChatError();
    }
    if (state === 'ended') throw new HelpSessionEndedError(ENDED);
  }
}

const ENDED = 'This help session has ended and its messages were deleted. Please ask for help again to talk to a representative.';
