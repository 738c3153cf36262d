import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { OidcConfig, ServiceKitConfig } from '@servicekit/api/config';
import { KeyValueStore } from '@servicekit/api/store';
import type { RepRole, SsoError } from '@servicekit/contracts';
import type * as OpenIdClient from 'openid-client';

/** A sign-in started here and not finished yet: what the callback needs to check the provider's answer. */
interface PendingSignIn {
  codeVerifier: string;
  nonce: string;
}

/** What the provider says about someone who signed in, reduced to what a rep session needs. */
export interface SsoPerson {
  subject: string;
  name: string;
  roles: RepRole[];
  idToken: string;
}

/** The sign-in did not give a rep session; `code` says why in the words of SSO_ERRORS. */
export class SsoRefusal extends Error {
  constructor(
    readonly code: SsoError,
    detail: string,
  ) {
    super(detail);
    this.name = 'SsoRefusal';
  }
}

/** A started sign-in is good for this long (the person types a password, maybe a second factor). */
export const PENDING_TTL_SECONDS = 10 * 60;
const DISCOVERY_TIMEOUT_SECONDS = 5;
export const SSO_CALLBACK_PATH = '/api/reps/sso/callback';

/**
 * Single sign-on with an OpenID Connect provider, through openid-client: the authorization code flow with
 * PKCE (S256), a state bound to the browser by a cookie and checked, a nonce checked in the ID token, and the
 * ID token verified (issuer, audience, signature, expiry) by openid-client. Groups come from the ID token, or
 * the userinfo endpoint when the ID token does not carry them.
 *
 * openid-client is ESM-only: it is loaded with `import()` on first use (Node 20.19+ loads it from the built
 * CommonJS bundle), so nothing that merely imports this lib (Jest included) loads it.
 *
 * Owns the store keys `sso:{hash of state}` (the PKCE verifier and nonce of a started sign-in, deleted on use).
 */
@Injectable()
export class SsoSignIn {
  private readonly logger = new Logger(SsoSignIn.name);
  private readonly oidc: OidcConfig | null;
  private readonly redirectUri: string;
  private readonly afterSignOutUri: string;
  private client: Promise<{ lib: typeof OpenIdClient; config: OpenIdClient.Configuration }> | null = null;

  constructor(
    private readonly store: KeyValueStore,
    config: ServiceKitConfig,
  ) {
    this.oidc = config.oidc;
    this.redirectUri = `${config.publicUrl ?? ''}${SSO_CALLBACK_PATH}`;
    this.afterSignOutUri = `${config.publicUrl ?? ''}/rep/`;
  }

  get providerName(): string | null {
    return this.oidc?.providerName ?? null;
  }

