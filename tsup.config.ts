import { existsSync } from 'node:fs';
import { defineConfig } from 'tsup';

// Public entry points (each also listed in package.json "exports"). An area not written yet is skipped.
const candidates: Record<string, string> = {
  index: 'src/index.ts',
  'conformance/index': 'src/conformance/index.ts',
  'redis/index': 'src/store/redis/index.ts',
  'sqlite/index': 'src/store/sqlite/index.ts',
  'tiered/index': 'src/store/tiered/index.ts',
  'keyv/index': 'src/keyv/index.ts',
  'plugins/index': 'src/plugins/index.ts',
  'mezon/index': 'src/platforms/mezon/index.ts',
  'discord/index': 'src/platforms/discord/index.ts',
  'metrics/index': 'src/metrics/index.ts',
  'cli/main': 'src/cli/main.ts',
};
const entry = Object.fromEntries(Object.entries(candidates).filter(([, file]) => existsSync(file)));

export default defineConfig({
  entry,
  format: ['esm', 'cjs'],
  // @internal members are the library's own plumbing: kept out of the published types.
  dts: { compilerOptions: { stripInternal: true } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: true,
  shims: true,
  external: ['vitest', '@redis/client', 'msgpackr', 'better-sqlite3', 'keyv', 'mezon-sdk', 'discord.js', '@discordjs/ws', '@discordjs/rest', 'prom-client'],
});
