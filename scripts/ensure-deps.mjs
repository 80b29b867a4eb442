// Runs `npm ci` when node_modules is missing, so `npm run demo` and `npm test` work on a fresh clone.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
if (!existsSync(`${root}node_modules/.package-lock.json`)) {
  console.log('botcache: installing dependencies (npm ci) — first run only');
  const run = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  process.exit(run.status ?? 1);
}
