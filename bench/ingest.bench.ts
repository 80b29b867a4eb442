/**
 * The ingest engine, side by side in one run on the same generated gateway v10 payloads: discord.js 14
 * fed through its own packet handlers (its caches really fill: the member count is checked), plain
 * Maps, botcache on MemoryStore, botcache on RedisStore, and the minimal pipelined Redis layout (one
 * JSON key per entity). Each contender: a 100k-member GUILD_CREATE with 10k presences, then 100k mixed
 * dispatches over 50 guilds; median of 3 runs. Also heap per member, Redis used_memory per member,
 * Redis commands per store batch, member reads (sync and awaited), and what attachDiscordJs adds to
 * discord.js's own ingest time.
 * Run: node --expose-gc --import tsx bench/ingest.bench.ts [--quick] [--only=discordjs,maps,memory,redis,minimal]
 *   [--cluster]: botcache Redis on a local 3-master Cluster instead (commands counted; no used_memory figure).
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { createClient } from '@redis/client';
import { Client, ClientUser, GatewayIntentBits, Status } from 'discord.js';
import {
  attachDiscordJs,
  DiscordEventManager,
  type DiscordValueTypes,
} from '../src/platforms/discord/index.js';
import { createCache } from '../src/resources/index.js';
import { MemoryStore } from '../src/store/memory/memory-store.js';
import { RedisStore } from '../src/store/redis/index.js';
import { RedisConnection } from '../src/store/redis/redis-connection.js';
import type { Store } from '../src/store/types.js';
import { startRedis, startRedisCluster } from '../test/support/redis-server.js';
import { formatOps, machineLine, writeResults } from './harness.js';
import {
  bigGuild,
  bigGuildId,
  bigGuildUser,
  type Dispatch,
  mixedStream,
  streamGuilds,
} from './ingest-workload.js';

// Heap figures need a GC we can call: re-run this file with --expose-gc when it was started without.
if (typeof globalThis.gc !== 'function') {
  const child = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  process.exit(child.status ?? 1);
}
const gc = globalThis.gc as () => void;

const quick = process.argv.includes('--quick');
const onlyArg = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const only = onlyArg ? new Set(onlyArg.split(',')) : undefined;
const MEMBERS = quick ? 10_000 : 100_000;
const STREAM = quick ? 10_000 : 100_000;
const runsArg = (name: string, fallback: number): number =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const RUNS = runsArg('runs', quick ? 1 : 3);
/** Redis contenders may take fewer runs on a loaded machine (`--redis-runs=1`); the page says how many. */
const REDIS_RUNS = runsArg('redis-runs', RUNS);
const READS = quick ? 20_000 : 200_000;
const REDIS_READS = quick ? 2_000 : 20_000;

/** What one contender measured in one run. */
interface RunFigures {
  guildCreateMs: number;
  streamPerSec: number;
  heapPerMember: number;
  redisBytesPerMember?: number;
  commandsPerBatch?: number;
  batches?: number;
  /** Client-side Redis commands sent during the stream, by name. */
  streamCommands?: Record<string, number>;
  syncReadsPerSec?: number;
  awaitedReadsPerSec?: number;
  /** discord.js only: time of the same ingest with attachDiscordJs listening. */
  attachedGuildCreateMs?: number;
  attachedStreamPerSec?: number;
}

/** A contender: fed dispatches one by one; `settle` waits until everything fed is applied. */
interface Contender {
  feed(dispatch: Dispatch): void;
  settle(): Promise<void>;
  memberCount(guildId: string): Promise<number>;
  readSync?(guildId: string, userId: string): unknown;
  readAwaited(guildId: string, userId: string): Promise<unknown>;
  close(): Promise<void>;
}

const fresh = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

// ---- discord.js -----------------------------------------------------------------------------------

function discordJsClient(): Client {
  const client = new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMembers,
      GatewayIntentBits.GuildPresences,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.GuildVoiceStates,
      GatewayIntentBits.MessageContent,
    ],
  });
  // No login: packets go straight to discord.js's own handlers, as its WebSocketManager does after READY.
  client.ws.status = Status.Ready;
  // What its READY handler does: the bot's own user (voice and member handlers compare against it).
  const me = new (ClientUser as unknown as new (c: Client, data: object) => ClientUser)(client, {
    id: '9999',
    username: 'bench-bot',
    discriminator: '0',
    avatar: null,
    bot: true,
  });
  client.user = me;
  client.users.cache.set(me.id, me);
  return client;
}

