import { inject, Injectable, InjectionToken, signal } from '@angular/core';
import {
  type AppToHostMessage,
  EMBED_MESSAGE_SOURCE,
  EMBED_PAGE_PATH,
  EMBED_PAGE_QUERY,
  type HostToAppMessage,
  parseHostMessage,
} from '@servicekit/contracts';
import { ServiceKitApi } from '@servicekit/web/data-access';

/** The window the app runs in (a token, so that specs can stand in for a parent page). */
export const EMBED_WINDOW = new InjectionToken<Window>('EMBED_WINDOW', { factory: () => window });

/** A verified customer context from the host site: what the form is prefilled with, and the token to send along. */
export interface EmbedPrefill {
  readonly customerName: string;
  readonly reference: string | null;
  readonly token: string;
}

/**
 * The embed page's side of the widget. The host page's origin comes from the page URL (`?host=`) and is
 * trusted only when the server lists it in EMBED_ORIGINS; from then on a message is heard only when it comes
 * from the parent window with exactly that origin, and every message sent names it as the target. A context
 * token is checked by the server before it prefills anything; a bad one only warns on the console.
 */
@Injectable({ providedIn: 'root' })
export class EmbedBridge {
  private readonly win = inject(EMBED_WINDOW);
  private readonly api = inject(ServiceKitApi);
  private readonly url = new URL(this.win.location.href);
  private hostOrigin: string | null = null;
  private endHandler: (() => Promise<void>) | null = null;

  /** This is the embed page (compact layout), framed or not. */
  readonly embedded = this.url.pathname === EMBED_PAGE_PATH;
  /** The language the host asked for (`data-locale`), for the app's translations once it has them. */
  readonly locale = this.url.searchParams.get(EMBED_PAGE_QUERY.locale);
  /** Talking to an accepted host page. */
  readonly connected = signal(false);
  readonly prefill = signal<EmbedPrefill | null>(null);

  constructor() {
    if (this.embedded && this.win.parent !== this.win) void this.connect();
  }

  /** What to do when the customer closes the widget: end the running request (the page sets it). */
  onEnd(handler: (() => Promise<void>) | null): void {
    this.endHandler = handler;
  }

  post(message: AppToHostMessage): void {
    if (this.hostOrigin) this.win.parent.postMessage(message, this.hostOrigin);
  }

  private async connect(): Promise<void> {
    const claimed = this.url.searchParams.get(EMBED_PAGE_QUERY.host);
    let origins: string[];
    try {
      origins = (await this.api.embedSettings()).origins;
    } catch {
      console.warn('Service Kit: the embedding settings could not be loaded; the widget events are off.');
      return;
    }
    if (!claimed || !origins.includes(claimed)) {
      console.warn(`Service Kit: ${claimed ?? 'this host page'} is not in EMBED_ORIGINS; the widget events are off.`);
      return;
    }
    this.hostOrigin = claimed;
    this.win.addEventListener('message', (event) => void this.receive(event));
    this.connected.set(true);
    this.post({ source: EMBED_MESSAGE_SOURCE, type: 'ready' });
  }

  private async receive(event: MessageEvent): Promise<void> {
    if (event.source !== this.win.parent || event.origin !== this.hostOrigin) return;
    const message = parseHostMessage(event.data);
    if (message) await this.handle(message);
  }

  private async handle(message: HostToAppMessage): Promise<void> {
    if (message.type === 'end') {
      try {
        await this.endHandler?.();
      } catch {
        console.warn('Service Kit: the request could not be ended; it ends by itself when the frame goes.');
      }
      this.post({ source: EMBED_MESSAGE_SOURCE, type: 'finished' });
      return;
    }
    try {
      const check = await this.api.checkContext(message.token);
      if (check.valid) this.prefill.set({ customerName: check.customerName, reference: check.reference, token: message.token });
      else console.warn(`Service Kit: the context token was ignored. ${check.message}`);
    } catch {
      console.warn('Service Kit: the context token could not be checked; the form is not prefilled.');
    }
  }
}
