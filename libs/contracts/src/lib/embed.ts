import type { EndReason } from './presence';

/**
 * The widget: a loader (`/embed.js`) on a host site frames the customer app's embed page and talks to it with
 * postMessage. Both sides check the other's exact origin on every message; these are the messages.
 */

/** The only page of the customer app that other sites may frame (EMBED_ORIGINS). */
export const EMBED_PAGE_PATH = '/embed';
/** Query parameters of the embed page: the host page's origin, and the language it asked for. */
export const EMBED_PAGE_QUERY = { host: 'host', locale: 'lang' } as const;
/**
 * The widget's brand (BRAND_NAME, BRAND_COLOR) is not known when the loader is built: the built script holds
 * this string literal once, and the server replaces it with the brand as a JSON string when it serves
 * `/embed.js`. A loader served as built (no server) keeps the literal and uses the defaults.
 */
export const EMBED_BRAND_SLOT = '__SERVICEKIT_EMBED_BRAND__';

/** What the server writes into EMBED_BRAND_SLOT. */
export interface EmbedBrand {
  name: string;
  /** `#rrggbb`, or null for the widget's own colour. */
  color: string | null;
}

/** Marks our messages among whatever else a page posts. */
export const EMBED_MESSAGE_SOURCE = 'servicekit';

/** The host site's signed customer context (HS256 with EMBED_CONTEXT_SECRET). */
export const EMBED_CONTEXT_RULES = {
  /** `reference` (an order or account number) at most this many characters. */
  referenceMax: 100,
  /** `exp` at most this far ahead. */
  maxLifetimeSeconds: 600,
  /** Longest token accepted at all. */
  tokenMax: 4096,
} as const;

/** What the host page hears through `ServiceKit.on(…)`. Nothing personal: no name, problem or reference. */
export type WidgetEvent =
  | { name: 'opened' }
  | { name: 'queued'; position: number }
  | { name: 'call-started' }
  /** The request ended, after a call or without one (`cancelled`). */
  | { name: 'call-ended'; reason: EndReason }
  | { name: 'closed' };

export type WidgetEventName = WidgetEvent['name'];

/** From the embed page to the loader. */
export type AppToHostMessage =
  /** The app runs and accepts this host: the loader may send the context. */
  | { source: typeof EMBED_MESSAGE_SOURCE; type: 'ready' }
  | { source: typeof EMBED_MESSAGE_SOURCE; type: 'queued'; position: number }
  | { source: typeof EMBED_MESSAGE_SOURCE; type: 'call-started' }
  | { source: typeof EMBED_MESSAGE_SOURCE; type: 'call-ended'; reason: EndReason }
  /** The answer to `end`: nothing runs any more, the loader may remove the frame. */
  | { source: typeof EMBED_MESSAGE_SOURCE; type: 'finished' };

/** From the loader to the embed page. */
export type HostToAppMessage =
  | { source: typeof EMBED_MESSAGE_SOURCE; type: 'context'; token: string }
  /** The customer closed the widget: end whatever request runs, then answer `finished`. */
  | { source: typeof EMBED_MESSAGE_SOURCE; type: 'end' };

const END_REASONS: readonly EndReason[] = ['customer-ended', 'rep-ended', 'customer-left', 'rep-left', 'cancelled'];

/** An AppToHostMessage, or null for anything else (other scripts' messages, malformed ones). */
export function parseAppMessage(data: unknown): AppToHostMessage | null {
  const message = ours(data);
  if (!message) return null;
  switch (message['type']) {
    case 'ready':
    case 'call-started':
    case 'finished':
      return { source: EMBED_MESSAGE_SOURCE, type: message['type'] };
    case 'queued': {
      const position = message['position'];
      return Number.isInteger(position) && (position as number) > 0
        ? { source: EMBED_MESSAGE_SOURCE, type: 'queued', position: position as number }
        : null;
    }
    case 'call-ended': {
      const reason = END_REASONS.find((r) => r === message['reason']);
      return reason ? { source: EMBED_MESSAGE_SOURCE, type: 'call-ended', reason } : null;
    }
    default:
      return null;
  }
}

/** A HostToAppMessage, or null for anything else. */
export function parseHostMessage(data: unknown): HostToAppMessage | null {
  const message = ours(data);
  if (!message) return null;
  if (message['type'] === 'end') return { source: EMBED_MESSAGE_SOURCE, type: 'end' };
  const token = message['token'];
  if (message['type'] === 'context' && typeof token === 'string' && token.length > 0 && token.length <= EMBED_CONTEXT_RULES.tokenMax) {
    return { source: EMBED_MESSAGE_SOURCE, type: 'context', token };
  }
  return null;
}

function ours(data: unknown): Record<string, unknown> | null {
  if (typeof data !== 'object' || data === null) return null;
  const record = data as Record<string, unknown>;
  return record['source'] === EMBED_MESSAGE_SOURCE && typeof record['type'] === 'string' ? record : null;
}

/** `GET /api/embed`: what the embed page needs to know before it talks to its host. Public. */
export interface EmbedSettingsResponse {
  /** EMBED_ORIGINS: the sites allowed to frame the embed page (also in its frame-ancestors policy). */
  origins: string[];
  /** Whether this server verifies context tokens (EMBED_CONTEXT_SECRET is set). */
  acceptsContext: boolean;
}

/** `POST /api/help-sessions/context`: check a context token before prefilling the form with it. */
export interface CheckContextRequest {
  context: string;
}

export type CheckContextResponse =
  | { valid: true; customerName: string; reference: string | null }
  /** `message` says why, for the console: the form is simply not prefilled. */
  | { valid: false; message: string };

/**
 * What the rep is shown of a context the host site signed, checked when the help session was created.
 * `reference` comes from the token only (the customer cannot change it); `nameVerified` is true only when
 * the customer kept the name the host site signed, unchanged.
 */
export interface VerifiedContext {
  reference: string | null;
  nameVerified: boolean;
}
