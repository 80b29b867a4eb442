import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;

/**
 * A project that installed the built botcache and its runtime dependencies only: no discord.js,
 * @discordjs/*, mezon-sdk, msgpackr, keyv or better-sqlite3 (the optional peers). It lives in the
 * system temp dir, so nothing resolves from this repository's node_modules by accident.
 */
export interface ConsumerProject {
  readonly dir: string;
  write(file: string, text: string): string;
  remove(): void;
}

export function createConsumerProject(dependencies: readonly string[]): ConsumerProject {
  const dir = mkdtempSync(join(tmpdir(), 'botcache-consumer-'));
  const modules = join(dir, 'node_modules');
  const own = join(modules, 'botcache');
  mkdirSync(own, { recursive: true });
  cpSync(join(root, 'package.json'), join(own, 'package.json'));
  cpSync(join(root, 'dist'), join(own, 'dist'), { recursive: true });
  for (const name of dependencies) {
    mkdirSync(dirname(join(modules, name)), { recursive: true });
    symlinkSync(join(root, 'node_modules', name), join(modules, name), 'dir');
  }
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  return {
    dir,
    write(file, text) {
      const path = join(dir, file);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      return path;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
