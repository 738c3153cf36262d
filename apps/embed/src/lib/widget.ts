import {
  EMBED_MESSAGE_SOURCE,
  EMBED_PAGE_PATH,
  EMBED_PAGE_QUERY,
  type HostToAppMessage,
  parseAppMessage,
  EXACT_POSITIONS_UP_TO,
  shownPosition,
  type WidgetEvent,
  type WidgetEventName,
} from '@servicekit/contracts';
import { textColorOn, type WidgetOptions } from './options';
import { STYLES } from './styles';

export type WidgetHandler = (event: WidgetEvent) => void;

/** How long the embed page may take to say it runs before the panel offers a link instead. */
export const READY_TIMEOUT_MS = 10_000;
/** How long a closing embed page may take to end the request before its frame goes anyway. */
export const FINISH_TIMEOUT_MS = 3_000;

const EVENT_NAMES: readonly string[] = ['opened', 'queued', 'call-started', 'call-ended', 'closed'] satisfies WidgetEventName[];

const icon = (path: string) =>
  `<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="currentColor"><path d="${path}"/></svg>`;
const CAMERA = icon('M17 10.5V7a1 1 0 0 0-1-1H4a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1v-3.5l4 4v-11z');
const MINIMISE = icon('M5 11h14v2H5z');
const CLOSE = icon('M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4l5.6 5.6L5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6z');

const TEMPLATE = `<style>${STYLES}</style><div class="wrap"><button class="launcher" type="button" aria-expanded="false" aria-controls="sk-panel">${CAMERA}<span class="label"></span><span class="status"></span></button><div class="panel" id="sk-panel" role="dialog" aria-labelledby="sk-title" hidden><div class="bar"><p class="title" id="sk-title"></p><button class="min" type="button" aria-label="Minimise">${MINIMISE}</button><button class="close" type="button" aria-label="Close">${CLOSE}</button></div></div></div>`;

/**
 * The widget: a floating button and a panel in its own shadow root, the only part of the host page it
 * touches. The customer app is framed lazily, on first use. Messages are exchanged with the frame only:
 * each one received must come from the frame's window and the app's exact origin, and every one sent names
 * that origin as its target.
 */
