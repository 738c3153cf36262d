import { loadServiceKitConfig } from '@servicekit/api/config';
import { UnauthenticatedError } from '@servicekit/api/errors';
import { TokenService } from './token.service';

const later = () => Date.now() + 60 * 60 * 1000;

describe('TokenService', () => {
  const tokens = new TokenService(loadServiceKitConfig({ TOKEN_SECRET: 'a'.repeat(40) }));
  const otherSecret = new TokenService(loadServiceKitConfig({ TOKEN_SECRET: 'b'.repeat(40) }));

  it('should round-trip customer and rep tokens', () => {
    expect(tokens.verifyCustomerToken(tokens.issueCustomerToken('hs1'))).toEqual({ helpSessionId: 'hs1' });
    const token = tokens.issueRepToken({ repId: 'rep_1_x', name: 'Grace' }, later());
    expect(tokens.verifyRepToken(token)).toEqual({ repId: 'rep_1_x', name: 'Grace' });
  });

  it('should never accept a token of one role as the other', () => {
    expect(() => tokens.verifyRepToken(tokens.issueCustomerToken('hs1'))).toThrow(UnauthenticatedError);
    expect(() => tokens.verifyCustomerToken(tokens.issueRepToken({ repId: 'rep_1_x', name: 'Grace' }, later()))).toThrow(
      'This customer token is not valid',
    );
  });

  it('should refuse tokens signed with another secret or tampered with', () => {
    expect(() => tokens.verifyCustomerToken(otherSecret.issueCustomerToken('hs1'))).toThrow('This customer token is not valid');
    const token = tokens.issueCustomerToken('hs1');
    expect(() => tokens.verifyCustomerToken(`${token.slice(0, -2)}xx`)).toThrow(UnauthenticatedError);
  });

  it('should let a rep token expire with the session it names', () => {
    const token = tokens.issueRepToken({ repId: 'rep_1_x', name: 'Grace' }, Date.now() + 1500);
    const { exp, iat } = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { exp: number; iat: number };
    expect(exp - iat).toBe(1);
  });
});

describe('TokenService.identify', () => {
  const tokens = new TokenService(loadServiceKitConfig({ TOKEN_SECRET: 'c'.repeat(40) }));

  it('should tell a customer token from a rep token by its audience, and refuse anything else', () => {
    expect(tokens.identify(tokens.issueCustomerToken('hs1'))).toEqual({ customer: { helpSessionId: 'hs1' } });
    const rep = tokens.issueRepToken({ repId: 'rep_2_y', name: 'Grace' }, later());
    expect(tokens.identify(rep)).toEqual({ rep: { repId: 'rep_2_y', name: 'Grace' } });
    expect(() => tokens.identify('garbage')).toThrow('This rep token is not valid. Please sign in again.');
    expect(() => tokens.identify('garbage', 'customer')).toThrow('Please ask for help again.');
  });
});
