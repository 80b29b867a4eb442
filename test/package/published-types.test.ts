import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsumerProject, createConsumerProject } from './consumer-install.js';

// Runs against the built package (npm test builds first).
const root = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
const bin = (name: string): string => join(root, 'node_modules', '.bin', name);
const RUNTIME_DEPENDENCIES = ['@redis/client', 'discord-api-types', 'lru-cache', '@types/node'];

async function tsc(project: ConsumerProject, config: string): Promise<string> {
  try {
    await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', config], {
      cwd: project.dir,
    });
    return '';
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

// Consumers' code: every call with a wrong argument must be refused, which only holds when the
// parameter types resolved (a type from a missing package would be `any` and accept anything).
const DISCORD_CONSUMER = `
import { createCache, MemoryStore } from 'botcache';
import { attachDiscordJs, attachDiscordWs, discordLoaders, type DiscordValueTypes } from 'botcache/discord';

const cache = createCache<DiscordValueTypes>({ store: new MemoryStore() });
// @ts-expect-error a number is not a discord.js Client
attachDiscordJs(cache, 42);
// @ts-expect-error a string is not an @discordjs/ws WebSocketManager
attachDiscordWs(cache, 'manager');
// @ts-expect-error a REST client has a get method
discordLoaders({ post: async () => ({}) });
export const loaded: Promise<{ id: string } | undefined> = discordLoaders({ get: async () => ({}) }).user('1', {
  signal: new AbortController().signal,
});

// @internal members are stripped from the published types: each access below must be refused.
const internals = createCache();
// @ts-expect-error @internal
internals.users.planSet;
// @ts-expect-error @internal
internals.users.planUserDelete;
// @ts-expect-error @internal
internals.me.planSet;
// @ts-expect-error @internal
internals.messages.planSet;
// @ts-expect-error @internal
internals.invites.planSet;
// @ts-expect-error @internal
internals.guilds.planSet;
// @ts-expect-error @internal
internals.presences.planSet;
// @ts-expect-error @internal
internals.presences.planDeleteOf;
// @ts-expect-error @internal
internals.members.planSet;
// @ts-expect-error @internal
internals.voiceStates.planSet;
// @ts-expect-error @internal
internals.channels.planDeleteId;
// @ts-expect-error @internal
internals.roles.ctx;
`;

const MEZON_CONSUMER = `
import { createCache } from 'botcache';
import { attachMezon, createMezonCache, mezonAdapter, readMezonMessage, type ChannelMessage } from 'botcache/mezon';
// @ts-expect-error a number is not a MezonClient
attachMezon(createCache(), 42);
// @ts-expect-error a client needs clientId, on and off
mezonAdapter({ clientId: '1' });
// @ts-expect-error a channel message has string ids
readMezonMessage({ id: 1, channel_id: 2 }, 'bot');
export const text = (message: ChannelMessage): string | undefined => message.content.t;
export const mentioned = (message: ChannelMessage): string | undefined => message.mentions?.[0]?.user_id;
export const roleTitle = async (cache: ReturnType<typeof createMezonCache>): Promise<string | undefined> =>
  (await cache.roles.get('1'))?.title;
`;

