// A real OpenID Connect provider (oidc-provider, ESM-only) for the single sign-on tests, run by them as a
// child process: `node oidc-provider.mjs <port> <json options>`. It prints "listening <issuer>" when ready.
// Its development login form accepts any password; the users (and their groups) are the ones passed in.
import Provider from 'oidc-provider';

const [, , port, raw] = process.argv;
const { clientId, clientSecret, redirectUri, postLogoutRedirectUri, users } = JSON.parse(raw);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      post_logout_redirect_uris: [postLogoutRedirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  claims: { openid: ['sub'], profile: ['name'], groups: ['groups'] },
  scopes: ['openid', 'profile', 'groups'],
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: ['oidc-provider-test-cookie-key-0123456789'] },
  findAccount: (_ctx, sub) => {
    const user = users[sub];
    if (!user) return undefined;
    return { accountId: sub, claims: () => ({ sub, name: user.name, groups: user.groups }) };
  },
});
provider.on('server_error', (_ctx, error) => process.stderr.write(`oidc-provider server_error: ${error.stack ?? error}\n`));

const server = provider.listen(Number(port), '127.0.0.1', () => process.stdout.write(`listening ${issuer}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
