import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceKitConfig } from '@servicekit/api/config';
import { EMBED_PAGE_PATH } from '@servicekit/contracts';
import type { NextFunction, RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Angular inlines the critical CSS and loads the rest with `<link … media="print" onload="this.media='all'">`.
 * That one event handler is allowed by its hash, and nothing else inline may run.
 */
const ANGULAR_STYLESHEET_ONLOAD = "'sha256-MhtPZXr7+LpJUY5qtMutB+qWfQtMaPccfe7QXtCcEYc='";

/** Where the OpenTok browser SDK talks to (signalling, logging, media servers' control channels). */
const OPENTOK_ORIGINS = [
  'https://*.opentok.com',
  'wss://*.opentok.com',
  'https://*.tokbox.com',
  'wss://*.tokbox.com',
  'https://*.vonage.com',
  'wss://*.vonage.com',
];

/** A Host header fit to be echoed into a CSP source: a host name or IP literal and an optional port. */
const SANE_HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** Only what the two apps use: camera and microphone from our own pages, nothing else. */
export const PERMISSIONS_POLICY = 'camera=(self), microphone=(self), display-capture=(), geolocation=(), payment=(), usb=()';

/**
 * Helmet with a Content-Security-Policy the apps work under (own scripts only; inline styles, which Angular
 * needs; camera streams as blob: media; socket.io over ws/wss to the same host) and a Permissions-Policy
 * that lets our own pages, and only them, ask for the camera and microphone.
 *
 * Nothing may be framed (`frame-ancestors 'none'`, `X-Frame-Options: DENY`), except the customer app's embed
 * page by the EMBED_ORIGINS sites, exactly. The rep app, the ops page and the API are never frameable. The
 * camera grant needs nothing more from us when framed: a framed document's own `camera=(self)` covers it
 * (self is our origin), and the host delegates with the iframe's `allow` attribute.
 */
export function securityHeaders(config: Pick<ServiceKitConfig, 'video' | 'embed'>): RequestHandler[] {
  const opentok = config.video.provider === 'opentok' ? OPENTOK_ORIGINS : [];
  const sameHostSockets = (req: IncomingMessage) => {
    const host = req.headers.host;
    // 'self' covers ws(s) to the same host in current browsers; older ones need it spelled out.
    return host && SANE_HOST.test(host) ? `ws://${host} wss://${host}` : "'self'";
  };
  const policy = (frameAncestors: string[]) =>
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          scriptSrcAttr: ["'unsafe-hashes'", ANGULAR_STYLESHEET_ONLOAD],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          mediaSrc: ["'self'", 'blob:'],
          connectSrc: ["'self'", sameHostSockets, ...opentok],
          workerSrc: ["'self'", 'blob:'],
          fontSrc: ["'self'", 'data:'],
          objectSrc: ["'none'"],
          frameAncestors,
          baseUri: ["'self'"],
          formAction: ["'self'"],
          // The apps are served over plain HTTP on a developer's machine: upgrading would break them there.
          upgradeInsecureRequests: null,
        },
      },
      // Cross-origin isolation would block the OpenTok SDK's resources; the CSP above is the real guard.
      crossOriginEmbedderPolicy: false,
      // Browsers ignore it over plain HTTP; over HTTPS it pins this host only, not its neighbours.
      strictTransportSecurity: { maxAge: 15_552_000, includeSubDomains: false },
      referrerPolicy: { policy: 'no-referrer' },
      // DENY for browsers that know only this header; it cannot list origins, so the embed page goes without
      // it when framing is allowed (every current browser enforces frame-ancestors, which then wins anyway).
      xFrameOptions: frameAncestors.includes("'none'") ? { action: 'deny' } : false,
    });
  const unframed = policy(["'none'"]);
  const framed = config.embed.origins.length > 0 ? policy([...config.embed.origins]) : unframed;
  const csp: RequestHandler = (req, res, next) =>
    (isEmbedPage(req) ? framed : unframed)(req as IncomingMessage, res as ServerResponse, next as (error?: unknown) => void);
  const permissions: RequestHandler = (_req, res, next: NextFunction) => {
    res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    next();
  };
  return [csp, permissions];
}

/** The embed page as the browser navigates to it (`/embed` or `/embed?host=…`), and nothing else. */
function isEmbedPage(req: IncomingMessage): boolean {
  const url = req.url ?? '';
  const end = url.indexOf('?');
  return (end === -1 ? url : url.slice(0, end)) === EMBED_PAGE_PATH;
}
