/**
 * RedisStore against plain node-redis, Keyv + @keyv/redis and `redis-benchmark -P 16`, on one
 * redis-server started for this run. Writes bench/results/redis.md.
 * Run: npx tsx bench/redis-store.bench.ts
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import KeyvRedis from '@keyv/redis';
import Keyv from 'keyv';
import { createClient } from 'redis';
import { RedisStore } from '../src/store/redis/index.js';
import { startRedis } from '../test/support/redis-server.js';

const run = promisify(execFile);
const OPS = 20_000;
const CONCURRENCY = 64;
const payload = {
  id: '80351110224678912',
  username: 'Nelly',
  discriminator: '1337',
  avatar: null,
  bot: false,
};

/** Operations per second of `op` run OPS times with CONCURRENCY callers in flight. */
async function throughput(op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < OPS) await op(next++ % 1000);
  };
  await Promise.all(Array.from({ length: 100 }, (_, i) => op(i))); // warm-up
  next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return (OPS / (performance.now() - started)) * 1000;
}

async function main(): Promise<void> {
  const server = await startRedis();
  try {
    const store = new RedisStore({ url: server.url, prefix: 'bench' });
    const plain = createClient({ url: server.url });
    plain.on('error', () => {});
    await plain.connect();
    const keyv = new Keyv({ store: new KeyvRedis(server.url), namespace: 'kv' });
    const keys = Array.from({ length: 1000 }, (_, i) => `k${i}`);
    const json = JSON.stringify(payload);

    const rows: [string, number, number, number][] = [];
    const measure = async (
      name: string,
      ours: () => Promise<number>,
      node: () => Promise<number>,
      kv: () => Promise<number>,
    ) => {
      rows.push([name, await ours(), await node(), await kv()]);
    };
    await measure(
      'set',
      () => throughput((i) => store.set('users', keys[i] as string, payload)),
      () => throughput((i) => plain.set(`p:${keys[i]}`, json)),
      () => throughput((i) => keyv.set(keys[i] as string, payload)),
    );
    await measure(
      'get',
      () => throughput((i) => store.get('users', keys[i] as string)),
      () => throughput(async (i) => JSON.parse((await plain.get(`p:${keys[i]}`)) as string)),
      () => throughput((i) => keyv.get(keys[i] as string)),
    );
    const manyRounds = async (op: () => Promise<unknown>) => {
      const started = performance.now();
      for (let r = 0; r < 200; r++) await op();
      return (200 / (performance.now() - started)) * 1000;
    };
    const pkeys = keys.map((k) => `p:${k}`);
    rows.push([
      'getMany ×1000 (calls/s)',
      await manyRounds(() => store.getMany('users', keys)),
      await manyRounds(async () => (await plain.mGet(pkeys)).map((v) => (v ? JSON.parse(v) : undefined))),
      await manyRounds(() => keyv.getMany(keys)),
    ]);
    await store.set('users', 'roundtrip', 1);
    const before = Number((await server.cli('INFO', 'stats')).match(/total_commands_processed:(\d+)/)?.[1]);
    await store.getMany('users', keys);
    const after = Number((await server.cli('INFO', 'stats')).match(/total_commands_processed:(\d+)/)?.[1]);

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

    const f = (n: number) => Math.round(n).toLocaleString('en-US');
    const lines = [
      '# RedisStore benchmark',
      '',
      `One local redis-server ${(await server.cli('INFO', 'server')).match(/redis_version:(\S+)/)?.[1]} started for the run; Node ${process.version}; ${OPS} operations, ${CONCURRENCY} callers in flight; value = a Discord user payload (${json.length} bytes of JSON).`,
      '',
      '| operation | RedisStore | plain node-redis | Keyv + @keyv/redis | RedisStore / Keyv | RedisStore / node-redis |',
      '|---|---|---|---|---|---|',
      ...rows.map(
        ([name, ours, node, kv]) =>
          `| ${name} | ${f(ours)} | ${f(node)} | ${f(kv)} | ${(ours / kv).toFixed(2)}x | ${(ours / node).toFixed(2)}x |`,
      ),
      '',
      `Ceiling, \`redis-benchmark -P 16\` on the same server: GET ${f(ceilingOf('GET'))} req/s, SET ${f(ceilingOf('SET'))} req/s.`,
      '',
      `getMany of 1000 keys: ${after - before - 1} server command(s) (one MGET; the INFO call itself counts as one).`,
      '',
    ];
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/redis.md', lines.join('\n'));
    console.log(lines.join('\n'));
    await Promise.all([store.close(), plain.close(), keyv.disconnect()]);
  } finally {
    await server.stop();
  }
}

await main();
