import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceKitConfig } from '@servicekit/api/config';
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
 */
export function securityHeaders(config: Pick<ServiceKitConfig, 'video'>): RequestHandler[] {
  const opentok = config.video.provider === 'opentok' ? OPENTOK_ORIGINS : [];
  const sameHostSockets = (req: IncomingMessage) => {
    const host = req.headers.host;
    // 'self' covers ws(s) to the same host in current browsers; older ones need it spelled out.
    return host && SANE_HOST.test(host) ? `ws://${host} wss://${host}` : "'self'";
  };
  const csp = helmet({
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
        frameAncestors: ["'none'"],
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
  });
  const permissions: RequestHandler = (_req, res, next: NextFunction) => {
    res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    next();
  };
  return [csp as (req: IncomingMessage, res: ServerResponse, next: NextFunction) => void, permissions];
}
