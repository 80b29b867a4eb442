/**
 * botcache's Seyfert cache adapter against Seyfert's own adapter check (`client.cache.testAdapter()`,
 * seyfert/lib/cache/conformance.js: users, members, channels, overwrites) on every store, and its
 * mapping onto the Store contract: relationships as indexes, patch merges, limits, bad input.
 */
import { type Adapter, Client, Logger, MemoryAdapter } from 'seyfert';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BotcacheSeyfertAdapter,
  SEYFERT_SCOPE_INDEX,
  seyfertAdapter,
} from '../../src/platforms/discord/index.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { RedisStore } from '../../src/store/redis/index.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import { TieredStore } from '../../src/store/tiered/index.js';
import type { Store } from '../../src/store/types.js';
import {
  type RedisClusterHandle,
  type RedisServer,
  startRedis,
  startRedisCluster,
} from '../support/redis-server.js';

// Compile-time: the adapter is a Seyfert `Adapter` (the installed package's own interface).
const typed: Adapter = seyfertAdapter(new MemoryStore());
void typed;

/** A Client that never connects: Seyfert's Cache needs one to build its resources. */
function offlineClient(adapter: Adapter): Client {
  const client = new Client({ getRC: () => ({ token: 'x', intents: 0, locations: { base: '.' } }) });
  client.setServices({ cache: { adapter } });
  client.cache.__logger__ = new Logger({ name: '[CACHE]', active: false });
  return client;
}

let redis: RedisServer;
let cluster: RedisClusterHandle;
let prefixes = 0;
const stores: Store[] = [];

beforeAll(async () => {
  [redis, cluster] = await Promise.all([startRedis(), startRedisCluster({ masters: 3 })]);
});
afterAll(async () => {
  for (const store of stores) await store.close();
  await redis?.stop();
  await cluster?.stop();
});

const backends: Record<string, () => Store> = {
  memory: () => new MemoryStore(),
  redis: () => new RedisStore({ url: redis.url, prefix: `s${++prefixes}` }),
  'redis cluster': () =>
    new RedisStore({
      cluster: { rootNodes: cluster.rootNodes.map((node) => node.url) },
      prefix: `s${++prefixes}`,
    }),
  sqlite: () => new SqliteStore(),
  tiered: () => {
    const prefix = `t${++prefixes}`;
    return new TieredStore({
      far: new RedisStore({ url: redis.url, prefix }),
      invalidation: { url: redis.url },
    });
  },
};

function track(store: Store): Store {
  stores.push(store);
  return store;
}

describe("Seyfert's own adapter check (cache.testAdapter)", () => {
  it("passes on Seyfert's MemoryAdapter (the check itself works here)", async () => {
    await offlineClient(new MemoryAdapter()).cache.testAdapter();
  });

  for (const [name, make] of Object.entries(backends)) {
    it(`passes over a botcache ${name} store`, async () => {
      const adapter = seyfertAdapter(track(make()));
      await adapter.start();
      await offlineClient(adapter).cache.testAdapter();
    });
  }

  it('fails for an adapter that loses relationships (the check can fail)', async () => {
    const adapter = seyfertAdapter(track(new MemoryStore()));
    adapter.count = async () => 0;
    await expect(offlineClient(adapter).cache.testAdapter()).rejects.toThrow(/count/);
  });
});

