/**
 * discord.js 14 heap with a 100k-member guild on the local fake gateway, each case in its own child
 * process (heap after a full GC, once the guild is fully cached):
 *   alone          discord.js with its default caches
 *   alone+attach   discord.js defaults plus attachDiscordJs into botcache memory (today's two copies)
 *   preset+memory  discordJsPreset + botcache MemoryStore in the bot process
 *   preset+redis   discordJsPreset + botcache RedisStore (a redis-server started for the run)
 * Run: npx tsx bench/frameworks-discordjs.bench.ts [--quick]
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DiscordValueTypes } from '../src/platforms/discord/index.js';
import { guildCreate, snowflake, startFakeDiscord, user } from '../test/support/discord/index.js';
import { startRedis } from '../test/support/redis-server.js';
import { machineLine, writeSection } from './harness.js';

// A child gets --quick passed on too, so both sides agree on the guild's size.
const quick = process.argv.includes('--quick');
const MEMBERS = quick ? 10_000 : 100_000;
const PRESENCES = MEMBERS / 10;
const BOT = user(snowflake(9, 3), 'bench-bot');
const GUILD = snowflake(5, 31);
const MiB = 1024 * 1024;

type Scenario = 'alone' | 'alone+attach' | 'preset+memory' | 'preset+redis';

interface Result {
  readonly heapMiB: number;
  readonly rssMiB: number;
  readonly djsMembers: number;
  readonly botcacheMembers: number;
  readonly seconds: number;
}

async function runBot(scenario: Scenario, apiUrl: string, redisUrl: string): Promise<void> {
  const { Client, GatewayIntentBits, Events } = await import('discord.js');
  const { attachDiscordJs, discordJsPreset } = await import('../src/platforms/discord/index.js');
  const { createCache } = await import('../src/resources/index.js');
  const { RedisStore } = await import('../src/store/redis/index.js');
  const intents = [
    GatewayIntentBits.Guilds,
    GatewayIntentBits.GuildMembers,
    GatewayIntentBits.GuildPresences,
  ];
  const started = process.hrtime.bigint();
  const cache =
    scenario === 'alone'
      ? undefined
      : createCache<DiscordValueTypes>(
          scenario === 'preset+redis'
            ? { store: new RedisStore({ url: redisUrl, commandTimeout: 60_000 }) }
            : {},
        );
  let idle: () => Promise<unknown> = async () => {};
  let client: InstanceType<typeof Client>;
  if (cache && scenario.startsWith('preset')) {
    const preset = discordJsPreset(cache, { warn: false });
    client = new Client({ intents, rest: { api: apiUrl }, ...preset.clientOptions });
    preset.attach(client);
    idle = () => preset.events.idle();
  } else {
    client = new Client({ intents, rest: { api: apiUrl } });
    if (cache) {
      const attachment = attachDiscordJs(cache, client, { warn: false });
      idle = () => attachment.events.idle();
    }
  }
  const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
  await client.login('token');
  await ready;
  const botcacheMembers = async () => (cache ? await cache.members.forGuild(GUILD).count() : 0);
  for (;;) {
    await idle();
    const djs = client.guilds.cache.get(GUILD)?.members.cache.size ?? 0;
    if ((cache ? await botcacheMembers() : djs) >= MEMBERS) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await new Promise((resolve) => setTimeout(resolve, 500));
  globalThis.gc?.();
  globalThis.gc?.();
  const memory = process.memoryUsage();
  const result: Result = {
    heapMiB: memory.heapUsed / MiB,
    rssMiB: memory.rss / MiB,
    djsMembers: client.guilds.cache.get(GUILD)?.members.cache.size ?? 0,
    botcacheMembers: await botcacheMembers(),
    seconds,
  };
  process.send?.(result);
  await client.destroy();
  await cache?.close();
  process.exit(0);
}

function runCase(scenario: Scenario, apiUrl: string, redisUrl: string): Promise<Result> {
  const child = fork(
    fileURLToPath(import.meta.url),
    ['--child', scenario, apiUrl, redisUrl, ...(quick ? ['--quick'] : [])],
    {
      execArgv: ['--expose-gc', '--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    },
  );
  return new Promise((resolve, reject) => {
    child.once('message', (result) => resolve(result as Result));
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`${scenario} exited with ${code}`));
    });
  });
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--child');
  if (at >= 0) {
    const [scenario, apiUrl, redisUrl] = process.argv.slice(at + 1) as [Scenario, string, string];
    await runBot(scenario, apiUrl, redisUrl);
    return;
  }
  const fake = await startFakeDiscord({
    user: BOT,
    guilds: [guildCreate({ id: GUILD, members: MEMBERS, withPresence: PRESENCES })],
  });
  const redis = await startRedis();
  const scenarios: Scenario[] = ['alone', 'alone+attach', 'preset+memory', 'preset+redis'];
  const results = new Map<Scenario, Result>();
  for (const scenario of scenarios) {
    results.set(scenario, await runCase(scenario, fake.apiUrl, redis.url));
    console.error(`${scenario}: done`);
  }
  await redis.stop();
  await fake.stop();
  const alone = results.get('alone') as Result;
  const lines = [
    '## discord.js: heap with a 100k-member guild, alone vs discordJsPreset',
    '',
    `One guild of ${MEMBERS.toLocaleString('en')} members (${PRESENCES.toLocaleString('en')} with a presence) from the local fake gateway to a real discord.js 14 Client in a child process; heap after a full GC once the guild is fully cached. ${machineLine()}`,
    '',
    '| case | heap MiB | ratio to alone | RSS MiB | members in discord.js | members in botcache | time to cached (s) |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const scenario of scenarios) {
    const r = results.get(scenario) as Result;
    lines.push(
      `| ${scenario} | ${r.heapMiB.toFixed(1)} | ${(r.heapMiB / alone.heapMiB).toFixed(2)}x | ${r.rssMiB.toFixed(1)} | ${r.djsMembers.toLocaleString('en')} | ${r.botcacheMembers.toLocaleString('en')} | ${r.seconds.toFixed(1)} |`,
    );
  }
  lines.push('', 'Goals: preset+memory ≤ 1.0x, preset+redis ≤ 0.3x of alone.');
  writeSection('frameworks', 'discordjs', lines.join('\n'));
}

await main();
