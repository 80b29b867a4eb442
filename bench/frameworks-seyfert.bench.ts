/**
 * Seyfert 5 heap with a 100k-member guild on the local fake gateway (over TLS: Seyfert's socket only
 * speaks wss on the default port), each case in its own child process, heap after a full GC once
 * Seyfert's cache holds every member:
 *   MemoryAdapter      Seyfert's default cache
 *   botcache memory    seyfertAdapter(new MemoryStore())
 *   botcache redis     seyfertAdapter(new RedisStore()) (a redis-server started for the run)
 * Run: npx tsx bench/frameworks-seyfert.bench.ts [--quick]
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { guildCreate, snowflake, user } from '../test/support/discord/index.js';
import { startRedis } from '../test/support/redis-server.js';
import { machineLine, writeSection } from './harness.js';

const quick = process.argv.includes('--quick');
const MEMBERS = quick ? 10_000 : 100_000;
const PRESENCES = MEMBERS / 10;
const BOT = user(snowflake(9, 5), 'bench-bot');
const GUILD = snowflake(5, 51);
const MiB = 1024 * 1024;

type Scenario = 'MemoryAdapter' | 'botcache memory' | 'botcache redis';

interface Result {
  readonly heapMiB: number;
  readonly rssMiB: number;
  readonly members: number;
  readonly seconds: number;
}

interface Target {
  readonly domain: string;
  readonly gatewayPort: number;
  readonly cert: string;
  readonly redisUrl: string;
}

async function runBot(scenario: Scenario, target: Target): Promise<void> {
  const { MemoryAdapter } = await import('seyfert');
  const { seyfertAdapter } = await import('../src/platforms/discord/index.js');
  const { MemoryStore } = await import('../src/store/memory/memory-store.js');
  const { RedisStore } = await import('../src/store/redis/index.js');
  const { trustFakeGateway } = await import('../test/integrations/seyfert-fake-discord.js');
  const { startSeyfert } = await import('../test/integrations/seyfert-client.js');
  trustFakeGateway(target.gatewayPort, target.cert);
  const store =
    scenario === 'botcache redis'
      ? new RedisStore({ url: target.redisUrl, commandTimeout: 120_000 })
      : scenario === 'botcache memory'
        ? new MemoryStore()
        : undefined;
  const started = process.hrtime.bigint();
  const seyfert = await startSeyfert(target, BOT.id, store ? seyfertAdapter(store) : new MemoryAdapter());
  const members = async () => (await seyfert.client.cache.members?.count(GUILD)) ?? 0;
  while ((await members()) < MEMBERS) await new Promise((resolve) => setTimeout(resolve, 50));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await new Promise((resolve) => setTimeout(resolve, 500));
  globalThis.gc?.();
  globalThis.gc?.();
  const memory = process.memoryUsage();
  const result: Result = {
    heapMiB: memory.heapUsed / MiB,
    rssMiB: memory.rss / MiB,
    members: await members(),
    seconds,
  };
  process.send?.(result);
  await seyfert.stop();
  await store?.close();
  process.exit(0);
}

function runCase(scenario: Scenario, target: Target): Promise<Result> {
  const child = fork(
    fileURLToPath(import.meta.url),
    ['--child', scenario, JSON.stringify(target), ...(quick ? ['--quick'] : [])],
    { execArgv: ['--expose-gc', '--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
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
    const [scenario, target] = process.argv.slice(at + 1) as [Scenario, string];
    await runBot(scenario, JSON.parse(target) as Target);
    return;
  }
  const { startTlsFakeDiscord } = await import('../test/integrations/seyfert-fake-discord.js');
  const fake = await startTlsFakeDiscord({
    user: BOT,
    guilds: [guildCreate({ id: GUILD, members: MEMBERS, withPresence: PRESENCES })],
  });
  const redis = await startRedis();
  const target: Target = {
    domain: fake.domain,
    gatewayPort: fake.gatewayPort,
    cert: fake.cert,
    redisUrl: redis.url,
  };
  const scenarios: Scenario[] = ['MemoryAdapter', 'botcache memory', 'botcache redis'];
  const results = new Map<Scenario, Result>();
  for (const scenario of scenarios) {
    results.set(scenario, await runCase(scenario, target));
    console.error(`${scenario}: done`);
  }
  await redis.stop();
  await fake.stop();
  const alone = results.get('MemoryAdapter') as Result;
  const lines = [
    `## Seyfert: heap with a ${MEMBERS / 1000}k-member guild, Seyfert's MemoryAdapter vs seyfertAdapter`,
    '',
    `One guild of ${MEMBERS.toLocaleString('en')} members (${PRESENCES.toLocaleString('en')} with a presence) from the local fake gateway to a real Seyfert 5 Client in a child process; heap after a full GC once \`client.cache.members.count(guild)\` reports every member. ${machineLine()}`,
    '',
    '| cache adapter | heap MiB | ratio to MemoryAdapter | RSS MiB | members cached | time to cached (s) |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const scenario of scenarios) {
    const r = results.get(scenario) as Result;
    lines.push(
      `| ${scenario} | ${r.heapMiB.toFixed(1)} | ${(r.heapMiB / alone.heapMiB).toFixed(2)}x | ${r.rssMiB.toFixed(1)} | ${r.members.toLocaleString('en')} | ${r.seconds.toFixed(1)} |`,
    );
  }
  writeSection('frameworks', 'seyfert', lines.join('\n'));
}

await main();