/** discord.js's WebSocketManager entry for one gateway packet (private in its types, public in its code). */
interface PacketSink {
  handlePacket(packet: Dispatch, shard: { id: number }): boolean;
}

function discordJs(client: Client): Contender {
  const shard = { id: 0 };
  return {
    feed(dispatch) {
      // What WebSocketManager does per dispatch: 'raw' first, then the packet handler.
      client.emit('raw', dispatch, 0);
      (client.ws as unknown as PacketSink).handlePacket(dispatch, shard);
    },
    settle: async () => {},
    memberCount: async (guildId) => client.guilds.cache.get(guildId)?.members.cache.size ?? 0,
    readSync: (guildId, userId) => client.guilds.cache.get(guildId)?.members.cache.get(userId),
    readAwaited: async (guildId, userId) => client.guilds.cache.get(guildId)?.members.cache.get(userId),
    close: async () => {
      client.removeAllListeners();
    },
  };
}

// ---- plain Maps -----------------------------------------------------------------------------------

function plainMaps(): Contender {
  const guilds = new Map<string, unknown>();
  const members = new Map<string, unknown>();
  const users = new Map<string, unknown>();
  const presences = new Map<string, unknown>();
  const channels = new Map<string, unknown>();
  const roles = new Map<string, unknown>();
  const messages = new Map<string, unknown>();
  const voice = new Map<string, unknown>();
  type Obj = Record<string, unknown> & { id: string; guild_id: string; user: { id: string } };
  const feed = ({ t, d }: Dispatch): void => {
    const o = d as Obj;
    switch (t) {
      case 'GUILD_CREATE': {
        guilds.set(o.id, o);
        for (const m of o.members as Obj[]) {
          members.set(`${o.id}:${m.user.id}`, m);
          users.set(m.user.id, m.user);
        }
        for (const p of o.presences as Obj[]) presences.set(`${o.id}:${p.user.id}`, p);
        for (const c of o.channels as Obj[]) channels.set(c.id, c);
        for (const r of o.roles as Obj[]) roles.set(r.id, r);
        return;
      }
      case 'GUILD_MEMBER_ADD':
      case 'GUILD_MEMBER_UPDATE':
        members.set(`${o.guild_id}:${o.user.id}`, o);
        users.set(o.user.id, o.user);
        return;
      case 'GUILD_MEMBER_REMOVE':
        members.delete(`${o.guild_id}:${o.user.id}`);
        return;
      case 'PRESENCE_UPDATE':
        presences.set(`${o.guild_id}:${o.user.id}`, o);
        return;
      case 'MESSAGE_CREATE':
        messages.set(o.id, o);
        users.set((o.author as Obj).id, o.author);
        return;
      case 'MESSAGE_UPDATE': {
        const old = messages.get(o.id);
        if (old) messages.set(o.id, { ...(old as object), ...o });
        return;
      }
      case 'MESSAGE_DELETE':
        messages.delete(o.id);
        return;
      case 'VOICE_STATE_UPDATE':
        voice.set(`${o.guild_id}:${o.user_id as string}`, o);
        return;
    }
  };
  return {
    feed,
    settle: async () => {},
    memberCount: async (guildId) => {
      let n = 0;
      for (const key of members.keys()) if (key.startsWith(`${guildId}:`)) n++;
      return n;
    },
    readSync: (guildId, userId) => members.get(`${guildId}:${userId}`),
    readAwaited: async (guildId, userId) => members.get(`${guildId}:${userId}`),
    close: async () => {},
  };
}

// ---- botcache -------------------------------------------------------------------------------------

async function botcache(store: Store): Promise<Contender & { events: DiscordEventManager }> {
  const cache = createCache<DiscordValueTypes>({ store, namespacePrefix: 'bench' });
  await cache.open();
  const events = new DiscordEventManager(cache);
  const errors: Error[] = [];
  events.on('error', (error) => errors.push(error));
  const members = cache.members as typeof cache.members & {
    peek?: (guildId: string, userId: string) => unknown;
  };
  return {
    events,
    feed: (dispatch) => events.handle(dispatch),
    settle: async () => {
      await events.idle();
      if (events.stats.failed > 0)
        throw new Error(`${events.stats.failed} dispatches failed: ${errors[0]?.message}`);
    },
    memberCount: (guildId) => cache.members.forGuild(guildId).count(),
    // peek answers only on memory-backed stores (elsewhere it throws a TypeError by design).
    readSync: store instanceof MemoryStore ? (guildId, userId) => members.peek?.(guildId, userId) : undefined,
    readAwaited: (guildId, userId) => cache.members.get(guildId, userId),
    close: () => cache.close(),
  };
}

