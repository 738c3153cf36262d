import { spawn } from 'node:child_process';
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_MAIN, startApiServer } from '@servicekit/tools/e2e-support';

/**
 * Container registries cannot be reached from the project's machines, so the image is never built here:
 * these tests keep the Dockerfile correct by construction, against the built app.
 */
const ROOT = join(__dirname, '../../../..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

interface Instruction {
  op: string;
  args: string;
}

/** The Dockerfile's instructions, continuation lines joined and comments left out. */
function instructions(): Instruction[] {
  return read('Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [op = '', ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

/** The instructions of the last stage: what the image runs. */
function runtimeStage(): Instruction[] {
  const all = instructions();
  const lastFrom = all.map((i) => i.op).lastIndexOf('FROM');
  return all.slice(lastFrom);
}

const only = (stage: Instruction[], op: string) => stage.filter((i) => i.op === op).map((i) => i.args);
/** The exec form of CMD or HEALTHCHECK … CMD. */
const execForm = (args: string) => JSON.parse(args.slice(args.indexOf('['))) as string[];

/** Runs the image's health check command against a port; resolves with its exit code. */
function healthCheck(command: string[], port: number): Promise<number | null> {
  const [program, ...args] = command;
  expect(program).toBe('node');
  const child = spawn(process.execPath, args, { env: { PATH: process.env['PATH'] ?? '', PORT: String(port) }, stdio: 'ignore' });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('the Dockerfile', () => {
  it('should build from base images pinned to an exact release', () => {
    const stages: string[] = [];
    for (const from of only(instructions(), 'FROM')) {
      const [image = '', as, name] = from.split(/\s+/);
      if (!stages.includes(image)) {
        expect(image).toMatch(/^[\w./-]+:\d+\.\d+\.\d+[\w.-]*(@sha256:[0-9a-f]{64})?$/);
      }
      if (as?.toUpperCase() === 'AS' && name) stages.push(name);
    }
    expect(stages).toContain('runtime');
  });

  it('should run as a user that is not root', () => {
    const users = only(runtimeStage(), 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
  });

  it('should start with the command npm start, the Procfile and docs/deploy.md run', () => {
    const [cmd] = only(runtimeStage(), 'CMD');
    const command = execForm(cmd ?? '').join(' ');
    expect(command).toBe('node dist/apps/api/main.js');
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts['start'];
    expect(start?.endsWith(`&& ${command}`)).toBe(true);
    expect(read('Procfile').trim()).toBe(`web: ${command}`);
    expect(read('docs/deploy.md')).toContain(command);
  });

  it('should stop on SIGTERM, which the API drains on', () => {
    expect(only(runtimeStage(), 'STOPSIGNAL')).toEqual(['SIGTERM']);
  });

  it('should bake in no secret and keep secrets and local builds out of the build context', () => {
    const settings = instructions().filter((i) => i.op === 'ENV' || i.op === 'ARG');
    for (const { args } of settings) expect(args).not.toMatch(/SECRET|PASSCODE|TOKEN|PASSWORD/);
    for (const { args } of instructions().filter((i) => i.op === 'COPY')) expect(args).not.toMatch(/\.env/);
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['.env', '.env.*', '.git', 'node_modules', 'dist']) expect(ignored).toContain(entry);
  });

  it('should need at run time only packages that npm ci --omit=dev installs', () => {
    const dependencies = Object.keys((JSON.parse(read('package.json')) as { dependencies: Record<string, string> }).dependencies);
    const bundle = readFileSync(API_MAIN, 'utf8');
    const required = [...new Set([...bundle.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1] ?? ''))];
    const packages = required
      .filter((name) => !name.startsWith('node:') && !builtinModules.includes(name) && !name.startsWith('.'))
      .map((name) => (name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : (name.split('/')[0] ?? name)));
    expect(packages.length).toBeGreaterThan(10);
    expect(packages.filter((name) => !dependencies.includes(name))).toEqual([]);
    // Nest loads its HTTP and WebSocket platforms by name at start-up, outside the bundle's requires.
    expect(dependencies).toEqual(expect.arrayContaining(['@nestjs/platform-express', '@nestjs/platform-socket.io', 'socket.io']));
  });

  it('should check health with a command that passes while the app serves and fails once it stopped', async () => {
    const [healthcheck] = only(runtimeStage(), 'HEALTHCHECK');
    const command = execForm(healthcheck ?? '');
    expect(command.join(' ')).toContain('/api/health');
    const server = await startApiServer();
    try {
      await expect(healthCheck(command, server.port)).resolves.toBe(0);
    } finally {
      await server.stop();
    }
    await expect(healthCheck(command, server.port)).resolves.toBe(1);
  });
});
