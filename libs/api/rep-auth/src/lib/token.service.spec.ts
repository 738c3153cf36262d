import { loadServiceKitConfig } from '@servicekit/api/config';
import { UnauthenticatedError } from '@servicekit/api/errors';
import { TokenService } from './token.service';

describe('TokenService', () => {
  const tokens = new TokenService(loadServiceKitConfig({ TOKEN_SECRET: 'a'.repeat(40) }));
  const otherSecret = new TokenService(loadServiceKitConfig({ TOKEN_SECRET: 'b'.repeat(40) }));

  it('should round-trip customer and rep identities', () => {
    expect(tokens.verifyCustomerToken(tokens.issueCustomerToken('hs1'))).toEqual({ helpSessionId: 'hs1' });
    const { token, identity, expiresAt } = tokens.issueRepToken('Grace');
    expect(tokens.verifyRepToken(token)).toEqual(identity);
    expect(identity.repId).toMatch(/^rep_/);
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + 11 * 60 * 60 * 1000);
  });

  it('should never accept a token of one role as the other', () => {
    expect(() => tokens.verifyRepToken(tokens.issueCustomerToken('hs1'))).toThrow(UnauthenticatedError);
    expect(() => tokens.verifyCustomerToken(tokens.issueRepToken('Grace').token)).toThrow(UnauthenticatedError);
  });

  it('should refuse tokens signed with another secret or tampered with', () => {
    expect(() => tokens.verifyCustomerToken(otherSecret.issueCustomerToken('hs1'))).toThrow('This customer token is not valid');
    const token = tokens.issueCustomerToken('hs1');
    expect(() => tokens.verifyCustomerToken(`${token.slice(0, -2)}xx`)).toThrow(UnauthenticatedError);
  });
});

describe('TokenService.identify', () => {
  const tokens = new TokenService(loadServiceKitConfig({ TOKEN_SECRET: 'c'.repeat(40) }));

  it('should tell a customer token from a rep token, and refuse anything else', () => {
    expect(tokens.identify(tokens.issueCustomerToken('hs1'))).toEqual({ customer: { helpSessionId: 'hs1' } });
    const rep = tokens.issueRepToken('Grace');
    expect(tokens.identify(rep.token)).toEqual({ rep: rep.identity });
    expect(tokens.identify('garbage')).toBeNull();
  });
});
