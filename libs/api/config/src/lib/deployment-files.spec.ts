import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { parse, parseAllDocuments } from 'yaml';
import { EnvironmentVariables } from './environment.schema';
import { loadServiceKitConfig } from './load-config';

/**
 * The deployment files (app.json, docker-compose.yml, deploy/kubernetes) set variables for the API: each
 * must be one this configuration reads, with a value it accepts, or a typo would be silently ignored.
 */
const ROOT = join(__dirname, '../../../../..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

const known = new Set(
  getMetadataStorage()
    .getTargetValidationMetadatas(EnvironmentVariables, '', true, false)
    .map((metadata) => metadata.propertyName),
);
const unknown = (names: string[]) => names.filter((name) => !known.has(name));
const secret = () => randomBytes(32).toString('hex');

interface AppJsonVariable {
  value?: string;
  generator?: 'secret';
  required?: boolean;
}

const appJson = () => (JSON.parse(read('app.json')) as { env: Record<string, AppJsonVariable>; addons: string[] }).env;

function composeEnvironment(): Record<string, string> {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, string> }>;
  };
  return compose.services['api1']?.environment ?? {};
}

/** What compose hands the container once .env is filled in: `${X:?…}` from .env, `${X:-d}` defaulting to d. */
function interpolated(environment: Record<string, string>): Record<string, string> {
  const example = Object.fromEntries(
    read('.env.example')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return Object.fromEntries(
    Object.entries(environment).map(([name, value]) => [
      name,
      value.replace(
        /\$\{(\w+)(?::\?[^}]*|:-([^}]*))?\}/g,
        (_, variable: string, fallback?: string) => example[variable] || fallback || secret(),
      ),
    ]),
  );
}

interface Manifest {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: { template?: { spec?: { containers?: { env?: { name: string; value?: string }[] }[] } } };
}

function kubernetesEnvironment(): Record<string, string> {
  const manifests = ['config.yaml', 'secret.example.yaml', 'api-deployment.yaml'].flatMap((file) =>
    parseAllDocuments(read(`deploy/kubernetes/${file}`)).map((document) => document.toJS() as Manifest),
  );
  const container = manifests.find((m) => m.kind === 'Deployment')?.spec?.template?.spec?.containers?.[0];
  return {
    ...manifests.find((m) => m.kind === 'ConfigMap')?.data,
    ...manifests.find((m) => m.kind === 'Secret')?.stringData,
    ...Object.fromEntries((container?.env ?? []).map(({ name, value }) => [name, value ?? ''])),
  };
}

describe('the deployment files', () => {
  it('should give the Heroku app only variables the configuration knows', () => {
    expect(unknown(Object.keys(appJson()))).toEqual([]);
  });

  it('should give the API in compose and Kubernetes only variables the configuration knows', () => {
    expect(unknown(Object.keys(composeEnvironment()))).toEqual([]);
    expect(unknown(Object.keys(kubernetesEnvironment()))).toEqual([]);
  });

  it('should start with what app.json sets and the MemcachedCloud add-on provides, generating no secret', () => {
    const env = Object.fromEntries(
      Object.entries(appJson())
        .filter(([, variable]) => variable.value !== undefined || variable.generator === 'secret')
        .map(([name, variable]) => [name, variable.value ?? secret()]),
    );
    const addOn = { MEMCACHEDCLOUD_SERVERS: 'mc-1.example.net:11211', MEMCACHEDCLOUD_USERNAME: 'app1', MEMCACHEDCLOUD_PASSWORD: 'pw' };
    const config = loadServiceKitConfig({ ...env, ...addOn });
    expect(config.generatedSecrets).toEqual([]);
    expect(config.store).toMatchObject({ kind: 'memcached', servers: ['mc-1.example.net:11211'], username: 'app1' });
    expect(config.trustProxy).toBe(1);
    expect(config.video).toEqual({ provider: 'p2p' });
  });

  it('should start with what compose sets once .env is filled in, on the shared memcached', () => {
    const config = loadServiceKitConfig(interpolated(composeEnvironment()));
    expect(config.generatedSecrets).toEqual([]);
    expect(config.store).toMatchObject({ kind: 'memcached', servers: ['memcached:11211'] });
    expect(config.ice).toMatchObject({ stunUrls: ['stun:turn.example.com:3478'], transportPolicy: 'all' });
    expect(config.ice.turn).toMatchObject({ urls: expect.arrayContaining(['turns:turn.example.com:5349?transport=tcp']) });
    expect(config.ice.turn?.credentials.kind).toBe('secret');
  });

  it('should start with what the Kubernetes ConfigMap, Secret and Deployment set', () => {
    const config = loadServiceKitConfig(kubernetesEnvironment());
    expect(config.generatedSecrets).toEqual([]);
    expect(config.store).toMatchObject({ kind: 'memcached', servers: ['memcached-0.memcached:11211'] });
    expect(config.shutdownDelayMs).toBe(5000);
    expect(config.ice.turn?.urls).toHaveLength(3);
    expect(config.ice.turn?.credentials.kind).toBe('secret');
  });

  it('should expose in the image the port the API listens on by default', () => {
    expect(/^EXPOSE (\d+)$/m.exec(read('Dockerfile'))?.[1]).toBe(String(loadServiceKitConfig({}).port));
  });
});
