/** Resource events (set, delete, evict, expire, clear, dispose) over MemoryStore and a real Redis. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CacheEventMap, createCache, MemoryStore } from '../../src/index.js';
import { RedisStore } from '../../src/store/redis/index.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';

type Seen = [event: string, detail: string][];

function record(cache: ReturnType<typeof createCache>, seen: Seen): void {
  const events: (keyof CacheEventMap)[] = ['set', 'delete', 'evict', 'expire'];
  for (const event of events)
    cache.on(event, (e) => {
      const { resource, key } = e as { resource: string; key: string };
      seen.push([event, `${resource}/${key}`]);
    });
  cache.on('clear', (e) =>
    seen.push(['clear', `${e.resource}${e.parent ? `<${e.parent.by}:${e.parent.parent}` : ''}`]),
  );
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('resource events over MemoryStore', () => {
  it('announce writes, deletes, cascades, evictions and expiries, mapped to resource names', async () => {
    let now = 1_700_000_000_000;
    const store = new MemoryStore({ clock: { now: () => now } });
    const disposed: string[] = [];
    const cache = createCache({
      store,
      limits: { messages: { maxPerChannel: 2, ttl: '1m' } },
      dispose: (e) => disposed.push(`${e.reason}:${e.resource}/${e.key}`),
    });
    const seen: Seen = [];
    record(cache, seen);

    await cache.users.set('u1', { id: 'u1' });
    await cache.guilds.set('g1', { id: 'g1' });
    await cache.channels.set('c1', { id: 'c1' }, { guildId: 'g1' });
    for (const id of ['m1', 'm2', 'm3'])
      await cache.messages.set(id, { id }, { channelId: 'c1', authorId: 'u1' });
    await tick();
    expect(seen).toContainEqual(['set', 'users/u1']);
    expect(seen).toContainEqual(['set', 'messages/m3']);
    expect(seen).toContainEqual(['evict', 'messages/m1']); // the per-channel cap of 2
    expect(disposed).toContain('evict:messages/m1');

    now += 61_000; // past the messages' TTL
    expect(await cache.messages.get('m2')).toBeUndefined();
    await tick();
    expect(seen).toContainEqual(['expire', 'messages/m2']);
    expect(disposed).toContain('expire:messages/m2');

    seen.length = 0;
    await cache.guilds.delete('g1'); // cascades to the guild's channels (and their messages)
    await tick();
    expect(seen).toContainEqual(['delete', 'guilds/g1']);
    expect(
      seen.some(
        ([event, detail]) =>
          (event === 'delete' && detail === 'channels/c1') ||
          (event === 'clear' && detail.startsWith('channels')),
      ),
    ).toBe(true);
    expect(disposed).toContain('delete:guilds/g1');

    const players = cache.define('player', { max: 1 });
    await players.set('p1', { tag: 'p1' });
    await players.set('p2', { tag: 'p2' });
    await tick();
    expect(seen).toContainEqual(['set', 'player/p2']);
    expect(seen).toContainEqual(['evict', 'player/p1']);
    await cache.close();
  });

  it('cost nothing until someone listens: the store has no change listener before, and none after off()', async () => {
    const cache = createCache();
    const count = () =>
      ['set', 'delete', 'clear', 'evict', 'expire'].reduce(
        (n, e) => n + (cache.store as MemoryStore).listenerCount(e),
        0,
      );
    expect(count()).toBe(0);
    const listener = () => {};
    cache.on('set', listener);
    expect(count()).toBe(5);
    cache.off('set', listener);
    expect(count()).toBe(0);
    expect(() => cache.on('set', 'nope' as never)).toThrow(TypeError);
    expect(() => createCache({ dispose: 42 as never })).toThrow(/options.dispose must be a function/);
    await cache.close();
  });

  it('load and loadError tell every loader call, with its time and outcome', async () => {
    const cache = createCache({
      fetch: {
        channels: {
          loader: async (id) => {
            if (id === 'down') throw new Error('API is down');
            return id === 'gone' ? undefined : { id };
          },
        },
      },
    });
    const loads: string[] = [];
    const errors: string[] = [];
    cache.on('load', (e) => loads.push(`${e.resource}/${e.key}:${e.outcome}:${e.seconds >= 0}`));
    cache.on('loadError', (e) => errors.push(`${e.resource}/${e.key}:${String(e.error)}`));
    await cache.channels.fetch('c1');
    await expect(cache.channels.fetch('gone')).rejects.toThrow();
    await expect(cache.channels.fetch('down')).rejects.toThrow();
    expect(loads).toEqual([
      'channels/c1:value:true',
      'channels/gone:absent:true',
      'channels/down:error:true',
    ]);
    expect(errors).toEqual(['channels/down:Error: API is down']);
    await cache.close();
  });

  it('a listener that throws on an eviction does not break the write that evicted', async () => {
    const cache = createCache({ limits: { messages: { maxPerChannel: 1 } } });
    cache.on('evict', () => {
      throw new Error('listener bug');
    });
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      await cache.channels.set('c', { id: 'c' });
      await cache.messages.set('a', { id: 'a' }, { channelId: 'c' });
      await cache.messages.set('b', { id: 'b' }, { channelId: 'c' });
      expect(await cache.messages.forChannel('c').count()).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught.map(String)).toEqual(['Error: listener bug']);
    await cache.close();
  });
});

describe('resource events over RedisStore', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("announce this process's writes and deletes", async () => {
    const cache = createCache({ store: new RedisStore({ url: server.url, prefix: 'events' }) });
    const seen: Seen = [];
    record(cache, seen);
    await cache.users.set('u1', { id: 'u1' });
    await cache.members.set('g1', 'u1', { user: { id: 'u1' } });
    await cache.users.set('u2', { id: 'u2' });
    await cache.users.delete('u2');
    await cache.users.delete('nobody');
    expect(seen).toContainEqual(['set', 'users/u1']);
    expect(seen).toContainEqual(['set', 'members/{g1}:u1']);
    expect(seen).toContainEqual(['delete', 'users/u2']);
    expect(seen).not.toContainEqual(['delete', 'users/nobody']);
    await cache.close();
    await cache.store.close();
  });
});
