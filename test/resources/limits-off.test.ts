/**
 * Turning limits off: `Infinity` is the one way for every resource (ttl, max, maxPerChannel), leaving a
 * field out keeps its default, and an explicit `undefined` where a default exists is refused instead of
 * silently meaning the default.
 */
import { describe, expect, it } from 'vitest';
import { createCache } from '../../src/resources/index.js';

describe('limits: turning expiry and caps off', () => {
  it('maxPerChannel: Infinity keeps every message of a channel', async () => {
    const cache = createCache({ limits: { messages: { maxPerChannel: Infinity } } });
    for (let i = 0; i < 1200; i++)
      await cache.messages.set(String(1000 + i), { id: String(1000 + i) }, { channelId: '7' });
    expect(await cache.messages.forChannel('7').count()).toBe(1200);
    expect(cache.store.limitsOf(cache.messages.ns).maxPerParent).toBeUndefined();
    await cache.close();
  });

  it('the default cap is 1000 per channel when the field is left out', async () => {
    const cache = createCache({ limits: { messages: { ttl: Infinity } } });
    for (let i = 0; i < 1005; i++)
      await cache.messages.set(String(1000 + i), { id: String(1000 + i) }, { channelId: '7' });
    expect(await cache.messages.forChannel('7').count()).toBe(1000);
    const entry = await cache.store.getEntry(cache.messages.ns, '2004');
    expect(entry?.expiresAt).toBeUndefined();
    await cache.close();
  });

  it('ttl: Infinity turns expiry off for users and invites', async () => {
    const cache = createCache({ limits: { users: { ttl: Infinity }, invites: { ttl: Infinity } } });
    await cache.users.set('1', { id: '1' });
    expect((await cache.store.getEntry(cache.users.ns, '1'))?.expiresAt).toBeUndefined();
    const withDefault = createCache();
    await withDefault.users.set('1', { id: '1' });
    expect((await withDefault.store.getEntry(withDefault.users.ns, '1'))?.expiresAt).toBeTypeOf('number');
    await cache.close();
    await withDefault.close();
  });

  it('max: Infinity is unbounded, for resources and groups', async () => {
    const cache = createCache({ limits: { guilds: { max: Infinity } } });
    expect(cache.store.limitsOf(cache.guilds.ns).max).toBeUndefined();
    const group = cache.define('player', { max: Infinity, ttl: Infinity });
    for (let i = 0; i < 50; i++) await group.set(`p${i}`, { i });
    expect(await group.count()).toBe(50);
    await cache.close();
  });

  it('an explicit undefined where a default exists is a RangeError naming the field', () => {
    expect(() => createCache({ limits: { messages: { maxPerChannel: undefined } } })).toThrow(
      /limits\.messages\.maxPerChannel is undefined.*default \(1000\).*Infinity/,
    );
    expect(() => createCache({ limits: { users: { ttl: undefined } } })).toThrow(
      /limits\.users\.ttl is undefined/,
    );
    // No default to mistake it for: undefined is the same as leaving it out.
    expect(() => createCache({ limits: { guilds: { max: undefined } } })).not.toThrow();
  });

  it('other values are still refused with the way to turn the cap off', () => {
    expect(() => createCache({ limits: { messages: { maxPerChannel: 0 } } })).toThrow(/Infinity for no cap/);
    expect(() => createCache({ limits: { messages: { maxPerChannel: 2.5 } } })).toThrow(RangeError);
  });
});