describe('mapping onto the store', () => {
  const G = '100000000000000001';
  const U = '200000000000000001';
  const C = '300000000000000001';

  it('files members under {guild}:user with a scope link, channels under their id linked to the guild', async () => {
    const store = track(new MemoryStore());
    const adapter = seyfertAdapter(store);
    await adapter.set(`member.${G}.${U}`, { id: U, roles: [] }, [`member.${G}`, U]);
    await adapter.set(`channel.${C}`, { id: C, name: 'general' }, [`channel.${G}`, C]);
    await adapter.set(`user.${U}`, { id: U, username: 'a' }, ['user', U]);
    expect(await store.get('seyfert.member', `{${G}}:${U}`)).toEqual({ id: U, roles: [] });
    expect(
      await store.indexHas('seyfert.member', { by: SEYFERT_SCOPE_INDEX, parent: G }, `{${G}}:${U}`),
    ).toBe(true);
    expect(await store.indexHas('seyfert.channel', { by: SEYFERT_SCOPE_INDEX, parent: G }, C)).toBe(true);
    expect(await adapter.getToRelationship(`member.${G}`)).toEqual([U]);
    expect(await adapter.getToRelationship(`channel.${G}`)).toEqual([C]);
    expect(await adapter.keys(`member.${G}`)).toEqual([`member.${G}.${U}`]);
    expect(await adapter.keys(`channel.${G}`)).toEqual([`channel.${C}`]);
    expect(await adapter.keys('user')).toEqual([`user.${U}`]);
    expect(await adapter.contains(`member.${G}`, U)).toBe(true);
    expect(await adapter.contains(`channel.${G}`, C)).toBe(true);
    expect(await adapter.contains(`channel.${G}`, U)).toBe(false);
    expect(await adapter.scan('member.*.*', true)).toEqual([`member.${G}.${U}`]);
    expect(await adapter.scan(`member.${G}.*`)).toEqual([{ id: U, roles: [] }]);
    expect(await adapter.scan('member.*', true)).toEqual([]); // a segment count that no key has
    expect(await adapter.bulkGet([`user.${U}`, 'user.404', `channel.${C}`])).toEqual([
      { id: U, username: 'a' },
      { id: C, name: 'general' },
    ]);
    expect(await adapter.get('user.404')).toBeNull();

    await adapter.removeToRelationship(`channel.${G}`, [C, '999']);
    expect(await adapter.get(`channel.${C}`)).toBeNull();
    await adapter.removeRelationship([`member.${G}`]);
    expect(await adapter.count(`member.${G}`)).toBe(0);
    expect(await adapter.count('user')).toBe(1);
    await adapter.flush();
    expect(await store.count('seyfert.user')).toBe(0);
  });

  it("patch merges objects into the stored one, replaces arrays, and keeps each key's call order", async () => {
    const adapter = seyfertAdapter(track(new MemoryStore()));
    const rel = ['guild', G] as const;
    await adapter.set(`guild.${G}`, { id: G, name: 'a', unavailable: true }, rel);
    // Issued together without awaiting: each patch must see the one before it.
    await Promise.all([
      adapter.patch(`guild.${G}`, { name: 'b' }, rel),
      adapter.patch(`guild.${G}`, { unavailable: false }, rel),
      adapter.bulkPatch([
        [`guild.${G}`, { icon: 'x' }, rel],
        [`guild.${G}`, { icon: 'y' }, rel],
      ]),
    ]);
    expect(await adapter.get(`guild.${G}`)).toEqual({ id: G, name: 'b', unavailable: false, icon: 'y' });
    await adapter.patch(`overwrite.${C}`, [{ id: '1' }], [`overwrite.${G}`, C]);
    await adapter.patch(`overwrite.${C}`, [{ id: '2' }], [`overwrite.${G}`, C]);
    expect(await adapter.get(`overwrite.${C}`)).toEqual([{ id: '2' }]);
    // A set issued after a pending patch lands after it.
    await Promise.all([
      adapter.patch(`guild.${G}`, { name: 'c' }, rel),
      adapter.set(`guild.${G}`, { id: G }, rel),
    ]);
    expect(await adapter.get(`guild.${G}`)).toEqual({ id: G });
  });

  it('splits bulk calls into writeChunk-sized store calls with the same result', async () => {
    const store = track(new MemoryStore());
    const calls: number[] = [];
    const setMany = store.setMany.bind(store);
    store.setMany = (ns, entries) => {
      calls.push(entries.length);
      return setMany(ns, entries);
    };
    const adapter = seyfertAdapter(store, { writeChunk: 2 });
    const entry = (id: string, value: object) => [`member.${G}.${id}`, value, [`member.${G}`, id]] as const;
    await adapter.bulkPatch([
      entry('1', { a: 1 }),
      entry('2', { a: 2 }),
      entry('1', { b: 1 }),
      entry('3', { a: 3 }),
      entry('4', { a: 4 }),
      entry('5', { a: 5 }),
    ]);
    expect(calls).toEqual([2, 2, 1]);
    expect(await adapter.get(`member.${G}.1`)).toEqual({ a: 1, b: 1 });
    const keys = ['1', '2', '3', '4', '5', '404'].map((id) => `member.${G}.${id}`);
    expect(await adapter.bulkGet(keys)).toHaveLength(5);
    await adapter.bulkRemove(keys);
    expect(await adapter.count(`member.${G}`)).toBe(0);
  });

  it('applies per-resource limits: maxPerScope bounds messages per channel, ttl expires users', async () => {
    const store = track(new MemoryStore());
    const adapter = seyfertAdapter(store, {
      limits: { message: { maxPerScope: 2 }, user: { ttl: 50 } },
    });
    expect(store.limitsOf('seyfert.message').maxPerParent).toEqual({ [SEYFERT_SCOPE_INDEX]: 2 });
    for (const id of ['1', '2', '3']) {
      await adapter.set(`message.${id}`, { id, content: id }, [`message.${C}`, id]);
    }
    expect(await adapter.getToRelationship(`message.${C}`)).toEqual(['2', '3']);
    expect(await adapter.get('message.1')).toBeNull();
    await adapter.set(`user.${U}`, { id: U }, ['user', U]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await adapter.get(`user.${U}`)).toBeNull();
  });

  it('refuses bad input with errors that name it', async () => {
    const adapter = seyfertAdapter(track(new MemoryStore()));
    await expect(adapter.get('nodots')).rejects.toThrow(RangeError);
    await expect(adapter.get('a.b.c.d')).rejects.toThrow(/'a\.b\.c\.d'/);
    await expect(adapter.get('user.')).rejects.toThrow(/segments/);
    await expect(adapter.get(42 as never)).rejects.toThrow(TypeError);
    await expect(adapter.get('user.{x}')).rejects.toThrow(/'\{' or '\}'/);
    await expect(adapter.set(`member.${G}.${U}`, {}, [`member.999`, U])).rejects.toThrow(
      /does not file key 'member\.100000000000000001\.200000000000000001'/,
    );
    await expect(adapter.set(`user.${U}`, {}, ['user', 'other'])).rejects.toThrow(/does not file key/);
    await expect(adapter.set(`user.${U}`, {}, 'user' as never)).rejects.toThrow(/\[to, id\] pair/);
    await expect(adapter.bulkSet([['user.1', {}, ['user', '1']], 'x' as never])).rejects.toThrow(
      /entries\[1\]/,
    );
    await expect(adapter.set(`user.${U}`, { at: new Date() }, ['user', U])).rejects.toThrow(
      /JSON-compatible/,
    );
    await expect(adapter.scan('*.*')).rejects.toThrow(/name its resource/);
    await expect(adapter.count('a.b.c')).rejects.toThrow(/'resource' or 'resource\.scope'/);
    await expect(adapter.contains('user', 5 as never)).rejects.toThrow(/id must be a string/);
    await expect(adapter.get('bad resource.1')).rejects.toThrow(/namespace of resource 'bad resource'/);
    expect(() => seyfertAdapter({} as never)).toThrow(/botcache Store/);
    expect(() => seyfertAdapter(new MemoryStore(), { limits: { message: { maxPerScope: 0 } } })).toThrow(
      /limits\.message\.maxPerScope/,
    );
    expect(adapter).toBeInstanceOf(BotcacheSeyfertAdapter);
    expect(adapter.isAsync).toBe(true);
  });
});
