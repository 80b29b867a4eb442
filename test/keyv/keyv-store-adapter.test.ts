import { createCache } from 'cache-manager';
import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { ClosedClient } from '../../src/errors/index.js';
import { toKeyvStore } from '../../src/keyv/index.js';
import { MemoryStore } from '../../src/store/index.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('toKeyvStore', () => {
  it('Keyv entries live in one botcache namespace under Keyv-prefixed keys', async () => {
    const store = new MemoryStore();
    const keyv = new Keyv({ store: toKeyvStore(store, { namespace: 'sessions' }), namespace: 'web' });
    await keyv.set('abc', { user: 'u1' });
    expect(await store.has('sessions', 'web:abc')).toBe(true);
    expect(await keyv.get('abc')).toEqual({ user: 'u1' });
    await store.close();
  });

  it("Keyv's TTL is the botcache entry's TTL: the store itself drops the entry", async () => {
    const store = new SqliteStore();
    const keyv = new Keyv({ store: toKeyvStore(store) });
    const before = Date.now();
    await keyv.set('soon', 'v', 60);
    const entry = await store.getEntry('keyv', 'keyv:soon');
    expect(entry?.expiresAt).toBeGreaterThanOrEqual(before + 60);
    expect(entry?.expiresAt).toBeLessThanOrEqual(Date.now() + 60);
    await sleep(100);
    expect(await store.count('keyv')).toBe(0);
    await store.close();
  });

  it("clear() clears only the Keyv namespace, not other Keyv namespaces or botcache's own data", async () => {
    const store = new MemoryStore();
    const a = new Keyv({ store: toKeyvStore(store), namespace: 'a' });
    const b = new Keyv({ store: toKeyvStore(store), namespace: 'b' });
    await store.set('users', 'u', { id: 'u' });
    await a.set('k', 1);
    await b.set('k', 2);
    await a.clear();
    expect(await a.get('k')).toBeUndefined();
    expect(await b.get('k')).toBe(2);
    expect(await store.get('users', 'u')).toEqual({ id: 'u' });
    await store.close();
  });

  it('setMany writes every entry in one store call, with per-entry TTLs', async () => {
    const store = new SqliteStore();
    const keyv = new Keyv({ store: toKeyvStore(store) });
    await keyv.setMany([
      { key: 'a', value: 1 },
      { key: 'b', value: 2, ttl: 50 },
    ]);
    expect(await keyv.get(['a', 'b'])).toEqual([1, 2]);
    await sleep(90);
    expect(await store.getMany('keyv', ['keyv:a', 'keyv:b'])).toEqual([expect.any(String), undefined]);
    await store.close();
  });

  it('cache-manager 7 runs on botcache stores through the adapter', async () => {
    const sqlite = new SqliteStore();
    const memory = new MemoryStore();
    const cache = createCache({
      stores: [new Keyv({ store: toKeyvStore(memory) }), new Keyv({ store: toKeyvStore(sqlite) })],
    });
    let loads = 0;
    const load = async () => {
      loads++;
      return { id: '42', name: 'guild' };
    };
    const [first, second] = await Promise.all([cache.wrap('guild:42', load), cache.wrap('guild:42', load)]);
    expect(first).toEqual({ id: '42', name: 'guild' });
    expect(second).toEqual(first);
    expect(loads).toBe(1);
    expect(await sqlite.has('keyv', 'keyv:guild:42')).toBe(true);
    await memory.clear('keyv');
    expect(await cache.get('guild:42')).toEqual({ id: '42', name: 'guild' }); // from the second tier
    await sqlite.close();
    await memory.close();
  });

  it('store failures reach Keyv as errors: events by default, rejections with throwOnErrors', async () => {
    const store = new MemoryStore();
    const adapter = toKeyvStore(store);
    const keyv = new Keyv({ store: adapter });
    const events: unknown[] = [];
    keyv.on('error', (error: unknown) => events.push(error));
    await store.close();
    expect(await keyv.get('k')).toBeUndefined();
    expect(await keyv.set('k', 1)).toBe(false);
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.every((error) => error instanceof ClosedClient)).toBe(true);
    const strict = new Keyv({ store: toKeyvStore(store), throwOnErrors: true });
    await expect(strict.get('k')).rejects.toThrow(ClosedClient);
  });

  it('values the botcache store refuses fail the write instead of being stored wrongly', async () => {
    const store = new MemoryStore();
    const keyv = new Keyv({ store: toKeyvStore(store), serialize: undefined, deserialize: undefined });
    keyv.on('error', () => {});
    expect(await keyv.set('when', new Date())).toBe(false);
    expect(await store.has('keyv', 'keyv:when')).toBe(false);
    await store.close();
  });

  it('bad arguments are refused, naming them', () => {
    const store = new MemoryStore();
    expect(() => toKeyvStore(store, { namespace: 'has space' })).toThrow(/options\.namespace/);
    expect(() => toKeyvStore({} as MemoryStore)).toThrow(/store must be a botcache Store/);
  });
});