/** Optional peers no published declaration may import: a Discord bot lacks mezon-sdk, a Mezon bot discord.js. */
const OPTIONAL_PEER_IMPORT = /(?:from\s+|import\(\s*)['"](mezon-sdk|discord\.js|@discordjs\/[\w.-]+)['"]/g;

function declarationFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.d\.c?ts$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

const tsconfig = (moduleResolution: string, module: string, file: string, skipLibCheck: boolean): string =>
  JSON.stringify({
    compilerOptions: {
      strict: true,
      noEmit: true,
      skipLibCheck,
      module,
      moduleResolution,
      target: 'ES2022',
      lib: ['ES2023', 'DOM'],
      types: ['node'],
    },
    files: [file],
  });

const RESOLUTIONS: ReadonlyArray<readonly [resolution: string, module: string]> = [
  ['node16', 'node16'],
  ['node10', 'commonjs'],
  ['bundler', 'esnext'],
];

describe('the published package', () => {
  let project: ConsumerProject;
  let mezonProject: ConsumerProject;
  beforeAll(() => {
    // A Discord bot: none of the optional peers. Library types checked too (skipLibCheck off), so an
    // import of a package that is not there is an error, not a silent `any`.
    project = createConsumerProject(RUNTIME_DEPENDENCIES);
    project.write('consumer.ts', DISCORD_CONSUMER);
    // A Mezon bot's types without mezon-sdk installed (nor anything of Discord), library types checked too.
    mezonProject = createConsumerProject(RUNTIME_DEPENDENCIES);
    mezonProject.write('consumer.ts', MEZON_CONSUMER);
    for (const [resolution, module] of RESOLUTIONS) {
      project.write(`tsconfig.${resolution}.json`, tsconfig(resolution, module, 'consumer.ts', false));
      mezonProject.write(`tsconfig.${resolution}.json`, tsconfig(resolution, module, 'consumer.ts', false));
    }
  });
  afterAll(() => {
    project?.remove();
    mezonProject?.remove();
  });

  it.each(RESOLUTIONS.map(([resolution]) => resolution))(
    'botcache and botcache/discord types resolve and stay typed under moduleResolution %s without discord.js, @discordjs/* or mezon-sdk',
    async (resolution) => {
      expect(await tsc(project, `tsconfig.${resolution}.json`)).toBe('');
    },
    180_000,
  );

  it.each(RESOLUTIONS.map(([resolution]) => resolution))(
    'botcache/mezon types resolve and stay typed under moduleResolution %s without mezon-sdk or discord.js',
    async (resolution) => {
      expect(await tsc(mezonProject, `tsconfig.${resolution}.json`)).toBe('');
    },
    180_000,
  );

  it('no published declaration imports mezon-sdk, discord.js or @discordjs/*', () => {
    const files = declarationFiles(join(root, 'dist'));
    expect(files.length).toBeGreaterThan(10);
    const imports = files.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(OPTIONAL_PEER_IMPORT)].map((match) => `${file}: ${match[1]}`),
    );
    expect(imports).toEqual([]);
  });

  it('loads botcache and botcache/discord without the optional peers; MsgpackCodec says what is missing', async () => {
    const script = project.write(
      'load.mjs',
      `import { MsgpackCodec, MemoryStore } from 'botcache';
await import('botcache/discord');
const store = new MemoryStore();
await store.set('a', 'b', { ok: true });
let message = '';
try { new MsgpackCodec(); } catch (error) { message = error.message; }
console.log(JSON.stringify({ value: await store.get('a', 'b'), message }));`,
    );
    const { stdout } = await run(process.execPath, [script], { cwd: project.dir });
    expect(JSON.parse(stdout)).toEqual({
      value: { ok: true },
      message: 'MsgpackCodec needs the optional peer dependency msgpackr: npm install msgpackr',
    });
  }, 60_000);

  it('passes publint --strict', async () => {
    const { stdout } = await run(bin('publint'), ['--strict'], { cwd: root });
    expect(stdout).toContain('All good!');
  }, 180_000);

  it('passes @arethetypeswrong/cli for every entry point (node10, node16 CJS and ESM, bundler)', async () => {
    // attw exits non-zero on any problem; its JSON lists them.
    const { stdout } = await run(bin('attw'), ['--pack', '.', '--format', 'json'], {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    });
    const report = JSON.parse(stdout) as { analysis: { problems: unknown[]; entrypoints: object } };
    expect(report.analysis.problems).toEqual([]);
    expect(Object.keys(report.analysis.entrypoints)).toEqual(
      expect.arrayContaining(['.', './discord', './mezon', './redis', './sqlite', './keyv']),
    );
  }, 180_000);
});
