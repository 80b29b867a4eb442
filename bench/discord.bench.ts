/**
 * The Discord event manager: one GUILD_CREATE of a 100k-member guild, then a stream of 100k mixed
 * dispatches over 50 guilds, into MemoryStore and into a redis-server started for the run. For Redis
 * the events/s are put against `redis-benchmark -P 16 -t set` on the same server (goal >= 0.3).
 * Run: npx tsx bench/discord.bench.ts [--quick]
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DiscordEventManager, type DiscordValueTypes } from '../src/platforms/discord/index.js';
import { createCache } from '../src/resources/index.js';
import { MemoryStore } from '../src/store/memory/memory-store.js';
import { RedisStore } from '../src/store/redis/index.js';
import type { Store } from '../src/store/types.js';
import {
  guildCreate,
  guildIds,
  member,
  message,
  presence,
  snowflake,
  user,
  voiceState,
} from '../test/support/discord/payloads.js';
import { startRedis } from '../test/support/redis-server.js';
import { formatOps, machineLine, writeResults } from './harness.js';

const run = promisify(execFile);
const quick = process.argv.includes('--quick');
const BIG_MEMBERS = quick ? 10_000 : 100_000;
const STREAM = quick ? 10_000 : 100_000;
const STREAM_GUILDS = 50;

interface Dispatch {
  readonly t: string;
  readonly d: unknown;
}

/** The mixed stream: messages, presences, member churn and edits, voice moves, across many guilds. */
function mixedStream(count: number): Dispatch[] {
  const out: Dispatch[] = [];
  let x = 7;
  const next = (n: number) => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x % n;
  };
  for (let i = 0; i < count; i++) {
    const shape = { id: snowflake(5, 100 + next(STREAM_GUILDS)) };
    const ids = guildIds(shape);
    const u = user(ids.user(next(200)));
    const roll = next(100);
    if (roll < 35)
      out.push({ t: 'MESSAGE_CREATE', d: message(snowflake(6, i), ids.text(next(2)), u, `m${i}`, shape.id) });
    else if (roll < 55)
      out.push({ t: 'PRESENCE_UPDATE', d: presence(shape.id, u.id, next(4) === 0 ? 'offline' : 'online') });
    else if (roll < 67)
      out.push({ t: 'GUILD_MEMBER_ADD', d: { ...member(user(ids.user(1000 + i))), guild_id: shape.id } });
    else if (roll < 75) out.push({ t: 'GUILD_MEMBER_REMOVE', d: { guild_id: shape.id, user: u } });
    else if (roll < 82)
      out.push({ t: 'GUILD_MEMBER_UPDATE', d: { ...member(u), guild_id: shape.id, nick: `n${i}` } });
    else if (roll < 87)
      out.push({
        t: 'MESSAGE_UPDATE',
        d: {
          id: snowflake(6, Math.max(0, i - 50)),
          channel_id: ids.text(0),
          guild_id: shape.id,
          content: 'edit',
        },
      });
    else if (roll < 92)
      out.push({
        t: 'MESSAGE_DELETE',
        d: { id: snowflake(6, Math.max(0, i - 20)), channel_id: ids.text(0), guild_id: shape.id },
      });
    else if (roll < 97)
      out.push({ t: 'VOICE_STATE_UPDATE', d: voiceState(shape.id, next(3) === 0 ? null : ids.voice, u.id) });
    else
      out.push({
        t: 'TYPING_START',
        d: { channel_id: ids.text(0), guild_id: shape.id, user_id: u.id, timestamp: 0 },
      });
  }
  return out;
}

interface Result {
  readonly store: string;
  readonly guildCreateMs: number;
  readonly membersPerSec: number;
  readonly streamPerSec: number;
  readonly batches: number;
  /** Anchor: awaited `cache.presences.set` calls per second, 256 in flight, on the same store. */
  readonly resourceSetsPerSec: number;
}

