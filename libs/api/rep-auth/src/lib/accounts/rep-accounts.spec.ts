import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, loadServiceKitConfig } from '@servicekit/api/config';
import { serializeAccountsFile, type RepAccount } from './accounts-file';
import { hashPassword } from './password-hash';
import { RepAccounts } from './rep-accounts';

const FAST = { N: 1024, r: 8, p: 1 };

async function account(login: string, password: string, roles: RepAccount['roles'] = ['rep']): Promise<RepAccount> {
  return { login, name: login.toUpperCase(), roles, password: await hashPassword(password, FAST) };
}

function accountsIn(file: string): RepAccounts {
  return new RepAccounts(loadServiceKitConfig({ REP_ACCOUNTS_FILE: file }));
}

describe('RepAccounts', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'sk-accounts-')), 'reps.json');

  beforeEach(async () => {
    writeFileSync(file, serializeAccountsFile([await account('ada', 'analytical-engine')]));
  });

  it('should find an account by its login in any case, with the right password only', async () => {
    const accounts = accountsIn(file);
    await expect(accounts.verify(' ADA ', 'analytical-engine')).resolves.toMatchObject({ login: 'ada', name: 'ADA' });
    await expect(accounts.verify('ada', 'analytical-engine!')).resolves.toBeNull();
    await expect(accounts.verify('nobody', 'analytical-engine')).resolves.toBeNull();
  });

  it('should pick up a changed file when asked to read it again, and keep the last good accounts when it breaks', async () => {
    const accounts = accountsIn(file);
    writeFileSync(
      file,
      serializeAccountsFile([await account('ada', 'analytical-engine', ['rep', 'supervisor']), await account('sue', 'floor-walker')]),
    );
    // A later modification time, whatever the file system's clock resolution.
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    await accounts.reload();
    expect(accounts.find('ada')?.roles).toEqual(['rep', 'supervisor']);
    await expect(accounts.verify('sue', 'floor-walker')).resolves.toMatchObject({ login: 'sue' });

    writeFileSync(file, '{"accounts": [');
    utimesSync(file, new Date(), new Date(Date.now() + 10_000));
    await accounts.reload();
    expect(accounts.find('sue')).not.toBeNull();
  });

  it('should stop the start on a bad file, naming the variable and the problem', () => {
    writeFileSync(file, JSON.stringify({ accounts: [{ login: 'Ada!', name: 'Ada', roles: ['rep'], password: 'x' }] }));
    expect(() => accountsIn(file)).toThrow(ConfigurationError);
    expect(() => accountsIn(file)).toThrow(/REP_ACCOUNTS_FILE: .*account 1 \("Ada!"\): the login must be/s);
  });
});