// ---- the minimal pipelined Redis layout -----------------------------------------------------------

function redisClient(url: string) {
  return createClient({ url });
}
type RedisClient = ReturnType<typeof redisClient>;

/** One JSON key per entity, MSET in pipelined chunks for a guild, one command per dispatch. */
function minimalRedis(client: RedisClient): Contender {
  let pending: Promise<unknown>[] = [];
  const put = (p: Promise<unknown>): void => {
    pending.push(p);
  };
  type Obj = Record<string, unknown> & { id: string; guild_id: string; user: { id: string } };
  const feed = ({ t, d }: Dispatch): void => {
    const o = d as Obj;
    switch (t) {
      case 'GUILD_CREATE': {
        const pairs: string[] = [];
        const flush = (): void => {
          if (pairs.length > 0) put(client.mSet(pairs.splice(0)));
        };
        const add = (key: string, value: unknown): void => {
          pairs.push(key, JSON.stringify(value));
          if (pairs.length >= 2000) flush();
        };
        const { members, presences, channels, roles, ...guild } = o;
        add(`min:guild:${o.id}`, guild);
        for (const m of members as Obj[]) add(`min:member:{${o.id}}:${m.user.id}`, m);
        for (const p of presences as Obj[]) add(`min:presence:{${o.id}}:${p.user.id}`, p);
        for (const c of channels as Obj[]) add(`min:channel:${c.id}`, c);
        for (const r of roles as Obj[]) add(`min:role:${r.id}`, r);
        flush();
        return;
      }
      case 'GUILD_MEMBER_ADD':
      case 'GUILD_MEMBER_UPDATE':
        put(client.set(`min:member:{${o.guild_id}}:${o.user.id}`, JSON.stringify(o)));
        return;
      case 'GUILD_MEMBER_REMOVE':
        put(client.del(`min:member:{${o.guild_id}}:${o.user.id}`));
        return;
      case 'PRESENCE_UPDATE':
        put(client.set(`min:presence:{${o.guild_id}}:${o.user.id}`, JSON.stringify(o)));
        return;
      case 'MESSAGE_CREATE':
      case 'MESSAGE_UPDATE':
        put(client.set(`min:message:${o.id}`, JSON.stringify(o), { PX: 300_000 }));
        return;
      case 'MESSAGE_DELETE':
        put(client.del(`min:message:${o.id}`));
        return;
      case 'VOICE_STATE_UPDATE':
        put(client.set(`min:voice:{${o.guild_id}}:${o.user_id as string}`, JSON.stringify(o)));
        return;
    }
  };
  return {
    feed,
    settle: async () => {
      while (pending.length > 0) {
        const batch = pending;
        pending = [];
        await Promise.all(batch);
      }
    },
    memberCount: async (guildId) => {
      let n = 0;
      for await (const keys of client.scanIterator({ MATCH: `min:member:{${guildId}}:*`, COUNT: 1000 }))
        n += Array.isArray(keys) ? keys.length : 1;
      return n;
    },
    readAwaited: async (guildId, userId) => {
      const raw = await client.get(`min:member:{${guildId}}:${userId}`);
      return raw === null ? undefined : JSON.parse(raw);
    },
    close: async () => {},
  };
}

// ---- measuring ------------------------------------------------------------------------------------

/** Client-side Redis commands sent by every RedisStore in this process, by name. */
const sent = new Map<string, number>();
const originalSend = RedisConnection.prototype.send;
RedisConnection.prototype.send = function countedSend(this: RedisConnection, ...args) {
  const [, , command] = args;
  const name = String(command[0]).toUpperCase();
  sent.set(name, (sent.get(name) ?? 0) + 1);
  return originalSend.apply(this, args);
};

async function usedMemory(client: RedisClient): Promise<number> {
  const info = await client.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1]);
}

