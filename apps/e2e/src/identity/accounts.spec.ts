import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@servicekit/tools/testing';
import type { ApiError, OpsRepsResponse, RepSessionResponse } from '@servicekit/contracts';
import { repCommand, seriousAxeViolations, sessionCookie, tempDir } from './identity-support';
import {
  call,
  signIn,
  TEST_OPS_TOKEN,
  TEST_TOKEN_SECRET,
  ApiServer,
  startApiServer,
  launchChromium,
  SCREENSHOTS,
} from '@servicekit/tools/e2e-support';

const ADA_PASSWORD = 'analytical-engine-1843';
const SUE_PASSWORD = 'supervises-the-floor';

const accountSignIn = (base: string, login: string, password: string, forwardedFor?: string) =>
  fetch(`${base}/api/reps/sessions/account`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    body: JSON.stringify({ login, password }),
  });

/** Personal accounts from REP_ACCOUNTS_FILE, made with the `rep` command, against the built API. */
describe('rep accounts (REP_ACCOUNTS_FILE)', () => {
  const dir = tempDir();
  const file = join(dir, 'reps.json');
  let server: ApiServer;

  beforeAll(async () => {
    const ada = await repCommand(['add', 'ada', '--name', 'Ada L.', '--role', 'rep', '--file', file], `${ADA_PASSWORD}\n`);
    expect(ada).toMatchObject({ code: 0, stdout: expect.stringContaining('Added ada (Ada L., rep)') });
    const sue = await repCommand(['add', 'sue', '--name', 'Sue S.', '--role', 'rep,supervisor', '--file', file], `${SUE_PASSWORD}\n`);
    expect(sue.code).toBe(0);
    server = await startApiServer({
      REP_ACCOUNTS_FILE: file,
      TOKEN_SECRET: TEST_TOKEN_SECRET,
      OPS_TOKEN: TEST_OPS_TOKEN,
      TRUST_PROXY: 'loopback',
      SIGN_IN_RATE_LIMIT: '4',
    });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('should list the accounts the command made, with hashes and no password in the file', async () => {
    const listed = await repCommand(['list', '--file', file]);
    expect(listed.stdout).toMatch(/^ada\s+Ada L\.\s+rep$/m);
    expect(listed.stdout).toMatch(/^sue\s+Sue S\.\s+rep,supervisor$/m);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/"password": "scrypt\$32768\$8\$1\$/);
    expect(text).not.toContain(ADA_PASSWORD);
  });

  it('should sign a rep in with login and password, and say the passcode is off', async () => {
    const reply = await accountSignIn(server.url, ' Ada ', ADA_PASSWORD, '10.0.0.1');
    expect(reply.status).toBe(201);
    const body = (await reply.json()) as RepSessionResponse;
    expect(body).toMatchObject({ name: 'Ada L.', roles: ['rep'], via: 'account' });
    expect(sessionCookie(reply.headers)).toMatch(/^__Host-sk_rep=/);
    expect((await call(server.url, 'GET', '/reps/sign-in')).body).toEqual({ passcode: false, accounts: true, sso: null });
    const passcode = await signIn(server.url, 'Grace', 'anything-at-all');
    expect(passcode.status).toBe(403);
    expect((passcode.body as unknown as ApiError).message).toMatch(/passcode is turned off/);
  });

  it('should answer an unknown login and a wrong password with the same 401', async () => {
    const unknown = await accountSignIn(server.url, 'nobody', ADA_PASSWORD, '10.0.0.2');
    const wrong = await accountSignIn(server.url, 'ada', 'not-her-password', '10.0.0.3');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    const [a, b] = (await Promise.all([unknown.json(), wrong.json()])) as ApiError[];
    expect(a).toEqual(b);
    expect(a?.message).toBe('That login and password do not match. Check them and try again.');
  });

  it('should rate-limit sign-in per login, whatever the address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await accountSignIn(server.url, 'target', 'guess-number-' + i, `10.1.0.${i + 1}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    // Another login from a fresh address is not held back.
    expect((await accountSignIn(server.url, 'ada', ADA_PASSWORD, '10.1.1.1')).status).toBe(201);
  });

  it('should let a supervisor account see the reps and a rep account not', async () => {
    const sue = (await (await accountSignIn(server.url, 'sue', SUE_PASSWORD, '10.2.0.1')).json()) as RepSessionResponse;
    const ada = (await (await accountSignIn(server.url, 'ada', ADA_PASSWORD, '10.2.0.2')).json()) as RepSessionResponse;
    const seen = await call<OpsRepsResponse>(server.url, 'GET', '/ops/reps', { token: sue.token });
    expect(seen.status).toBe(200);
    expect(seen.body.reps).toEqual(
      expect.arrayContaining([expect.objectContaining({ repId: ada.repId, name: 'Ada L.', account: 'account:ada', via: 'account' })]),
    );
    const refused = await call<ApiError>(server.url, 'GET', '/ops/reps', { token: ada.token });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/for supervisors/);
  });

  it('should refuse the sessions of a removed account once the file is read again, without a restart', async () => {
    const dir2 = tempDir();
    const file2 = join(dir2, 'reps.json');
    writeFileSync(file2, readFileSync(file, 'utf8'));
    const own = await startApiServer({ REP_ACCOUNTS_FILE: file2, TOKEN_SECRET: TEST_TOKEN_SECRET, SIGN_IN_RATE_LIMIT: '0' });
    try {
      const ada = (await (await accountSignIn(own.url, 'ada', ADA_PASSWORD)).json()) as RepSessionResponse;
      expect((await call(own.url, 'GET', '/reps/sessions/current', { token: ada.token })).status).toBe(200);
      const removed = await repCommand(['remove', 'ada', '--file', file2]);
      expect(removed.stdout).toContain('Removed ada');
      await waitFor(async () => (await call(own.url, 'GET', '/reps/sessions/current', { token: ada.token })).status === 401, {
        timeoutMs: 15_000,
        message: 'the removed account to be refused',
      });
      const after = await call<ApiError>(own.url, 'GET', '/reps/sessions/current', { token: ada.token });
      expect(after.body.message).toMatch(/Your account was removed or changed|signed out/);
      expect((await accountSignIn(own.url, 'ada', ADA_PASSWORD)).status).toBe(401);
    } finally {
      await own.stop();
    }
  }, 60_000);

  it('should offer the account form alone in the rep app, accessible at phone and desk widths, and sign a supervisor in', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const browser = await launchChromium();
    try {
      for (const [width, height] of [
        [375, 740],
        [1280, 800],
      ] as const) {
        // An address of its own: the other tests have used up part of this one's sign-in allowance.
        const context = await browser.newContext({
          viewport: { width, height },
          extraHTTPHeaders: { 'x-forwarded-for': `10.9.0.${width % 250}` },
        });
        const page = await context.newPage();
        await page.goto(`${server.url}/rep/`);
        await page.getByTestId('rep-login').waitFor();
        expect(await page.getByTestId('rep-passcode').count()).toBe(0);
        await page.screenshot({ path: `${SCREENSHOTS}/identity-sign-in-accounts-${width}.png`, fullPage: true });
        expect(await seriousAxeViolations(page)).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        if (width === 1280) {
          await page.getByTestId('rep-login').fill('Sue');
          await page.getByTestId('rep-password').fill(SUE_PASSWORD);
          await page.getByTestId('rep-account-sign-in').click();
          await page.waitForURL(`${server.url}/rep/console`);
          await page.goto(`${server.url}/rep/ops`);
          await page.getByTestId('reps-table').waitFor();
        }
        await context.close();
      }
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('should refuse to start with a bad accounts file, naming the problem', async () => {
    const bad = join(tempDir(), 'reps.json');
    writeFileSync(bad, JSON.stringify({ accounts: [{ login: 'ada', name: 'Ada', roles: ['rep'], password: 'hunter2' }] }));
    await expect(startApiServer({ REP_ACCOUNTS_FILE: bad })).rejects.toThrow(/account 1 \("ada"\): the password is not a password hash/);
    await expect(startApiServer({ REP_ACCOUNTS_FILE: join(tempDir(), 'missing.json') })).rejects.toThrow(/does not exist/);
  });
});
