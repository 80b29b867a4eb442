// Runs a TypeScript file with tsx: the installed one, else (a fresh clone after `npm run demo`'s lean
// install, which leaves out the dev dependencies) the version the lock file pins, through npx.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const local = `${root}node_modules/.bin/tsx`;
let command = local;
let args = process.argv.slice(2);
if (!existsSync(local)) {
  const lock = JSON.parse(readFileSync(`${root}package-lock.json`, 'utf8'));
  const version = lock.packages['node_modules/tsx'].version;
  command = 'npx';
  args = ['--yes', '--prefer-offline', `tsx@${version}`, ...args];
}
const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
