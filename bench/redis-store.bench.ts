/**
 * RedisStore against plain node-redis, Keyv + @keyv/redis and `redis-benchmark -P 16`, on one
 * redis-server started for this run. Writes bench/results/redis.md.
 * Run: npx tsx bench/redis-store.bench.ts
 *
 * Fairness: every contender awaits one call per operation, with the same 64 callers in flight, the
 * same keys and the same payload (decoded from JSON on reads, encoded on writes). Each case runs
 * ROUNDS times, contenders interleaved, after a warm-up; the median round is reported, with the
 * client CPU per operation (less sensitive than wall time to other processes on a shared machine).
 */
import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import KeyvRedis from '@keyv/redis';
import Keyv from 'keyv';
import { createClient } from 'redis';
import { RedisStore } from '../src/store/redis/index.js';
import { startRedis } from '../test/support/redis-server.js';
import { machineLine, writeResults } from './harness.js';

const run = promisify(execFile);
const OPS = 20_000;
const CONCURRENCY = 64;
const ROUNDS = 5;
const payload = {
  id: '80351110224678912',
  username: 'Nelly',
  discriminator: '1337',
  avatar: null,
  bot: false,
};

interface Round {
  readonly opsPerSec: number;
  readonly cpuMicros: number;
}

/** One round: `total` calls of `op`, `callers` in flight, each awaiting its answer. */
async function round(op: (i: number) => Promise<unknown>, total: number, callers: number): Promise<Round> {
  let next = 0;
  const worker = async () => {
    while (next < total) await op(next++ % 1000);
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: callers }, worker));
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { opsPerSec: (total / elapsed) * 1000, cpuMicros: (used.user + used.system) / total };
}

function median(rounds: readonly Round[]): Round {
  const sorted = [...rounds].sort((a, b) => a.opsPerSec - b.opsPerSec);
  return sorted[Math.floor(sorted.length / 2)] as Round;
}