export class Widget {
  private readonly host: HTMLElement;
  private readonly wrap: HTMLElement;
  private readonly launcher: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly panel: HTMLElement;
  private readonly handlers = new Map<string, Set<WidgetHandler>>();
  private context: string | null;
  /** The frame of the current request, and whether its page said it runs. */
  private frame: HTMLIFrameElement | null = null;
  private ready = false;
  private readyTimer: ReturnType<typeof setTimeout> | undefined;
  /** A closed frame still ending its request: its `call-ended` and `finished` are still heard. */
  private closing: HTMLIFrameElement | null = null;
  private finishTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly win: Window,
    private readonly appOrigin: string,
    private readonly options: WidgetOptions,
  ) {
    const doc = win.document;
    this.context = options.context;
    this.host = doc.createElement('div');
    this.host.setAttribute('data-servicekit', '');
    const root = this.host.attachShadow({ mode: 'open' });
    root.innerHTML = TEMPLATE;
    const find = <T extends Element>(selector: string) => root.querySelector(selector) as T;
    this.wrap = find('.wrap');
    this.launcher = find('.launcher');
    this.status = find('.status');
    this.panel = find('.panel');
    this.wrap.style.setProperty('--sk-c', options.color);
    this.wrap.style.setProperty('--sk-fg', textColorOn(options.color));
    this.wrap.classList.toggle('left', options.position === 'bottom-left');
    find('.label').textContent = options.label;
    find('.title').textContent = options.title;
    this.launcher.addEventListener('click', () => (this.panel.hidden ? this.open() : this.minimise()));
    find('.min').addEventListener('click', () => this.minimise());
    find('.close').addEventListener('click', () => this.close());
    this.panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.minimise();
    });
    win.addEventListener('message', (event) => this.receive(event));
  }

  /** Puts the button on the page (at the end of the body). */
  mount(): void {
    this.win.document.body.appendChild(this.host);
  }

  /** Opens the panel (framing the app on first use); a context token given here replaces the data-context one. */
  open(context?: string): void {
    if (context !== undefined) {
      if (typeof context === 'string' && context.length > 0) this.context = context;
      else this.warn('ServiceKit.open({context}) needs a context token (a string); opening without it.');
    }
    if (this.closing) this.finish();
    if (this.frame) this.sendContext();
    else this.frame = this.createFrame();
    if (!this.panel.hidden) return;
    this.show(true);
    this.emit({ name: 'opened' });
    this.frame.focus();
  }

  /** Hides the panel; the request and any call go on. */
  minimise(): void {
    if (this.panel.hidden) return;
    this.show(false);
    this.launcher.focus();
  }

  /** Closes the panel and ends the request: the app is asked to end it, then its frame goes. */
  close(): void {
    const frame = this.frame;
    if (!frame && this.panel.hidden) return;
    this.show(false);
    this.launcher.focus();
    this.frame = null;
    clearTimeout(this.readyTimer);
    if (frame && this.ready) {
      this.closing = frame;
      this.post(frame, { source: EMBED_MESSAGE_SOURCE, type: 'end' });
      this.finishTimer = setTimeout(() => this.finish(), FINISH_TIMEOUT_MS);
    } else {
      frame?.remove();
      this.emit({ name: 'closed' });
    }
    this.ready = false;
    this.setStatus('');
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on(name: WidgetEventName, handler: WidgetHandler): () => void {
    if (!EVENT_NAMES.includes(name) || typeof handler !== 'function') {
      this.warn(`ServiceKit.on needs one of ${EVENT_NAMES.join(', ')} and a function.`);
      return () => undefined;
    }
    const set = this.handlers.get(name) ?? new Set<WidgetHandler>();
    this.handlers.set(name, set.add(handler));
    return () => set.delete(handler);
  }

  private createFrame(): HTMLIFrameElement {
    const frame = this.win.document.createElement('iframe');
    frame.title = this.options.label;
    frame.setAttribute('allow', 'camera; microphone; autoplay; display-capture');
    const url = new URL(EMBED_PAGE_PATH, this.appOrigin);
    url.searchParams.set(EMBED_PAGE_QUERY.host, this.win.location.origin);
    if (this.options.locale) url.searchParams.set(EMBED_PAGE_QUERY.locale, this.options.locale);
    frame.src = url.href;
    this.panel.querySelector('.fallback')?.remove();
    this.panel.appendChild(frame);
    this.ready = false;
    this.readyTimer = setTimeout(() => this.unavailable(frame), READY_TIMEOUT_MS);
    return frame;
  }

  /** The page never said it runs (refused by the browser, or unreachable): offer it in a tab of its own. */
  private unavailable(frame: HTMLIFrameElement): void {
    if (frame !== this.frame || this.ready) return;
    this.warn(`the help window did not load. Is ${this.win.location.origin} listed in EMBED_ORIGINS of ${this.appOrigin}?`);
    const doc = this.win.document;
    const fallback = doc.createElement('p');
    fallback.className = 'fallback';
    fallback.setAttribute('role', 'alert');
    const link = doc.createElement('a');
    link.href = new URL('/', this.appOrigin).href;
    link.target = '_blank';
    link.rel = 'noopener';
    link.textContent = 'Open it in a new tab';
    fallback.append('The help window cannot open on this page. ', link, '.');
    frame.replaceWith(fallback);
    this.frame = null;
  }

  private receive(event: MessageEvent): void {
    const from = [this.frame, this.closing].find((frame) => frame !== null && event.source === frame.contentWindow);
    if (!from || event.origin !== this.appOrigin) return;
    const message = parseAppMessage(event.data);
    switch (message?.type) {
      case 'ready':
        if (from !== this.frame) return;
        this.ready = true;
        clearTimeout(this.readyTimer);
        this.sendContext();
        return;
      case 'queued':
        this.setStatus(`${message.position > EXACT_POSITIONS_UP_TO ? 'about ' : ''}number ${shownPosition(message.position)} in line`);
        this.emit({ name: 'queued', position: message.position });
        return;
      case 'call-started':
        this.setStatus('in a call');
        this.emit({ name: 'call-started' });
        return;
      case 'call-ended':
        this.setStatus('');
        this.emit({ name: 'call-ended', reason: message.reason });
        return;
      case 'finished':
        if (from === this.closing) this.finish();
        return;
    }
  }

  /** The closed frame is done (or out of time): it goes, and the host hears `closed`. */
  private finish(): void {
    clearTimeout(this.finishTimer);
    this.closing?.remove();
    this.closing = null;
    this.emit({ name: 'closed' });
  }

  private sendContext(): void {
    if (this.frame && this.ready && this.context) {
      this.post(this.frame, { source: EMBED_MESSAGE_SOURCE, type: 'context', token: this.context });
    }
  }

  private post(frame: HTMLIFrameElement, message: HostToAppMessage): void {
    frame.contentWindow?.postMessage(message, this.appOrigin);
  }

  private show(open: boolean): void {
    this.panel.hidden = !open;
    this.wrap.classList.toggle('open', open);
    this.launcher.setAttribute('aria-expanded', String(open));
  }

  private setStatus(text: string): void {
    this.status.textContent = text;
  }

  private emit(event: WidgetEvent): void {
    for (const handler of this.handlers.get(event.name) ?? []) {
      try {
        handler({ ...event });
      } catch (error) {
        console.error('Service Kit: an event handler failed', error);
      }
    }
  }

  private warn(message: string): void {
    console.warn(`Service Kit: ${message}`);
  }
}
