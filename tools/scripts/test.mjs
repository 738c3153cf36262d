#!/usr/bin/env node
// npm test: every test of the workspace in one Jest run (unit, store contract against a real memcached,
// black-box HTTP/socket and browser journeys), then one closing line "N passed, N failed" for CI.
// Extra arguments go to Jest (e.g. `npm test -- libs/api/store`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const onPath = (cmd) => (process.env.PATH ?? '').split(delimiter).some((dir) => existsSync(join(dir, cmd)));

const missing = [];
if (!onPath('memcached')) missing.push('memcached');
if (!onPath('saslpasswd2')) missing.push('sasl2-bin');
if (!existsSync(chromium)) missing.push('chromium');
// Debian puts haproxy in /usr/sbin, not on every user's PATH.
if (!onPath('haproxy') && !existsSync('/usr/sbin/haproxy')) missing.push('haproxy');
if (!onPath('turnserver')) missing.push('coturn');
if (missing.length > 0) {
  console.error(`The tests need ${missing.join(', ')}. Install with:\n  sudo apt-get install -y ${missing.join(' ')}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env }).status ?? 1;
const skipCache = process.env.CI ? ['--skip-nx-cache'] : [];

// The black-box tests run the built product, as a user would.
if (run('npx', ['nx', 'run-many', '-t', 'build', '-p', 'api', 'customer', 'rep', 'embed', '--outputStyle=static', ...skipCache]) !== 0) {
  console.error('The build failed: no test ran.');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const resultsDir = join(root, 'tmp');
const resultsFile = join(resultsDir, 'test-results.json');
mkdirSync(resultsDir, { recursive: true });
rmSync(resultsFile, { force: true });
// One test file at a time: the black-box suites each start API servers, memcached, coturn, HAProxy and
// Chromium, and two of them side by side on a 2-core machine starve each other's deadlines (presence leaves,
// no-shows, video set-up) into flaky timeouts.
const status = run('npx', ['jest', '--ci', '--maxWorkers=1', '--json', `--outputFile=${resultsFile}`, ...process.argv.slice(2)]);

let passed = 0;
let failed = 0;
if (existsSync(resultsFile)) {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  passed = results.numPassedTests;
  // A suite that fails to load has no failed test but must still count.
  failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
  if (results.numPendingTests + results.numTodoTests > 0) {
    console.error(`${results.numPendingTests + results.numTodoTests} tests are skipped or todo: none may be.`);
    failed += results.numPendingTests + results.numTodoTests;
  }
} else {
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(status === 0 && failed === 0 && passed > 0 ? 0 : 1);
