import type { WidgetEvent, WidgetEventName } from '@servicekit/contracts';
import { servedBrand } from './brand';
import { readOptions } from './options';
import { Widget } from './widget';

/** `window.ServiceKit`: what the host page may call. */
export interface ServiceKitApi {
  /** Opens the panel; `context` is a signed customer context token (it replaces `data-context`). */
  open(options?: { context?: string }): void;
  /** Closes the panel and ends the customer's request, if one runs. */
  close(): void;
  /** Subscribes to `opened`, `queued`, `call-started`, `call-ended` or `closed`; returns the unsubscribe function. */
  on(event: WidgetEventName, handler: (event: WidgetEvent) => void): () => void;
}

declare global {
  interface Window {
    ServiceKit?: ServiceKitApi;
  }
}

/**
 * Sets the widget up from its script tag: the app's origin is the script's own, the options are its
 * `data-` attributes. Adds the button once the body exists; defines `window.ServiceKit` at once, and
 * dispatches `servicekit:ready` on the window for pages that load the script asynchronously.
 */
export function install(win: Window, script: HTMLScriptElement | null): ServiceKitApi | null {
  if (win.ServiceKit) {
    console.warn('Service Kit: embed.js is on this page twice; the second copy does nothing.');
    return null;
  }
  if (!script?.src) {
    console.warn('Service Kit: embed.js cannot tell where it was loaded from; load it with a plain <script src="…/embed.js">.');
    return null;
  }
  const appOrigin = new URL(script.src, win.location.href).origin;
  const widget = new Widget(
    win,
    appOrigin,
    readOptions(script.dataset, (message) => console.warn(message), servedBrand()),
  );
  const api: ServiceKitApi = Object.freeze({
    open: (options?: { context?: string }) => widget.open(options?.context),
    close: () => widget.close(),
    on: (event: WidgetEventName, handler: (event: WidgetEvent) => void) => widget.on(event, handler),
  });
  win.ServiceKit = api;
  const doc = win.document;
  if (doc.body) widget.mount();
  else doc.addEventListener('DOMContentLoaded', () => widget.mount(), { once: true });
  win.dispatchEvent(new CustomEvent('servicekit:ready'));
  return api;
}