async function feedAll(contender: Contender, dispatches: readonly Dispatch[]): Promise<number> {
  const started = performance.now();
  for (const dispatch of dispatches) contender.feed(dispatch);
  await contender.settle();
  return performance.now() - started;
}

async function readRates(
  contender: Contender,
  reads: number,
): Promise<Pick<RunFigures, 'syncReadsPerSec' | 'awaitedReadsPerSec'>> {
  const guildId = bigGuildId();
  const ids = Array.from({ length: 4096 }, (_, i) => bigGuildUser((i * 7919) % MEMBERS));
  const out: Pick<RunFigures, 'syncReadsPerSec' | 'awaitedReadsPerSec'> = {};
  if (contender.readSync) {
    let misses = 0;
    for (let i = 0; i < 10_000; i++)
      if (contender.readSync(guildId, ids[i & 4095] as string) === undefined) misses++;
    if (misses > 0) throw new Error(`sync read missed ${misses} members`);
    const started = performance.now();
    let sink: unknown;
    for (let i = 0; i < reads; i++) sink = contender.readSync(guildId, ids[i & 4095] as string);
    out.syncReadsPerSec = reads / ((performance.now() - started) / 1000);
    if (sink === Symbol.for('never')) console.log(sink);
  }
  for (let i = 0; i < Math.min(reads, 5_000); i++)
    await contender.readAwaited(guildId, ids[i & 4095] as string);
  const started = performance.now();
  for (let i = 0; i < reads; i++) {
    if ((await contender.readAwaited(guildId, ids[i & 4095] as string)) === undefined)
      throw new Error('awaited read missed');
  }
  out.awaitedReadsPerSec = reads / ((performance.now() - started) / 1000);
  return out;
}

interface Measured {
  readonly name: string;
  readonly runs: RunFigures[];
}

/** One run of one contender: the big guild (timed, heap and Redis memory), the stream (timed), reads. */
async function runOnce(
  make: () => Promise<Contender>,
  options: { redis?: RedisClient; reads: number; attach?: boolean },
): Promise<RunFigures> {
  if (options.redis) await options.redis.flushAll();
  const redisBefore = options.redis ? await usedMemory(options.redis) : 0;
  const contender = await make();
  // The payload is the only reference to itself once fed: what stays on the heap is the contender's.
  const heapBefore = heapUsed();
  let big: Dispatch[] | undefined = [fresh(bigGuild(MEMBERS))];
  const guildCreateMs = await feedAll(contender, big);
  big = undefined;
  const heapPerMember = (heapUsed() - heapBefore) / MEMBERS;
  const guilds = fresh(streamGuilds());
  const stream = fresh(mixedStream(STREAM));
  const redisBytesPerMember = options.redis
    ? ((await usedMemory(options.redis)) - redisBefore) / MEMBERS
    : undefined;
  const cached = await contender.memberCount(bigGuildId());
  if (cached !== MEMBERS) throw new Error(`GUILD_CREATE incomplete: ${cached} of ${MEMBERS} members`);
  await feedAll(contender, guilds);
  const events = (contender as Partial<{ events: DiscordEventManager }>).events;
  const batchesBefore = events?.stats.batches ?? 0;
  const sentBefore = new Map(sent);
  const streamMs = await feedAll(contender, stream);
  const batches = events ? events.stats.batches - batchesBefore : undefined;
  const streamCommands: Record<string, number> = {};
  for (const [name, n] of sent)
    if (n > (sentBefore.get(name) ?? 0)) streamCommands[name] = n - (sentBefore.get(name) ?? 0);
  const commands = Object.values(streamCommands).reduce((a, b) => a + b, 0);
  const reads = await readRates(contender, options.reads);
  await contender.close();
  return {
    guildCreateMs,
    streamPerSec: STREAM / (streamMs / 1000),
    heapPerMember,
    redisBytesPerMember,
    batches,
    commandsPerBatch: batches && commands > 0 ? commands / batches : undefined,
    streamCommands: commands > 0 ? streamCommands : undefined,
    ...reads,
  };
}

