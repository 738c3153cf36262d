import { AccountsFileError, parseAccountsFile, serializeAccountsFile } from './accounts-file';

const HASH = `scrypt$1024$8$1$${'a'.repeat(22)}$${'b'.repeat(43)}`;
const file = (accounts: unknown) => JSON.stringify({ accounts });

describe('the accounts file', () => {
  it('should read accounts and write them back the same, sorted by login', () => {
    const accounts = parseAccountsFile(
      file([
        { login: 'grace', name: 'Grace H.', roles: ['rep', 'supervisor'], password: HASH },
        { login: 'ada', name: ' Ada L. ', roles: ['rep'], password: HASH },
      ]),
      'a.json',
    );
    expect(accounts.map((a) => a.login)).toEqual(['grace', 'ada']);
    expect(accounts[1]?.name).toBe('Ada L.');
    expect(parseAccountsFile(serializeAccountsFile(accounts), 'a.json').map((a) => a.login)).toEqual(['ada', 'grace']);
  });

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['no list', '{"people": []}', /a list of "accounts"/],
    [
      'a bad login',
      file([{ login: 'Ada Lovelace', name: 'A', roles: ['rep'], password: HASH }]),
      /account 1 \("Ada Lovelace"\): the login must be/,
    ],
    [
      'a login twice',
      file([0, 1].map(() => ({ login: 'ada', name: 'A', roles: ['rep'], password: HASH }))),
      /account 2 \("ada"\): the login "ada" appears more than once/,
    ],
    ['an unknown role', file([{ login: 'ada', name: 'A', roles: ['admin'], password: HASH }]), /roles must be a non-empty list/],
    ['no name', file([{ login: 'ada', name: ' ', roles: ['rep'], password: HASH }]), /the name must be 1 to 50 characters/],
    ['a plain password', file([{ login: 'ada', name: 'A', roles: ['rep'], password: 'secret' }]), /the password is not a password hash/],
  ])('should refuse a file with %s, naming the problem and the file', (_, text, message) => {
    expect(() => parseAccountsFile(text, '/etc/sk/reps.json')).toThrow(AccountsFileError);
    expect(() => parseAccountsFile(text, '/etc/sk/reps.json')).toThrow(message);
    expect(() => parseAccountsFile(text, '/etc/sk/reps.json')).toThrow('/etc/sk/reps.json');
  });
});
