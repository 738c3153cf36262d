import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { ServiceKitConfig } from '@servicekit/api/config';
import { UnauthenticatedError } from '@servicekit/api/errors';
import type { RepSessionResponse, RepSignInOptions } from '@servicekit/contracts';
import { RepAccounts } from './accounts/rep-accounts';
import { ForbiddenError } from './http/same-origin';
import { RepIdentity, RepSessionEnd, RepSessionRecord, RepSignInMethod, SignedInRep } from './sessions/rep-session';
import { RepSessions } from './sessions/rep-sessions.records';
import { SsoPerson, SsoSignIn } from './sso/sso-sign-in.service';
import { TokenService } from './token.service';
import { RepStatusService } from './status/rep-status';

/** A session and its token: the answer of every way of signing in. */
export interface SignedIn {
  response: RepSessionResponse;
  expiresAt: number;
}

/**
 * Signing in, three ways (the shared passcode, a personal account, single sign-on), and out. Each way that
 * succeeds starts a rep session (RepSessions) and signs a token that names it. The log says who signed in
 * and out, by rep id and display name.
 */
@Injectable()
export class RepAuthService {
  private readonly logger = new Logger('RepSignIn');
  private readonly passcodeDigest: Buffer | null;
  private readonly supervisorDigest: Buffer | null;

  constructor(
    config: ServiceKitConfig,
    private readonly tokens: TokenService,
    private readonly sessions: RepSessions,
    private readonly accounts: RepAccounts,
    private readonly sso: SsoSignIn,
    private readonly status: RepStatusService,
  ) {
    this.passcodeDigest = config.repPasscode === null ? null : digest(config.repPasscode);
    this.supervisorDigest = config.supervisorPasscode === null ? null : digest(config.supervisorPasscode);
  }

  options(): RepSignInOptions {
    const providerName = this.sso.providerName;
    return {
      passcode: this.passcodeDigest !== null || this.supervisorDigest !== null,
      accounts: this.accounts.enabled,
      sso: providerName === null ? null : { providerName },
    };
  }

  /** The shared passcode (rep), or the supervisor passcode (rep and supervisor), with the name typed. */
  async withPasscode(name: string, passcode: string): Promise<SignedIn> {
    if (this.passcodeDigest === null && this.supervisorDigest === null) {
      throw new ForbiddenError('Signing in with a passcode is turned off here. Use your own account or single sign-on.');
    }
    // Both compared, in constant time: which one matched leaks nothing through timing.
    const typed = digest(passcode);
    const isRep = this.passcodeDigest !== null && timingSafeEqual(typed, this.passcodeDigest);
    const isSupervisor = this.supervisorDigest !== null && timingSafeEqual(typed, this.supervisorDigest);
    if (!isRep && !isSupervisor) {
      throw new UnauthenticatedError('That passcode is not right. Check it with your team lead and try again.');
    }
    return this.begin({ name, account: `passcode:${name}`, roles: isSupervisor ? ['rep', 'supervisor'] : ['rep'] }, 'passcode');
  }

  /** A personal account of REP_ACCOUNTS_FILE. Unknown login and wrong password: the same answer, in the same time. */
  async withAccount(login: string, password: string): Promise<SignedIn> {
    if (!this.accounts.enabled) throw new ForbiddenError('There are no personal accounts here. Sign in with the team passcode.');
    const account = await this.accounts.verify(login, password);
    if (!account) throw new UnauthenticatedError('That login and password do not match. Check them and try again.');
    return this.begin({ name: account.name, account: `account:${account.login}`, roles: account.roles }, 'account');
  }

  /** Someone the identity provider vouched for (SsoSignIn checked the groups). */
  async withSso(person: SsoPerson): Promise<SignedIn> {
    return this.begin({ name: person.name, account: `sso:${person.subject}`, roles: person.roles }, 'sso', person.idToken);
  }

  /** The current session again, with a fresh token (for the rep app after a single sign-on redirect). */
  current(record: RepSessionRecord): SignedIn {
    return this.answer(record);
  }

  /** Ends the session on every instance; after single sign-on, also where to sign out of the provider. */
  async signOut(record: RepSessionRecord, reason: RepSessionEnd = 'signed-out', by?: RepIdentity): Promise<string | null> {
    const ended = await this.sessions.end(record.repId, reason);
    if (ended) {
      await this.status.forget(record.repId);
      const who = by ? ` by ${by.name} (${by.repId})` : '';
      this.logger.log(`Rep ${record.name} (${record.repId}) signed out${who}: ${reason}`);
    }
    return reason === 'signed-out' && record.idToken ? this.sso.logoutUrl(record.idToken) : null;
  }

  private async begin(who: Omit<SignedInRep, 'repId'>, via: RepSignInMethod, idToken?: string): Promise<SignedIn> {
    const record = await this.sessions.start(who, via, idToken);
    const how = via === 'sso' ? 'single sign-on' : `the ${via}`;
    this.logger.log(`Rep ${record.name} (${record.repId}, ${record.roles.join('+')}) signed in with ${how}`);
    return this.answer(record);
  }

  private answer(record: RepSessionRecord): SignedIn {
    const token = this.tokens.issueRepToken({ repId: record.repId, name: record.name }, record.expiresAt);
    return {
      expiresAt: record.expiresAt,
      response: {
        token,
        repId: record.repId,
        name: record.name,
        roles: [...record.roles],
        via: record.via,
        expiresAt: new Date(record.expiresAt).toISOString(),
      },
    };
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