  /** Where to send the browser, and the state to bind to it (the caller sets it as a cookie). */
  async start(): Promise<{ url: string; state: string }> {
    const oidc = this.require();
    const { lib, config } = await this.connect();
    const codeVerifier = lib.randomPKCECodeVerifier();
    const state = lib.randomState();
    const nonce = lib.randomNonce();
    const pending: PendingSignIn = { codeVerifier, nonce };
    await this.store.set(pendingKey(state), JSON.stringify(pending), PENDING_TTL_SECONDS);
    const url = lib.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: oidc.scopes,
      code_challenge: await lib.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, state };
  }

  /**
   * The provider sent the browser back: `callbackPath` is the path and query it came to, `boundState` the
   * state of the cookie. The person, or SsoRefusal.
   */
  async finish(callbackPath: string, boundState: string | undefined): Promise<SsoPerson> {
    const oidc = this.require();
    const callback = new URL(callbackPath, this.redirectUri);
    const state = callback.searchParams.get('state') ?? '';
    if (!boundState || !sameText(state, boundState)) {
      throw new SsoRefusal('state', 'the state does not match the one this browser started with');
    }
    const raw = await this.store.get(pendingKey(state));
    // Deleting decides: a second use of the same answer finds nothing to delete.
    if (raw === null || !(await this.store.delete(pendingKey(state)))) {
      throw new SsoRefusal('state', 'no sign-in was started with this state, or it was used or expired');
    }
    const pending = JSON.parse(raw) as PendingSignIn;
    if (callback.searchParams.has('error')) {
      throw new SsoRefusal('failed', `the provider answered ${callback.searchParams.get('error') ?? ''}`);
    }
    const { lib, config } = await this.connect();
    let tokens: Awaited<ReturnType<typeof OpenIdClient.authorizationCodeGrant>>;
    try {
      tokens = await lib.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw new SsoRefusal('failed', `the code exchange or the ID token check failed: ${(error as Error).message}`);
    }
    const claims = tokens.claims();
    if (!claims || !tokens.id_token) throw new SsoRefusal('failed', 'the provider returned no ID token');
    let person: Record<string, unknown> = claims;
    // Many providers keep groups and names out of the ID token: then the userinfo endpoint has them.
    if ((groupsOf(claims[oidc.groupsClaim]) === null || displayName(claims) === null) && tokens.access_token) {
      const info = await lib.fetchUserInfo(config, tokens.access_token, claims.sub).catch(() => null);
      if (info) person = { ...info, ...claims, [oidc.groupsClaim]: claims[oidc.groupsClaim] ?? info[oidc.groupsClaim] };
    }
    const groups = groupsOf(person[oidc.groupsClaim]);
    const roles: RepRole[] = [];
    if (groups?.includes(oidc.repGroup)) roles.push('rep');
    if (oidc.supervisorGroup && groups?.includes(oidc.supervisorGroup)) roles.push('supervisor');
    if (roles.length === 0) throw new SsoRefusal('not-a-rep', `subject ${claims.sub} is in neither the rep nor the supervisor group`);
    if (!roles.includes('rep')) roles.unshift('rep');
    return { subject: claims.sub, name: displayName(person) ?? 'Representative', roles, idToken: tokens.id_token };
  }

  /** The provider's sign-out (RP-initiated logout), when it offers one; the browser comes back to the rep app. */
  async logoutUrl(idToken: string): Promise<string | null> {
    if (!this.oidc) return null;
    try {
      const { lib, config } = await this.connect();
      if (!config.serverMetadata().end_session_endpoint) return null;
      return lib.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: this.afterSignOutUri }).href;
    } catch {
      return null;
    }
  }

  private require(): OidcConfig {
    if (!this.oidc) throw new SsoRefusal('failed', 'single sign-on is not configured');
    return this.oidc;
  }

  /** Discovery once, kept; a failure is forgotten so that the next sign-in tries again. */
  private connect(): Promise<{ lib: typeof OpenIdClient; config: OpenIdClient.Configuration }> {
    const oidc = this.require();
    this.client ??= (async () => {
      const lib = await import('openid-client');
      const issuer = new URL(oidc.issuer);
      const auth = oidc.clientSecret ? lib.ClientSecretPost(oidc.clientSecret) : lib.None();
      const config = await lib.discovery(issuer, oidc.clientId, undefined, auth, {
        timeout: DISCOVERY_TIMEOUT_SECONDS,
        // Plain http only for a provider on this machine (tests, development); the configuration refuses others.
        execute: issuer.protocol === 'http:' ? [lib.allowInsecureRequests] : [],
      });
      return { lib, config };
    })().catch((error: unknown) => {
      this.client = null;
      this.logger.error(`The identity provider ${oidc.issuer} cannot be reached: ${(error as Error).message}`);
      throw new SsoRefusal('unavailable', (error as Error).message);
    });
    return this.client;
  }
}

const pendingKey = (state: string) => `sso:${createHash('sha256').update(state).digest('base64url').slice(0, 32)}`;

function sameText(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right);
}

/** Providers send groups as a list, or as one value; anything else counts as none. */
function groupsOf(value: unknown): string[] | null {
  if (Array.isArray(value)) return value.filter((entry): entry is string => typeof entry === 'string');
  if (typeof value === 'string') return [value];
  return null;
}

function displayName(claims: Record<string, unknown>): string | null {
  for (const claim of ['name', 'preferred_username', 'given_name', 'email']) {
    const value = claims[claim];
    if (typeof value === 'string' && value.trim()) return [...value.trim()].slice(0, 50).join('');
  }
  return null;
}
