import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/redis/index.js';
import {
  type RedisClusterHandle,
  type RedisServer,
  startRedis,
  startRedisCluster,
} from '../support/redis-server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `calls` of one command in INFO commandstats (0 if it never ran). */
function commandCalls(info: string, command: string): number {
  const match = new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info);
  return match ? Number(match[1]) : 0;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Only a namespace with a max keeps a registry; the others are walked by their values (issue 21, items 7-8). */
describe('RedisStore registry: paid only by namespaces with a max', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('a namespace without max has no registry key; count, keys and entries walk the values, expired ones left out', async () => {
    const store = new RedisStore({ url: server.url, prefix: 'noreg' });
    await store.setMany(
      'users',
      Array.from({ length: 500 }, (_, i) => [`u${i}`, { i }] as const),
    );
    await store.set('users', 'brief', 1, { ttl: 30 });
    await store.deleteMany('users', ['u0', 'u1']);
    await sleep(80);
    expect(Number(await server.cli('EXISTS', 'noreg:users:r'))).toBe(0);
    expect(await store.count('users')).toBe(498);
    const keys = await collect(store.keys('users', { window: 64 }));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual(Array.from({ length: 498 }, (_, i) => `u${i + 2}`).sort());
    const entries = await collect(store.entries('users', { window: 64 }));
    expect(entries).toHaveLength(498);
    expect(entries.find(([key]) => key === 'u7')?.[1]).toEqual({ i: 7 });
    await store.clear('users');
    expect(await store.count('users')).toBe(0);
    await store.close();
  });

  it('writes to a namespace without max send no registry command: no ZADD at all for entries without index', async () => {
    const store = new RedisStore({ url: server.url, prefix: 'nozadd' });
    await store.set('warmup', 'k', 1);
    const before = commandCalls(await server.cli('INFO', 'commandstats'), 'zadd');
    await store.setMany(
      'users',
      Array.from({ length: 200 }, (_, i) => [`u${i}`, i] as const),
    );
    for (let i = 0; i < 20; i++) await store.set('users', `one${i}`, i, { ttl: 60_000 });
    await store.delete('users', 'u3');
    const after = commandCalls(await server.cli('INFO', 'commandstats'), 'zadd');
    expect(after - before).toBe(0);
    await store.close();
  });

  it('a max configured on a namespace that already holds data evicts down to max, the older data first', async () => {
    const unbounded = new RedisStore({ url: server.url, prefix: 'later' });
    await unbounded.setMany(
      'msgs',
      Array.from({ length: 30 }, (_, i) => [`old${i}`, i] as const),
    );
    expect(Number(await server.cli('EXISTS', 'later:msgs:r'))).toBe(0);

    const bounded = new RedisStore({ url: server.url, prefix: 'later' });
    bounded.configure('msgs', { max: 10, policy: 'fifo' });
    await bounded.set('msgs', 'new', 'n');
    // The registry was seeded from the 30 stored values before the eviction counted the namespace.
    expect(await bounded.count('msgs')).toBe(10);
    expect(await unbounded.count('msgs')).toBe(10);
    expect(await bounded.get('msgs', 'new')).toBe('n');
    expect(bounded.stats('msgs').evictions).toBe(21);
    expect(Number(await server.cli('ZCARD', 'later:msgs:r'))).toBe(10);
    await Promise.all([unbounded.close(), bounded.close()]);
  });
});

describe('RedisStore registry on Cluster', () => {
  let cluster: RedisClusterHandle;
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
  });
  afterAll(async () => {
    await cluster.stop();
  });

  const writeScriptCalls = async (): Promise<number[]> =>
    Promise.all(
      [0, 1, 2].map(async (i) => {
        const info = await cluster.node(i).cli('INFO', 'commandstats');
        return commandCalls(info, 'evalsha') + commandCalls(info, 'eval');
      }),
    );

  it('no master carries a registry: write scripts spread over the masters, and count/keys see every master', async () => {
    const store = new RedisStore({
      cluster: { rootNodes: cluster.rootNodes.map((node) => node.url) },
      prefix: 'spread',
    });
    await store.set('members', 'warmup', 0);
    const before = await writeScriptCalls();
    // One entity per write, as gateway events arrive: with a registry, every write also called its master.
    for (let i = 0; i < 600; i += 50)
      await Promise.all(
        Array.from({ length: 50 }, (_, j) => store.set('members', `u${i + j}`, { i: i + j })),
      );
    const after = await writeScriptCalls();
    const calls = after.map((n, i) => n - (before[i] as number));
    const total = calls.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(600); // plus a NOSCRIPT retry or two per master
    // 600 keys in 600 slots over 3 masters: each takes about a third (a registry gave its master over half).
    for (const n of calls) expect(n / total).toBeLessThan(0.45);
    for (let i = 0; i < 3; i++) {
      const found = (await cluster.node(i).cli('KEYS', 'spread:members:r*')).trim();
      expect(found).toBe('');
    }
    expect(await store.count('members')).toBe(601);
    const keys = await collect(store.keys('members'));
    expect(new Set(keys).size).toBe(601);
    await store.close();
  });

  it('a namespace with max keeps its registry and settles at max across slots', async () => {
    const store = new RedisStore({
      cluster: { rootNodes: cluster.rootNodes.map((node) => node.url) },
      prefix: 'bounded',
      namespaces: { users: { max: 50, policy: 'fifo' } },
    });
    for (let i = 0; i < 120; i += 20)
      await store.setMany(
        'users',
        Array.from({ length: 20 }, (_, j) => [`u${i + j}`, i + j] as const),
      );
    expect(await store.count('users')).toBe(50);
    expect(await store.get('users', 'u119')).toBe(119);
    expect(await store.get('users', 'u0')).toBeUndefined();
    await store.close();
  });
});
