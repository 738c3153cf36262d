export { RepAuthModule } from './lib/rep-auth.module';
export { TokenService, CUSTOMER_TOKEN_TTL_SECONDS, type CustomerIdentity, type RepIdentity } from './lib/token.service';
export { CustomerGuard, CustomerOrRepGuard, RepGuard, CurrentCustomer, CurrentRep, REP_COOKIE } from './lib/auth.guards';
