export { RepAuthModule } from './lib/rep-auth.module';
export { TokenService, CUSTOMER_TOKEN_TTL_SECONDS, type CustomerIdentity, type RepTokenClaims } from './lib/token.service';
export {
  CustomerGuard,
  CustomerOrRepGuard,
  RepGuard,
  SupervisorGuard,
  CurrentCustomer,
  CurrentRep,
  CurrentRepSession,
  bearer,
  type AuthenticatedRequest,
} from './lib/auth.guards';
export { REP_COOKIE } from './lib/http/rep-cookie';
export { ForbiddenError, requireSameOrigin } from './lib/http/same-origin';
export { RepSessions } from './lib/sessions/rep-sessions.records';
export { RepStatusService, RepAwayError, RepWrapUpError } from './lib/status/rep-status';
export { RepAuthenticator } from './lib/sessions/rep-authenticator';
export { RepAuthService } from './lib/rep-auth.service';
export { RepSignOuts, type RepIdentity, type SignedInRep, type RepSessionRecord, type RepRole } from './lib/sessions/rep-session';
export { hashPassword, verifyPassword, SCRYPT_DEFAULTS } from './lib/accounts/password-hash';
export { parseAccountsFile, serializeAccountsFile, AccountsFileError, LOGIN_PATTERN, type RepAccount } from './lib/accounts/accounts-file';
