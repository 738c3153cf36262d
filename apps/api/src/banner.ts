import { GeneratedSecret, IceConfig, ServiceKitConfig } from '@servicekit/api/config';

/** The start-up banner: where to go, what runs, and the secrets generated for this run (printed once). */
export function banner(config: ServiceKitConfig, storeDescription: string, port: number): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const video =
    config.video.provider === 'opentok'
      ? `OpenTok (API key ${config.video.apiKey})`
      : 'built-in peer-to-peer WebRTC (set OPENTOK_API_KEY and OPENTOK_API_SECRET for OpenTok)';
  const store =
    config.store.kind === 'memory' ? `${storeDescription} (set MEMCACHED_SERVERS to share state between instances)` : storeDescription;
  const lines = [
    '',
    'Service Kit is running',
    `  customer  ${origin}/`,
    `  rep       ${origin}/rep/`,
    `  api       ${origin}/api   (liveness ${origin}/api/health)`,
    `  docs      ${origin}/api/docs`,
    `  operators ${origin}/rep/ops   (a supervisor's sign-in; machines use OPS_TOKEN, also for ${origin}/api/metrics)`,
    `  sign-in   ${signInWays(config)}`,
    `  store     ${store}`,
    `  video     ${video}`,
    `  ice       ${ice(config.ice)}`,
  ];
  const shown = config.generatedSecrets.filter((name) => name !== 'TOKEN_SECRET');
  if (config.generatedSecrets.length > 0) {
    lines.push('', 'Generated for this run (set them in the environment to keep them across restarts and instances):');
    for (const name of shown) {
      lines.push(`  ${name}=${secretValue(config, name)}`);
    }
    if (config.generatedSecrets.includes('TOKEN_SECRET')) {
      lines.push('  TOKEN_SECRET (not shown): sign-ins and help sessions end when this process stops');
    }
  }
  return `${lines.join('\n')}\n\n`;
}

/** What browsers get for STUN and TURN (never the TURN secret or password). */
function ice({ stunUrls, turn, transportPolicy }: IceConfig): string {
  if (stunUrls.length === 0 && !turn)
    return 'no STUN or TURN server (set STUN_URLS, TURN_URLS and TURN_SECRET for calls across the internet)';
  const parts = [stunUrls.length > 0 ? `STUN ${stunUrls.join(' ')}` : 'no STUN'];
  if (turn) {
    const credentials = turn.credentials.kind === 'secret' ? 'short-lived credentials from TURN_SECRET' : 'static credentials';
    parts.push(`TURN ${turn.urls.join(' ')} (${credentials})`);
  } else {
    parts.push('no TURN relay');
  }
  parts.push(`policy ${transportPolicy}`);
  return parts.join('; ');
}

function secretValue(config: ServiceKitConfig, name: GeneratedSecret): string {
  if (name === 'REP_PASSCODE') return `${config.repPasscode ?? ''}   (reps: any display name and this passcode)`;
  if (name === 'SUPERVISOR_PASSCODE') return `${config.supervisorPasscode ?? ''}   (supervisors: the same sign-in page)`;
  return config.opsToken;
}

function signInWays(config: ServiceKitConfig): string {
  const ways = [
    config.repPasscode !== null || config.supervisorPasscode !== null ? 'team passcode' : null,
    config.repAccountsFile !== null ? `personal accounts (${config.repAccountsFile})` : null,
    config.oidc !== null ? `single sign-on (${config.oidc.providerName})` : null,
  ].filter((way): way is string => way !== null);
  return `${ways.join(', ')}   (docs/identity.md)`;
}