async function measureStore(name: string, store: Store): Promise<Result> {
  const cache = createCache<DiscordValueTypes>({ store, namespacePrefix: 'bench' });
  await cache.open();
  const events = new DiscordEventManager(cache);
  const errors: Error[] = [];
  events.on('error', (error) => errors.push(error));
  const big = guildCreate({
    id: snowflake(5, 1),
    members: BIG_MEMBERS,
    withPresence: BIG_MEMBERS / 10,
    userOffset: 0,
  });
  let started = performance.now();
  await events.apply({ t: 'GUILD_CREATE', d: big });
  const guildCreateMs = performance.now() - started;
  const cached = await cache.members.forGuild(big.id).count();
  if (cached !== BIG_MEMBERS)
    throw new Error(`GUILD_CREATE incomplete: ${cached} members; ${errors[0]?.message}`);

  // The stream's guilds exist first (not timed), as after a real login.
  for (let g = 0; g < STREAM_GUILDS; g++)
    events.handle({ t: 'GUILD_CREATE', d: guildCreate({ id: snowflake(5, 100 + g), members: 200 }) });
  await events.idle();
  const stream = mixedStream(STREAM);
  const batchesBefore = events.stats.batches;
  started = performance.now();
  for (const dispatch of stream) events.handle(dispatch);
  await events.idle();
  const streamSeconds = (performance.now() - started) / 1000;
  if (events.stats.failed > 0)
    throw new Error(`${events.stats.failed} dispatches failed: ${errors[0]?.message}`);
  const anchorOps = Math.min(STREAM, 20_000);
  const anchorStarted = performance.now();
  let nextOp = 0;
  await Promise.all(
    Array.from({ length: 256 }, async () => {
      while (nextOp < anchorOps) {
        const i = nextOp++;
        await cache.presences.set('anchor', String(i), presence('anchor', String(i)));
      }
    }),
  );
  const resourceSetsPerSec = anchorOps / ((performance.now() - anchorStarted) / 1000);
  await cache.close();
  return {
    store: name,
    guildCreateMs,
    membersPerSec: BIG_MEMBERS / (guildCreateMs / 1000),
    streamPerSec: STREAM / streamSeconds,
    batches: events.stats.batches - batchesBefore,
    resourceSetsPerSec,
  };
}

async function main(): Promise<void> {
  const results: Result[] = [];
  const memory = new MemoryStore();
  results.push(await measureStore('MemoryStore', memory));
  await memory.close();

  const server = await startRedis();
  let setCeiling = Number.NaN;
  try {
    // A GUILD_CREATE batch of thousands of entries is one script call: allow it more than the 1 s default.
    const redis = new RedisStore({ url: server.url, commandTimeout: 60_000 });
    results.push(await measureStore('RedisStore', redis));
    await redis.close();
    const bench = await run('redis-benchmark', [
      '-h',
      server.host,
      '-p',
      String(server.port),
      '-t',
      'set',
      '-n',
      '200000',
      '-P',
      '16',
      '-q',
    ]);
    setCeiling = Number(bench.stdout.match(/SET: ([\d.]+) requests/)?.[1]);
  } finally {
    await server.stop();
  }

  const redis = results.find((r) => r.store === 'RedisStore');
  const ratio = redis ? redis.streamPerSec / setCeiling : Number.NaN;
  const lines = [
    '# Discord event manager benchmark',
    '',
    `${machineLine()}. GUILD_CREATE of a ${BIG_MEMBERS.toLocaleString('en-US')}-member guild (with ${(BIG_MEMBERS / 10).toLocaleString('en-US')} presences), then ${STREAM.toLocaleString('en-US')} mixed dispatches over ${STREAM_GUILDS} guilds (35% MESSAGE_CREATE, 20% PRESENCE_UPDATE, 20% member add/remove, 7% member update, 5% MESSAGE_UPDATE, 5% MESSAGE_DELETE, 5% VOICE_STATE_UPDATE, 3% ignored TYPING_START), fed as fast as they come and timed until applied.`,
    '',
    '| store | GUILD_CREATE (ms) | members/s in GUILD_CREATE | mixed stream events/s | store batches for the stream | anchor: `cache.presences.set`/s (256 in flight) | stream ÷ anchor |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.store} | ${r.guildCreateMs.toFixed(0)} | ${formatOps(r.membersPerSec)} | ${formatOps(r.streamPerSec)} | ${r.batches.toLocaleString('en-US')} | ${formatOps(r.resourceSetsPerSec)} | ${(r.streamPerSec / r.resourceSetsPerSec).toFixed(2)}x |`,
    ),
    '',
    `\`redis-benchmark -P 16 -t set\` on the same redis-server: ${formatOps(setCeiling)} SET/s. Stream events/s on RedisStore ÷ that = **${ratio.toFixed(2)}** (goal ≥ 0.3).`,
    '',
    'Consecutive dispatches of one guild go to the store as one atomic batch, member and message updates included (their previous values are read in one call per batch), so under load a burst costs a handful of round trips; dispatches that must read more (GUILD_CREATE, GUILD_ROLE_DELETE, …) run alone, in order.',
  ];
  writeResults('discord', lines.join('\n'));
}

await main();
