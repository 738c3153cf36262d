import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** Docker cannot run here; the compose file is checked against the files it wires together. */
const ROOT = join(__dirname, '../../../..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

interface Service {
  image?: string;
  build?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  command?: string[];
  network_mode?: string;
  stop_grace_period?: string;
}

const compose = () => parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const service = (name: string): Service => {
  const found = compose().services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};

describe('docker-compose.yml', () => {
  it('should run memcached, two API instances from the Dockerfile, HAProxy and coturn', () => {
    expect(Object.keys(compose().services).sort()).toEqual(['api1', 'api2', 'coturn', 'haproxy', 'memcached']);
    expect(service('api1').build).toBe('.');
    for (const [name, { image }] of Object.entries(compose().services)) {
      expect([name, image]).toEqual([name, expect.stringMatching(/^[\w./-]+:(\d+\.\d+\.\d+[\w.-]*|local)$/)]);
    }
  });

  it('should give both instances the same settings and take every secret from .env, refusing to start without it', () => {
    expect(service('api2').environment).toEqual(service('api1').environment);
    const environment = service('api1').environment ?? {};
    for (const name of ['TOKEN_SECRET', 'REP_PASSCODE', 'OPS_TOKEN', 'TURN_SECRET']) {
      expect(environment[name]).toMatch(new RegExp(`^\\$\\{${name}:\\?set ${name} in \\.env`));
      expect(read('.env.example')).toMatch(new RegExp(`^${name}=$`, 'm'));
    }
    expect(environment['MEMCACHED_SERVERS']).toBe('memcached:11211');
    // Readiness 503 for the delay (5 s), the drain (10 s) and closing (5 s) fit before Docker kills.
    expect(parseInt(service('api1').stop_grace_period ?? '0', 10)).toBeGreaterThanOrEqual(25);
  });

  it("should run the shipped HAProxy configuration in front of the compose services, on the API's port", () => {
    expect(service('haproxy').volumes).toEqual(['./deploy/haproxy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro']);
    const config = read('deploy/haproxy/haproxy.cfg');
    const servers = [...config.matchAll(/^\s*server (\S+) "\$\{API_SERVER_\d-([\w.-]+):(\d+)\}" check/gm)];
    expect(servers.map(([, name, host, port]) => [name, host, port])).toEqual([
      ['api1', 'api1', '3000'],
      ['api2', 'api2', '3000'],
    ]);
    expect(config).toMatch(/^\s*balance roundrobin$/m);
    expect(config).toMatch(/^\s*http-check send meth GET uri \/api\/health\/ready /m);
    // No stickiness: no cookie, no stick table, no source hashing.
    expect(config).not.toMatch(/^\s*(cookie|stick|balance source|hash-type)/m);
    const exposed = /^EXPOSE (\d+)$/m.exec(read('Dockerfile'))?.[1];
    expect(exposed).toBe('3000');
  });

  it('should run coturn with the shipped configuration and the secret on its command line only', () => {
    const coturn = service('coturn');
    expect(coturn.volumes).toContain('./deploy/coturn/turnserver.conf:/etc/coturn/turnserver.conf:ro');
    expect(coturn.command).toEqual(
      expect.arrayContaining(['-c', '/etc/coturn/turnserver.conf', expect.stringMatching(/^--static-auth-secret=\$\{TURN_SECRET:\?/)]),
    );
    expect(coturn.network_mode).toBe('host');
  });
});
