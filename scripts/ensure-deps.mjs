// What a fresh clone needs before `npm run demo` (`demo`) and `npm test` (`test`), installed once.
// - demo: the runtime dependencies only, without install scripts: the demo runs on the in-memory store
//   and needs no native module and no dev dependency, so it never waits for better-sqlite3 to compile.
// - test: the same, then the native modules the suite loads (built only when they do not load yet), then
//   redis-server, redis-cli, openssl and Chromium: through apt-get when missing and running as root,
//   else one line that says what to install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const mode = process.argv[2] ?? 'test';

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function installPackages() {
  if (mode === 'demo') {
    // The demo needs only the runtime dependencies (tsx comes through npx when missing).
    if (existsSync(`${root}node_modules/.package-lock.json`)) return;
    console.log(
      'botcache: installing the runtime dependencies (npm ci --omit=dev --ignore-scripts): first run only',
    );
    run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund']);
    return;
  }
  if (existsSync(`${root}node_modules/vitest/package.json`)) return;
  console.log('botcache: installing dependencies (npm ci --ignore-scripts): first run only');
  run('npm', ['ci', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund']);
}

// Each native module the suite loads, with a probe that fails until its binary is built.
const nativeModules = [
  {
    name: 'better-sqlite3',
    dir: 'node_modules/better-sqlite3',
    probe: "new (require(D))(':memory:').close()",
  },
  {
    name: 'better-sqlite3',
    dir: 'node_modules/mezon-sdk/node_modules/better-sqlite3',
    probe: "new (require(D))(':memory:').close()",
  },
  { name: 'sqlite3', dir: 'node_modules/sqlite3', probe: 'require(D)' },
];

function loads({ dir, probe }) {
  const code = `const D = ${JSON.stringify(`${root}${dir}`)}; ${probe}`;
  return spawnSync(process.execPath, ['-e', code], { stdio: 'ignore' }).status === 0;
}

function buildNativeModules() {
  const missing = nativeModules.filter((module) => existsSync(`${root}${module.dir}`) && !loads(module));
  if (missing.length === 0) return;
  const names = [...new Set(missing.map((module) => module.name))];
  console.log(`botcache: building native modules for the tests (${names.join(', ')}): first run only`);
  run('npm', ['rebuild', ...names, '--no-audit', '--no-fund']);
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function installSystemTools() {
  const packages = [];
  if (!onPath('redis-server')) packages.push('redis-server');
  if (!onPath('redis-cli')) packages.push('redis-tools');
  if (!onPath('openssl')) packages.push('openssl');
  if (!existsSync('/usr/bin/chromium')) packages.push('chromium');
  if (packages.length === 0) return;
  const canInstall = process.getuid?.() === 0 && onPath('apt-get');
  if (!canInstall) {
    console.error(
      `botcache: npm test needs ${packages.join(', ')}: install them (Debian: sudo apt-get install ${packages.join(' ')}) and run it again`,
    );
    process.exit(1);
  }
  console.log(`botcache: installing ${packages.join(', ')} (apt-get): first run only`);
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

installPackages();
if (mode === 'test') {
  buildNativeModules();
  installSystemTools();
}
