import { Injectable } from '@nestjs/common';
import { UnauthenticatedError } from '@servicekit/api/errors';
import { REP_SESSION_END_NOTICES } from '@servicekit/contracts';
import { RepAccounts } from '../accounts/rep-accounts';
import { TokenService } from '../token.service';
import { RepSessionRecord } from './rep-session';
import { RepSessions } from './rep-sessions.records';

/**
 * Who a rep token belongs to, now: the token must verify, its session must still hold (RepSessions), and a
 * personal account must still be in the accounts file (its roles as the file says now).
 */
@Injectable()
export class RepAuthenticator {
  constructor(
    private readonly tokens: TokenService,
    private readonly sessions: RepSessions,
    private readonly accounts: RepAccounts,
  ) {}

  async fromToken(token: string): Promise<RepSessionRecord> {
    return this.fromRepId(this.tokens.verifyRepToken(token).repId);
  }

  async fromRepId(repId: string): Promise<RepSessionRecord> {
    const record = await this.sessions.check(repId);
    if (record.via !== 'account') return record;
    const account = this.accounts.find(record.account.slice('account:'.length));
    if (!account) {
      await this.sessions.end(repId, 'account-removed');
      throw new UnauthenticatedError(REP_SESSION_END_NOTICES['account-removed']);
    }
    return { ...record, roles: account.roles };
  }
}
