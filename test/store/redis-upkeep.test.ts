import { createClient, RESP_TYPES } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MsgpackCodec } from '../../src/codec/index.js';
import { RedisStore } from '../../src/store/redis/index.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Binary values, the registry prune and the max eviction, on a real server. */
describe('RedisStore upkeep', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('stores MessagePack values as raw bytes and reads them back through every read path', async () => {
    const store = new RedisStore({ url: server.url, prefix: 'bin', codec: new MsgpackCodec() });
    // Bytes that are not valid UTF-8 would be mangled by a text round trip.
    const value = {
      id: '80351110224678912',
      name: 'Nellé 🐱',
      n: 255,
      list: [1, 2, 3],
      nested: { ok: true },
    };
    await store.set('users', 'u1', value, { indexes: [{ by: 'guild', parent: 'g1' }] });
    await store.setMany('users', [
      ['u2', { n: -1 }],
      ['u3', 'plain string'],
    ]);
    expect(await store.get('users', 'u1')).toEqual(value);
    expect(await store.getMany('users', ['u1', 'u2', 'u3', 'missing'])).toEqual([
      value,
      { n: -1 },
      'plain string',
      undefined,
    ]);
    expect((await store.getEntry('users', 'u1'))?.value).toEqual(value);
    const entries = new Map<string, unknown>();
    for await (const [key, v] of store.entries('users')) entries.set(key, v);
    expect(entries.get('u1')).toEqual(value);
    const [previous] = await store.batch([{ type: 'set', ns: 'users', key: 'u1', value: 2 }]);
    expect(previous).toEqual(value);

    // What the server holds is the codec's exact bytes (a fixmap header, not JSON text).
    const raw = createClient({ url: server.url });
    await raw.connect();
    const bytes = await raw.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).get('bin:users:v:{u2}');
    await raw.close();
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(new MsgpackCodec().decode(bytes as unknown as Buffer, 'k')).toEqual({ n: -1 });
    expect((bytes as unknown as Buffer)[0]).not.toBe('{'.charCodeAt(0));
    await store.close();
  });

  it('prunes registry members of expired entries, so a TTL namespace with a max does not grow forever', async () => {
    const store = new RedisStore({
      url: server.url,
      prefix: 'prune',
      namespaces: { typing: { ttl: 50, max: 100_000 } },
    });
    await store.setMany(
      'typing',
      Array.from({ length: 900 }, (_, i) => [`old${i}`, i] as const),
    );
    await store.set('typing', 'kept', 1, { ttl: 60_000 });
    await sleep(120);
    expect(Number(await server.cli('ZCARD', 'prune:typing:r'))).toBe(901);
    expect(await store.pruneRegistry('typing')).toBe(900);
    expect(Number(await server.cli('ZCARD', 'prune:typing:r'))).toBe(1);
    expect(await store.count('typing')).toBe(1);

    // It also runs by itself: 1000 more writes with an expiry trigger a background prune.
    await store.setMany(
      'typing',
      Array.from({ length: 999 }, (_, i) => [`a${i}`, i] as const),
    );
    await sleep(120);
    await store.set('typing', 'trigger', 1, { ttl: 60_000 });
    const deadline = Date.now() + 3000;
    while (Number(await server.cli('ZCARD', 'prune:typing:r')) > 2 && Date.now() < deadline) await sleep(20);
    expect(Number(await server.cli('ZCARD', 'prune:typing:r'))).toBe(2);
    await store.close();
  });

  it('evicts above max without deleting an entry rewritten after it was picked', async () => {
    const store = new RedisStore({
      url: server.url,
      prefix: 'evict',
      namespaces: { msgs: { max: 3, policy: 'fifo' } },
    });
    for (const key of ['a', 'b', 'c']) await store.set('msgs', key, key);
    await store.set('msgs', 'd', 'd'); // 'a' goes
    expect(await store.has('msgs', 'a')).toBe(false);
    expect(await store.count('msgs')).toBe(3);
    expect(store.stats('msgs').evictions).toBe(1);

    // A second process rewrites 'b' between "pick the oldest" and "delete it": simulate the pick by
    // reading the registry score, rewriting 'b' from another store, then evicting with the old score.
    // Configured like the first: only a process that knows the max keeps the registry up to date.
    const other = new RedisStore({
      url: server.url,
      prefix: 'evict',
      namespaces: { msgs: { max: 3, policy: 'fifo' } },
    });
    const registry = 'evict:msgs:r';
    const pickedScore = (await server.cli('ZSCORE', registry, 'b')).trim();
    await other.set('msgs', 'b', 'fresh');
    const reply = await server.cli(
      'EVALSHA',
      (await import('../../src/store/redis/lua-scripts.js')).EVICT.sha,
      '3',
      registry,
      'evict:msgs:v:{b}',
      'evict:msgs:l:{b}',
      'b',
      pickedScore,
    );
    expect(reply.trim()).toBe(''); // nil: not evicted
    expect(await store.get('msgs', 'b')).toBe('fresh');
    await Promise.all([store.close(), other.close()]);
  });

  it('under concurrent writers a namespace settles at max and every survivor is intact', async () => {
    const stores = Array.from(
      { length: 3 },
      () => new RedisStore({ url: server.url, prefix: 'race', namespaces: { msgs: { max: 50 } } }),
    );
    await Promise.all(
      stores.map((store, s) =>
        Promise.all(Array.from({ length: 200 }, (_, i) => store.set('msgs', `k${i % 80}`, { s, i }))),
      ),
    );
    const reader = stores[0] as RedisStore;
    expect(await reader.count('msgs')).toBeLessThanOrEqual(50);
    for await (const [, value] of reader.entries('msgs')) expect(value).toHaveProperty('s');
    await Promise.all(stores.map((store) => store.close()));
  });
});
