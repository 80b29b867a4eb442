/** Synchronous resource reads on memory-backed stores: members.peek(), users.peek()… */
import { describe, expect, it } from 'vitest';
import { ClosedClient } from '../../src/errors/index.js';
import { createCache } from '../../src/resources/index.js';
import { RedisStore } from '../../src/store/redis/index.js';

describe('peek', () => {
  it('answers synchronously what get answers, on a MemoryStore', async () => {
    const cache = createCache();
    await cache.users.set('1', { id: '1', username: 'a' });
    await cache.members.set('g', '1', { user: { id: '1', username: 'a' }, roles: [] });
    expect(cache.users.peek('1')).toEqual(await cache.users.get('1'));
    expect(cache.members.peek('g', '1')).toEqual(await cache.members.get('g', '1'));
    expect(cache.members.peek('g', '2')).toBeUndefined();
    expect(cache.users.peek('2')).toBeUndefined();
    await cache.members.delete('g', '1');
    expect(cache.members.peek('g', '1')).toBeUndefined();
    expect(() => cache.members.peek('g{', '1')).toThrow(RangeError);
    await cache.close();
    expect(() => cache.users.peek('1')).toThrow(ClosedClient);
  });

  it('refuses with a TypeError on a store that cannot answer synchronously, without touching it', async () => {
    const store = new RedisStore({ url: 'redis://127.0.0.1:1' });
    const cache = createCache({ store });
    expect(() => cache.members.peek('g', '1')).toThrow(/needs a memory-backed store.*redis/);
    expect(() => cache.users.peek('1')).toThrow(TypeError);
    await store.close();
  });

  it('get rejects (never throws) on a bad id', async () => {
    const cache = createCache();
    // A synchronous throw here would escape the expect below.
    const rejected = cache.members.get('g{', '1');
    await expect(rejected).rejects.toThrow(RangeError);
    await expect(cache.users.get('')).rejects.toThrow(RangeError);
    await cache.close();
    await expect(cache.users.get('1')).rejects.toThrow(ClosedClient);
  });
});
