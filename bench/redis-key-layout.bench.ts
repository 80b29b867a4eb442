/**
 * What each Redis key kind costs per member: a 100k-member GUILD_CREATE (with 10k presences) fed
 * through botcache's Discord event manager into a fresh redis-server, then every key grouped by
 * namespace and kind (`v` value, `l` link set, `i` parent index, `r` registry) and weighed with
 * MEMORY USAGE (every key of a kind below 20k keys, else a sample of 20k, scaled up). Also the
 * used_memory growth per member, the minimal layout (one JSON key per member) for comparison, and
 * the same guild with a `max` on members and users (what the registry adds where it is kept).
 * Run: node --import tsx bench/redis-key-layout.bench.ts [--quick]
 */
import { createClient } from '@redis/client';
import { DiscordEventManager, type DiscordValueTypes } from '../src/platforms/discord/index.js';
import { type CacheLimitOptions, createCache } from '../src/resources/index.js';
import { RedisStore } from '../src/store/redis/index.js';
import { startRedis } from '../test/support/redis-server.js';
import { machineLine, writeResults } from './harness.js';
import { bigGuild } from './ingest-workload.js';

const quick = process.argv.includes('--quick');
const MEMBERS = quick ? 10_000 : 100_000;
const SAMPLE = 20_000;
const PREFIX = 'bench';
/** RedisStore's default key prefix. */
const KEY_PREFIX = 'botcache';

function redisClient(url: string) {
  return createClient({ url });
}
type RedisClient = ReturnType<typeof redisClient>;

interface KindFigures {
  readonly kind: string;
  readonly keys: number;
  readonly bytes: number;
}

async function usedMemory(client: RedisClient): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await client.info('memory'))?.[1]);
}

/**
 * `<ns>:<kind letter>` for a botcache key (`<ns>:i:<by>` for an index); the minimal layout's keys by
 * their first word.
 */
function kindOf(key: string): string {
  const parts = key.split(':');
  if (parts[0] === KEY_PREFIX && parts.length >= 3)
    return parts[2] === 'i' ? `${parts[1]}:i:${parts[3]}` : `${parts[1]}:${parts[2]}`;
  return `${parts[0]}`;
}

async function weigh(client: RedisClient): Promise<KindFigures[]> {
  const byKind = new Map<string, string[]>();
  for await (const keys of client.scanIterator({ COUNT: 1000 })) {
    for (const key of keys) {
      const kind = kindOf(key);
      let list = byKind.get(kind);
      if (!list) {
        list = [];
        byKind.set(kind, list);
      }
      list.push(key);
    }
  }
  const out: KindFigures[] = [];
  for (const [kind, keys] of [...byKind].sort()) {
    const step = Math.max(1, Math.floor(keys.length / SAMPLE));
    let sampled = 0;
    let bytes = 0;
    for (let i = 0; i < keys.length; i += step) {
      // SAMPLES 0: every element of a collection is weighed (an index ZSET holds 100k members).
      bytes += Number(await client.sendCommand(['MEMORY', 'USAGE', keys[i] as string, 'SAMPLES', '0']));
      sampled++;
    }
    out.push({ kind, keys: keys.length, bytes: (bytes / sampled) * keys.length });
  }
  return out;
}

async function feedBotcache(url: string, limits: CacheLimitOptions | undefined): Promise<void> {
  const cache = createCache<DiscordValueTypes>({
    store: new RedisStore({ url, commandTimeout: 60_000 }),
    namespacePrefix: PREFIX,
    ...(limits ? { limits } : {}),
  });
  await cache.open();
  const events = new DiscordEventManager(cache);
  events.handle(bigGuild(MEMBERS));
  await events.idle();
  if (events.stats.failed > 0) throw new Error(`${events.stats.failed} dispatches failed`);
  await cache.close();
}

/** One JSON key per member (and per user), MSET in chunks: the floor any layout is compared with. */
async function feedMinimal(client: RedisClient): Promise<void> {
  const { d } = bigGuild(MEMBERS) as { d: { id: string; members: { user: { id: string } }[] } };
  for (let i = 0; i < d.members.length; i += 1000) {
    const args: string[] = [];
    for (const member of d.members.slice(i, i + 1000))
      args.push(`member:${d.id}:${member.user.id}`, JSON.stringify(member));
    await client.mSet(args);
  }
}

async function measure(
  client: RedisClient,
  name: string,
  feed: () => Promise<void>,
): Promise<{ name: string; perMember: number; kinds: KindFigures[] }> {
  await client.flushAll();
  const before = await usedMemory(client);
  await feed();
  const perMember = ((await usedMemory(client)) - before) / MEMBERS;
  const kinds = await weigh(client);
  console.error(`${name}: ${perMember.toFixed(0)} B/member`);
  return { name, perMember, kinds };
}

async function main(): Promise<void> {
  const server = await startRedis();
  const client = redisClient(server.url);
  client.on('error', (error: Error) => console.error(`client: ${error.message}`));
  await client.connect();
  try {
    const cases = [
      await measure(client, 'botcache (no max: no registry)', () => feedBotcache(server.url, undefined)),
      await measure(client, 'botcache, members and users with a max (registries kept)', () =>
        feedBotcache(server.url, { members: { max: 1_000_000 }, users: { max: 1_000_000 } }),
      ),
      await measure(client, 'minimal layout (one JSON key per member)', () => feedMinimal(client)),
    ];
    const lines = [
      `## Redis key layout: bytes per member (${MEMBERS.toLocaleString('en-US')}-member GUILD_CREATE)`,
      '',
      machineLine(),
      '',
    ];
    for (const c of cases) {
      lines.push(`### ${c.name}: used_memory ${c.perMember.toFixed(0)} B per member`, '');
      lines.push('| key kind | keys | bytes per member (MEMORY USAGE) |', '|---|---:|---:|');
      for (const k of c.kinds)
        lines.push(
          `| \`${k.kind}\` | ${k.keys.toLocaleString('en-US')} | ${(k.bytes / MEMBERS).toFixed(1)} |`,
        );
      lines.push('');
    }
    writeResults('redis-key-layout', lines.join('\n'));
  } finally {
    await client.quit();
    await server.stop();
  }
}

await main();
// Redis stores and the event manager may keep timers alive after close; the run is over.
process.exit(0);
