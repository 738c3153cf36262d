import { type MediaEnvironment, mediaSupport } from './media-support';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const fine: MediaEnvironment = { isSecureContext: true, userAgent: CHROME, hasGetUserMedia: true, hasPeerConnection: true };

describe('mediaSupport', () => {
  it('should allow a current browser on a secure page', () => {
    expect(mediaSupport(fine)).toEqual({ ok: true });
  });

  it('should tell a page opened over http to use https', () => {
    expect(mediaSupport({ ...fine, isSecureContext: false, hasGetUserMedia: false })).toEqual({
      ok: false,
      problem: 'insecure',
      message: expect.stringContaining('https://'),
    });
  });

  it.each([
    ['Instagram', `${CHROME} Instagram 312.0.0.32.112`],
    ['Facebook', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 [FBAN/FBIOS;FBAV/440.0]'],
    ['WeChat', `${CHROME} MicroMessenger/8.0.40`],
    ['LINE', `${CHROME} Line/13.1.0`],
  ])('should tell someone in the in-app browser of %s to open the page in Chrome or Safari', (_, userAgent) => {
    expect(mediaSupport({ ...fine, userAgent })).toMatchObject({
      ok: false,
      problem: 'in-app',
      message: expect.stringContaining('Chrome or Safari'),
    });
  });

  it('should tell a browser without getUserMedia or WebRTC to use a current one', () => {
    expect(mediaSupport({ ...fine, hasGetUserMedia: false })).toMatchObject({ ok: false, problem: 'no-media' });
    expect(mediaSupport({ ...fine, hasPeerConnection: false })).toMatchObject({ ok: false, problem: 'no-media' });
  });
});