/** discord.js's own ingest, with and without attachDiscordJs listening (botcache applies in the background). */
async function runDiscordJs(): Promise<RunFigures> {
  const plain = await runOnce(async () => discordJs(discordJsClient()), { reads: READS });
  const big = fresh(bigGuild(MEMBERS));
  const guilds = fresh(streamGuilds());
  const stream = fresh(mixedStream(STREAM));
  const client = discordJsClient();
  const cache = createCache<DiscordValueTypes>({ store: new MemoryStore(), namespacePrefix: 'bench' });
  const attachment = attachDiscordJs(cache, client as never, { warn: false });
  const contender = discordJs(client);
  // Only discord.js's synchronous part is timed: what the listener adds to every packet it sees.
  let started = performance.now();
  contender.feed(big);
  const attachedGuildCreateMs = performance.now() - started;
  await attachment.events.idle();
  for (const g of guilds) contender.feed(g);
  await attachment.events.idle();
  started = performance.now();
  for (const dispatch of stream) contender.feed(dispatch);
  const attachedStreamPerSec = STREAM / ((performance.now() - started) / 1000);
  await attachment.events.idle();
  attachment.detach();
  await cache.close();
  return { ...plain, attachedGuildCreateMs, attachedStreamPerSec };
}

function median(values: readonly (number | undefined)[]): number | undefined {
  const defined = values
    .filter((v): v is number => v !== undefined && Number.isFinite(v))
    .sort((a, b) => a - b);
  if (defined.length === 0) return undefined;
  return defined[Math.floor(defined.length / 2)];
}

type NumericField = Exclude<keyof RunFigures, 'streamCommands'>;

function med(m: Measured | undefined, field: NumericField): number | undefined {
  return m ? median(m.runs.map((r) => r[field])) : undefined;
}

const fmt = (value: number | undefined, digits = 0): string =>
  value === undefined
    ? '-'
    : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ops = (value: number | undefined): string => (value === undefined ? '-' : formatOps(value));
const ratio = (a: number | undefined, b: number | undefined, digits = 2): string =>
  a === undefined || b === undefined ? '-' : `${(a / b).toFixed(digits)}x`;

