import { DestroyRef, effect, inject, Injectable } from '@angular/core';
import { EMBED_MESSAGE_SOURCE, type EndReason } from '@servicekit/contracts';
import { type CallSessionState, CustomerCallSession } from '@servicekit/web/call-session';
import { HelpStore } from '../help/help.store';
import { EmbedBridge } from './embed-bridge.service';

/** Reasons the host hears; the rest are the rep side's, or a refused socket (not a request that ran here). */
const HOST_REASONS: readonly string[] = ['customer-ended', 'rep-ended', 'customer-left', 'rep-left', 'cancelled'] satisfies EndReason[];

/**
 * Tells the host page how the customer's request goes (queued with a position, call started, ended with a
 * reason), from the call session's state: nothing personal. Ends the request when the customer closes the
 * widget. Provided by the help page, beside its call session.
 */
@Injectable()
export class EmbedEvents {
  private readonly bridge = inject(EmbedBridge);
  private readonly callSession = inject(CustomerCallSession);
  private readonly store = inject(HelpStore);
  /** What was last said, so that each change is said once. */
  private said = '';
  /** A request was queued on this page: only then does its end concern the host. */
  private live = false;

  constructor() {
    effect(() => this.report(this.callSession.state()));
    this.bridge.onEnd(() => this.endForClose());
    inject(DestroyRef).onDestroy(() => this.bridge.onEnd(null));
  }

  private report(state: CallSessionState): void {
    if (state.kind === 'waiting') {
      this.live = true;
      this.say(`queued:${state.position}`, () =>
        this.bridge.post({ source: EMBED_MESSAGE_SOURCE, type: 'queued', position: state.position }),
      );
    } else if (state.kind === 'in-call') {
      this.live = true;
      this.say(`call:${state.match.matchId}`, () => this.bridge.post({ source: EMBED_MESSAGE_SOURCE, type: 'call-started' }));
    } else if (state.kind === 'ended' && this.live && HOST_REASONS.includes(state.reason)) {
      const reason = state.reason as EndReason;
      this.live = false;
      this.say(`ended:${reason}`, () => this.bridge.post({ source: EMBED_MESSAGE_SOURCE, type: 'call-ended', reason }));
    }
  }

  private say(what: string, post: () => void): void {
    if (what === this.said) return;
    this.said = what;
    post();
  }

  /** The widget is closing: leave the queue or end the call, and say so before the loader removes the frame. */
  private async endForClose(): Promise<void> {
    const step = this.store.step();
    if (step === 'waiting') await this.store.cancel();
    else if (step !== 'form' && step !== 'ended') await this.store.end();
    this.report(this.callSession.state());
  }
}