/** Runs every contender of a case ROUNDS times, interleaved, after one warm-up round each. */
async function compare(
  contenders: Record<string, (i: number) => Promise<unknown>>,
  total: number,
  callers: number,
): Promise<Record<string, Round>> {
  const names = Object.keys(contenders);
  for (const name of names)
    await round(contenders[name] as (i: number) => Promise<unknown>, total / 4, callers);
  const rounds: Record<string, Round[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let r = 0; r < ROUNDS; r++) {
    // Rotate the order so no contender always runs right after another's garbage.
    for (let j = 0; j < names.length; j++) {
      const name = names[(r + j) % names.length] as string;
      rounds[name]?.push(await round(contenders[name] as (i: number) => Promise<unknown>, total, callers));
    }
  }
  return Object.fromEntries(names.map((name) => [name, median(rounds[name] ?? [])]));
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0] ?? 0;
  const server = await startRedis();
  try {
    const store = new RedisStore({ url: server.url, prefix: 'bench' });
    const plain = createClient({ url: server.url });
    plain.on('error', () => {});
    await plain.connect();
    const keyvStore = new KeyvRedis(server.url);
    const keyv = new Keyv({ store: keyvStore, namespace: 'kv' });
    const keys = Array.from({ length: 1000 }, (_, i) => `k${i}`);
    const plainKeys = keys.map((k) => `p:${k}`);
    const json = JSON.stringify(payload);
    await store.open();

    const rows: [string, Record<string, Round>][] = [];
    rows.push([
      'set',
      await compare(
        {
          RedisStore: (i) => store.set('users', keys[i] as string, payload),
          'node-redis': (i) => plain.set(plainKeys[i] as string, JSON.stringify(payload)),
          Keyv: (i) => keyv.set(keys[i] as string, payload),
        },
        OPS,
        CONCURRENCY,
      ),
    ]);
    rows.push([
      'get',
      await compare(
        {
          RedisStore: (i) => store.get('users', keys[i] as string),
          'node-redis': async (i) => JSON.parse((await plain.get(plainKeys[i] as string)) as string),
          Keyv: (i) => keyv.get(keys[i] as string),
        },
        OPS,
        CONCURRENCY,
      ),
    ]);
    rows.push([
      'getMany ×1000 (calls/s)',
      await compare(
        {
          RedisStore: () => store.getMany('users', keys),
          'node-redis': async () => (await plain.mGet(plainKeys)).map((v) => (v ? JSON.parse(v) : undefined)),
          Keyv: () => keyv.getMany(keys),
        },
        100,
        1,
      ),
    ]);
    // Bulk writes as an event adapter applies GUILD_CREATE: 1000 members linked to their guild.
    const members = Array.from(
      { length: 1000 },
      (_, i) => [`{g1}:${i}`, payload, { indexes: [{ by: 'guild', parent: 'g1' }] }] as const,
    );
    const memberJson = members.map(([key]) => [`pm:${key}`, json] as const);
    rows.push([
      'setMany ×1000 with index links (calls/s)',
      await compare(
        {
          RedisStore: () => store.setMany('members', members),
          // What a hand-written pipeline does without any index: 1000 SETs, one round trip.
          'node-redis': () =>
            plain.mSet(memberJson.map(([k]) => [k, JSON.stringify(payload)] as [string, string])),
          Keyv: () => keyv.setMany(members.map(([key, value]) => ({ key, value }))),
        },
        30,
        1,
      ),
    ]);

    /** Commands the client sent (not the calls a script makes inside the server): from commandstats. */
    const roundTrips = async (op: () => Promise<unknown>) => {
      const sent = async () => {
        const stats = await server.cli('INFO', 'commandstats');
        let calls = 0;
        for (const match of stats.matchAll(/cmdstat_(\w+):calls=(\d+)/g)) {
          if (['mget', 'evalsha', 'eval'].includes(match[1] as string)) calls += Number(match[2]);
        }
        return calls;
      };
      await server.cli('CONFIG', 'RESETSTAT');
      await op();
      return sent();
    };
    const getManyCommands = await roundTrips(() => store.getMany('users', keys));
    const setManyCommands = await roundTrips(() => store.setMany('members', members));

    const ceiling = await run('redis-benchmark', [
      '-h',
      server.host,
      '-p',
      String(server.port),
      '-t',
      'get,set',
      '-n',
      '200000',
      '-P',
      '16',
      '-q',
      '-d',
      String(json.length),
    ]);
    const ceilingOf = (cmd: string) =>
      Number(ceiling.stdout.match(new RegExp(`${cmd}: ([\\d.]+) requests`))?.[1]);
    const loadAfter = loadavg()[0] ?? 0;

    const f = (n: number) => Math.round(n).toLocaleString('en-US');
    const cell = (r: Round | undefined) => (r ? `${f(r.opsPerSec)} (${r.cpuMicros.toFixed(1)} µs)` : '-');
    const ratio = (a: Round | undefined, b: Round | undefined) =>
      a && b ? `${(a.opsPerSec / b.opsPerSec).toFixed(2)}x` : '-';
    const version = (await server.cli('INFO', 'server')).match(/redis_version:(\S+)/)?.[1];
    const lines = [
      '# RedisStore benchmark',
      '',
      `${machineLine()}; one local redis-server ${version} started for the run; load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after (2 cores shared with other work: absolute figures are noisy, ratios within one run less so).`,
      `${OPS} operations per round with ${CONCURRENCY} callers in flight (getMany/setMany: one caller), median of ${ROUNDS} interleaved rounds after a warm-up; value = a Discord user payload (${json.length} bytes of JSON). Cells: ops/s (client CPU per op).`,
      '',
      '| operation | RedisStore | plain node-redis | Keyv + @keyv/redis | RedisStore / Keyv | RedisStore / node-redis |',
      '|---|---|---|---|---|---|',
      ...rows.map(
        ([name, r]) =>
          `| ${name} | ${cell(r.RedisStore)} | ${cell(r['node-redis'])} | ${cell(r.Keyv)} | ${ratio(r.RedisStore, r.Keyv)} | ${ratio(r.RedisStore, r['node-redis'])} |`,
      ),
      '',
      `Ceiling, \`redis-benchmark -P 16\` on the same server: GET ${f(ceilingOf('GET'))} req/s, SET ${f(ceilingOf('SET'))} req/s; RedisStore get reaches ${(((rows[1]?.[1].RedisStore?.opsPerSec ?? 0) / ceilingOf('GET')) * 100).toFixed(0)}% of the GET ceiling.`,
      '',
      `Round trips: getMany of 1000 keys = ${getManyCommands} command(s) sent (one MGET); setMany of 1000 members with a guild index link = ${setManyCommands} command(s) sent (one EVALSHA: values, link sets, the guild index and the registry in one atomic script).`,
      '',
      'Notes: plain node-redis here is a default `createClient()`; node-redis v6 arms an `AbortSignal.timeout` per command by default, which RedisStore turns off (it bounds calls with one shared deadline sweep). Keyv + @keyv/redis ships its own node-redis v5 client. Keyv setMany is a MULTI of SETs; node-redis setMany is one MSET without expiry or index.',
    ];
    writeResults('redis', lines.join('\n'));
    await Promise.all([store.close(), plain.close(), keyv.disconnect()]);
  } finally {
    await server.stop();
  }
}

await main();
