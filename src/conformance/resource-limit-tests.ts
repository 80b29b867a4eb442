import { describe, expect, it } from 'vitest';
import { createCache } from '../resources/create-cache.js';
import { collect } from './context.js';
import type { ResourceSuiteContext } from './resource-context.js';

/** Limits and expiry per resource and per user-defined group; limit validation. */
export function resourceLimitTests(ctx: ResourceSuiteContext): void {
  describe('resource limits', () => {
    it('messages are capped per channel, oldest dropped first', async () => {
      const cache = ctx.cache({ limits: { messages: { maxPerChannel: 3 } } });
      for (let i = 1; i <= 5; i++) await cache.messages.set(`m${i}`, { i }, { channelId: 'c' });
      await cache.messages.set('other', {}, { channelId: 'd' });
      expect(await collect(cache.messages.forChannel('c').keys())).toEqual(['m3', 'm4', 'm5']);
      expect(await cache.messages.get('m1')).toBeUndefined();
      expect(await cache.messages.forChannel('d').count()).toBe(1);
    });

    it('messages expire after their TTL (duration strings accepted)', async () => {
      const cache = ctx.cache({ limits: { messages: { ttl: '120ms' } } });
      await cache.messages.set('m', {}, { channelId: 'c' });
      expect(await cache.messages.get('m')).toEqual({});
      await ctx.waitPast(120);
      expect(await cache.messages.get('m')).toBeUndefined();
      expect(await cache.messages.forChannel('c').count()).toBe(0);
    });

    it('a patch keeps the entry’s expiry', async () => {
      const cache = ctx.cache({ limits: { messages: { ttl: 150 } } });
      await cache.messages.set('m', { a: 1 }, { channelId: 'c' });
      await cache.messages.patch('m', { a: 2 });
      await ctx.waitPast(150);
      expect(await cache.messages.get('m')).toBeUndefined();
    });

    it('invites expire at expiresAt; an expiry already past writes nothing', async () => {
      const cache = ctx.cache();
      await cache.invites.set('soon', {}, { guildId: 'g', expiresAt: Date.now() + 120 });
      await cache.invites.set(
        'iso',
        {},
        { guildId: 'g', expiresAt: new Date(Date.now() + 60_000).toISOString() },
      );
      await cache.invites.set('past', {}, { guildId: 'g', expiresAt: Date.now() - 1000 });
      expect(await cache.invites.get('past')).toBeUndefined();
      expect(await cache.invites.forGuild('g').count()).toBe(2);
      await ctx.waitPast(120);
      expect(await collect(cache.invites.forGuild('g').keys())).toEqual(['iso']);
    });

    it('max entries per resource, with lru or fifo', async () => {
      const lru = ctx.cache({ limits: { guilds: { max: 2 } } });
      await lru.guilds.set('a', {});
      await lru.guilds.set('b', {});
      await lru.guilds.get('a');
      await lru.guilds.set('c', {});
      expect((await collect(lru.guilds.keys())).sort()).toEqual(['a', 'c']);
      const fifo = ctx.cache({ limits: { guilds: { max: 2, policy: 'fifo' } } });
      await fifo.guilds.set('a', {});
      await fifo.guilds.set('b', {});
      await fifo.guilds.get('a');
      await fifo.guilds.set('c', {});
      expect((await collect(fifo.guilds.keys())).sort()).toEqual(['b', 'c']);
    });

    it('user-defined groups have their own limits (coc.py groups)', async () => {
      const cache = ctx.cache();
      const players = cache.define<{ tag: string; trophies: number }>('player', { max: 2, ttl: '1h' });
      const wars = cache.define('war', { ttl: 120 });
      const statics = cache.define('static', { ttl: Number.POSITIVE_INFINITY });
      await players.set('#A', { tag: '#A', trophies: 1 });
      await players.set('#B', { tag: '#B', trophies: 2 });
      await players.set('#C', { tag: '#C', trophies: 3 });
      expect(await players.count()).toBe(2);
      expect(await players.patch('#C', { trophies: 4 })).toEqual({ tag: '#C', trophies: 4 });
      await wars.set('w', { state: 'war' });
      await statics.set('leagues', { list: [] });
      await ctx.waitPast(120);
      expect(await wars.get('w')).toBeUndefined();
      expect(await statics.get('leagues')).toEqual({ list: [] });
      expect(cache.define('player', { max: 2, ttl: '1h' })).toBe(players);
      expect(() => cache.define('player', { max: 3 })).toThrow(RangeError);
      expect(() => cache.define('members')).toThrow(/built-in/);
      expect(() => cache.define('bad name')).toThrow(RangeError);
    });

    it('bad limits are RangeErrors naming the option', () => {
      const store = ctx.store();
      const bad: Array<[unknown, RegExp]> = [
        [{ messages: { ttl: 'soon' } }, /limits\.messages\.ttl/],
        [{ messages: { ttl: -5 } }, /limits\.messages\.ttl/],
        [{ users: { max: 0 } }, /limits\.users\.max/],
        [{ members: { max: 1.5 } }, /limits\.members\.max/],
        [{ messages: { maxPerChannel: 0 } }, /limits\.messages\.maxPerChannel/],
        [{ guilds: { maxPerChannel: 5 } }, /limits\.guilds\.maxPerChannel/],
        [{ roles: { policy: 'random' } }, /limits\.roles\.policy/],
        [{ widgets: {} }, /limits\.widgets/],
        [{ guilds: 5 }, /limits\.guilds/],
      ];
      for (const [limits, message] of bad) {
        expect(() => createCache({ store, limits: limits as never })).toThrow(RangeError);
        expect(() => createCache({ store, limits: limits as never })).toThrow(message);
      }
      expect(() => createCache({ store, namespacePrefix: 'has space' })).toThrow(/namespacePrefix/);
    });
  });
}