async function main(): Promise<void> {
  const wanted = (name: string): boolean => !only || only.has(name);
  const measured: Measured[] = [];
  const repeat = async (name: string, once: () => Promise<RunFigures>, times = RUNS): Promise<void> => {
    const runs: RunFigures[] = [];
    for (let i = 0; i < times; i++) {
      runs.push(await once());
      console.error(`${name} run ${i + 1}: ${JSON.stringify(runs[runs.length - 1])}`);
    }
    measured.push({ name, runs });
  };
  if (wanted('discordjs')) await repeat('discord.js 14', runDiscordJs);
  if (wanted('maps')) await repeat('plain Maps', () => runOnce(async () => plainMaps(), { reads: READS }));
  if (wanted('memory'))
    await repeat('botcache memory', () => runOnce(() => botcache(new MemoryStore()), { reads: READS }));

  const server = await startRedis();
  const admin = redisClient(server.url);
  admin.on('error', (error: Error) => console.error(`admin client: ${error.message}`));
  await admin.connect();
  try {
    if (wanted('redis') && process.argv.includes('--cluster')) {
      sent.clear();
      const cluster = await startRedisCluster({ masters: 3 });
      try {
        const rootNodes = cluster.rootNodes.map((node) => node.url);
        let run = 0;
        await repeat(
          'botcache Redis',
          () =>
            runOnce(
              () =>
                botcache(
                  new RedisStore({ cluster: { rootNodes }, prefix: `run${++run}`, commandTimeout: 60_000 }),
                ),
              {
                reads: REDIS_READS,
              },
            ),
          REDIS_RUNS,
        );
      } finally {
        await cluster.stop();
      }
    } else if (wanted('redis')) {
      sent.clear();
      await repeat(
        'botcache Redis',
        () =>
          runOnce(() => botcache(new RedisStore({ url: server.url, commandTimeout: 60_000 })), {
            redis: admin,
            reads: REDIS_READS,
          }),
        REDIS_RUNS,
      );
    }
    if (wanted('minimal')) {
      const client = redisClient(server.url);
      client.on('error', (error: Error) => console.error(`minimal layout client: ${error.message}`));
      await client.connect();
      await repeat('minimal Redis layout', () =>
        runOnce(async () => minimalRedis(client), { redis: admin, reads: REDIS_READS }),
      );
      await client.quit();
    }
  } finally {
    await admin.quit();
    await server.stop();
  }

  const byName = (name: string) => measured.find((m) => m.name === name);
  const djs = byName('discord.js 14');
  const mem = byName('botcache memory');
  const redis = byName('botcache Redis');
  const minimal = byName('minimal Redis layout');
  const lastStream = redis?.runs[redis.runs.length - 1]?.streamCommands ?? {};
  const storeCommands = Object.entries(lastStream)
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name} ${n.toLocaleString('en-US')}`);
  const lines = [
    '# Ingest engine benchmark',
    '',
    `${machineLine()}. One process, the same generated gateway v10 payloads for every contender: a ${MEMBERS.toLocaleString('en-US')}-member GUILD_CREATE with ${(MEMBERS / 10).toLocaleString('en-US')} presences, then ${STREAM.toLocaleString('en-US')} mixed dispatches over 50 guilds; median of ${RUNS}${REDIS_RUNS === RUNS ? '' : ` (botcache Redis: ${REDIS_RUNS})`}; load average ${(os.loadavg()[0] ?? 0).toFixed(1)} on ${os.cpus().length} cores when the run ended. discord.js 14 is fed through its own packet handlers (\`client.ws.handlePacket\`, after \`raw\`) and its member cache is checked to hold every member. Heap per member: heap growth after GC over the GUILD_CREATE, payloads already dropped. Reads: \`members.get\` of the big guild's members, one at a time.`,
    '',
    '| contender | GUILD_CREATE (ms) | mixed stream events/s | heap per member (B) | Redis used_memory per member (B) | commands per store batch | members.get sync/s | members.get awaited/s |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...measured.map(
      (m) =>
        `| ${m.name} | ${fmt(med(m, 'guildCreateMs'))} | ${ops(med(m, 'streamPerSec'))} | ${fmt(med(m, 'heapPerMember'))} | ${fmt(med(m, 'redisBytesPerMember'))} | ${fmt(med(m, 'commandsPerBatch'), 2)} | ${ops(med(m, 'syncReadsPerSec'))} | ${ops(med(m, 'awaitedReadsPerSec'))} |`,
    ),
    '',
    '## Goals',
    '',
    '| goal | measured | target |',
    '|---|---:|---:|',
    `| memory GUILD_CREATE ÷ discord.js | ${ratio(med(mem, 'guildCreateMs'), med(djs, 'guildCreateMs'))} | ≤ 1.0x |`,
    `| memory mixed stream ÷ discord.js | ${ratio(med(mem, 'streamPerSec'), med(djs, 'streamPerSec'))} | ≥ 2x |`,
    `| memory heap per member ÷ discord.js | ${ratio(med(mem, 'heapPerMember'), med(djs, 'heapPerMember'))} | ≤ 1.0x |`,
    `| Redis GUILD_CREATE ÷ minimal layout | ${ratio(med(redis, 'guildCreateMs'), med(minimal, 'guildCreateMs'))} | ≤ 2x |`,
    `| Redis used_memory per member ÷ minimal layout | ${ratio(med(redis, 'redisBytesPerMember'), med(minimal, 'redisBytesPerMember'))} | ≤ 1.5x |`,
    `| Redis mixed stream ÷ discord.js (in memory) | ${ratio(med(redis, 'streamPerSec'), med(djs, 'streamPerSec'))} | ≥ 1x |`,
    `| Redis commands per store batch | ${fmt(med(redis, 'commandsPerBatch'), 2)} | ≤ 2 |`,
    `| memory members sync read ÷ discord.js cache.get | ${ratio(med(mem, 'syncReadsPerSec'), med(djs, 'syncReadsPerSec'))} | ≥ 0.8x |`,
    `| memory members.get awaited ÷ discord.js awaited | ${ratio(med(mem, 'awaitedReadsPerSec'), med(djs, 'awaitedReadsPerSec'))} | ≥ 0.8x |`,
    `| attachDiscordJs: discord.js GUILD_CREATE with ÷ without | ${ratio(med(djs, 'attachedGuildCreateMs'), med(djs, 'guildCreateMs'))} | ≤ 1.10x |`,
    `| attachDiscordJs: discord.js stream time with ÷ without | ${ratio(med(djs, 'streamPerSec'), med(djs, 'attachedStreamPerSec'))} | ≤ 1.10x |`,
    '',
    `Commands botcache Redis sent for the mixed stream (last run, ${fmt(redis?.runs[redis.runs.length - 1]?.batches)} store batches): ${storeCommands.join(', ') || '-'}.`,
  ];
  writeResults('ingest', lines.join('\n'));
}

await main();
process.exit(0);
