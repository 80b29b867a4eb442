import { describe, expect, it } from 'vitest';
import { ClosedClient } from '../errors/index.js';
import { collect } from './context.js';
import type { ResourceSuiteContext } from './resource-context.js';

/** The method pattern every resource cache offers: get, getMany, set, patch, delete, clear, count, iterate. */
export function resourceBasicTests(ctx: ResourceSuiteContext): void {
  describe('resource method pattern', () => {
    it('get misses, set resolves to the previous value, get hits', async () => {
      const cache = ctx.cache();
      expect(await cache.guilds.get('g1')).toBeUndefined();
      expect(await cache.guilds.set('g1', { id: 'g1', name: 'one' })).toBeUndefined();
      expect(await cache.guilds.set('g1', { id: 'g1', name: 'uno' })).toEqual({ id: 'g1', name: 'one' });
      expect(await cache.guilds.get('g1')).toEqual({ id: 'g1', name: 'uno' });
    });

    it('getMany keeps the order of ids with undefined for misses', async () => {
      const cache = ctx.cache();
      await cache.roles.set('r1', { id: 'r1' }, { guildId: 'g' });
      await cache.roles.set('r3', { id: 'r3' }, { guildId: 'g' });
      expect(await cache.roles.getMany(['r3', 'r2', 'r1'])).toEqual([{ id: 'r3' }, undefined, { id: 'r1' }]);
      expect(await cache.members.getMany('g', [])).toEqual([]);
    });

    it('patch merges shallowly into a cached value and does nothing on a miss', async () => {
      const cache = ctx.cache();
      expect(await cache.messages.patch('m1', { content: 'x' })).toBeUndefined();
      expect(await cache.messages.get('m1')).toBeUndefined();
      await cache.messages.set('m1', { id: 'm1', content: 'hi', pinned: false }, { channelId: 'c' });
      expect(await cache.messages.patch('m1', { content: 'edited' })).toEqual({
        id: 'm1',
        content: 'edited',
        pinned: false,
      });
      expect(await cache.messages.get('m1')).toEqual({ id: 'm1', content: 'edited', pinned: false });
      expect(await cache.messages.forChannel('c').count()).toBe(1); // links kept
    });

    it('delete resolves to whether the entry was cached', async () => {
      const cache = ctx.cache();
      await cache.emojis.set('e', { id: 'e' }, { guildId: 'g' });
      expect(await cache.emojis.delete('e')).toBe(true);
      expect(await cache.emojis.delete('e')).toBe(false);
      expect(await cache.emojis.forGuild('g').count()).toBe(0);
    });

    it('count, iteration and clear of a whole resource', async () => {
      const cache = ctx.cache();
      for (const id of ['a', 'b', 'c']) await cache.guilds.set(id, { id });
      expect(await cache.guilds.count()).toBe(3);
      const seen = await collect(cache.guilds);
      expect(seen.map(([id]) => id).sort()).toEqual(['a', 'b', 'c']);
      expect(seen.every(([id, value]) => value.id === id)).toBe(true);
      expect((await collect(cache.guilds.keys())).sort()).toEqual(['a', 'b', 'c']);
      expect(await cache.guilds.count()).toBe(3); // counting and iterating consume nothing
      await cache.guilds.clear();
      expect(await cache.guilds.count()).toBe(0);
    });

    it('(guild, user) resources: keys, views and whole iteration', async () => {
      const cache = ctx.cache();
      await cache.members.set('g1', 'u1', { nick: 'a' });
      await cache.members.set('g1', 'u2', { nick: 'b' });
      await cache.members.set('g2', 'u1', { nick: 'c' });
      expect(await cache.members.get('g1', 'u2')).toEqual({ nick: 'b' });
      expect(await cache.members.get('g2', 'u2')).toBeUndefined();
      expect(await collect(cache.members.forGuild('g1'))).toEqual([
        ['u1', { nick: 'a' }],
        ['u2', { nick: 'b' }],
      ]);
      expect(await collect(cache.members.forGuild('g1').keys())).toEqual(['u1', 'u2']);
      const all = await collect(cache.members);
      expect(all.map(([[g, u]]) => `${g}/${u}`).sort()).toEqual(['g1/u1', 'g1/u2', 'g2/u1']);
      expect(await cache.members.patch('g2', 'u1', { deaf: true })).toEqual({ nick: 'c', deaf: true });
      expect(await cache.members.delete('g1', 'u1')).toBe(true);
      expect(await cache.members.forGuild('g1').count()).toBe(1);
      expect(await collect(cache.members.forUser('u1').keys())).toEqual(['g2']);
    });

    it('me is a single entry', async () => {
      const cache = ctx.cache();
      expect(await cache.me.get()).toBeUndefined();
      expect(await cache.me.set({ id: 'bot', username: 'b' })).toBeUndefined();
      expect(await cache.me.patch({ username: 'c' })).toEqual({ id: 'bot', username: 'c' });
      expect(await cache.me.get()).toEqual({ id: 'bot', username: 'c' });
      expect(await cache.me.delete()).toBe(true);
      expect(await cache.me.get()).toBeUndefined();
    });

    it('a returned value cannot change the cache, nor can the written object', async () => {
      const cache = ctx.cache();
      const written = { id: 'c', name: 'general', tags: ['a'] };
      await cache.channels.set('c', written, { guildId: 'g' });
      written.name = 'changed';
      written.tags.push('b');
      const read = (await cache.channels.get('c')) as { name: string; tags: string[] };
      try {
        read.name = 'mutated';
        read.tags.push('x');
      } catch {
        // frozen: mutation is refused, which is fine too
      }
      expect(await cache.channels.get('c')).toEqual({ id: 'c', name: 'general', tags: ['a'] });
    });

    it('caches with different namespace prefixes over one store do not see each other', async () => {
      const one = ctx.cache();
      const two = ctx.cache();
      await one.guilds.set('g', { n: 1 });
      expect(await two.guilds.get('g')).toBeUndefined();
      expect(await two.guilds.count()).toBe(0);
    });

    it('bad arguments are TypeError/RangeError naming the argument, before anything is written', async () => {
      const cache = ctx.cache();
      await expect(cache.guilds.get(42 as unknown as string)).rejects.toThrow(TypeError);
      await expect(cache.guilds.get('')).rejects.toThrow(/id must not be empty/);
      await expect(cache.guilds.set('g', null as never)).rejects.toThrow(/value/);
      await expect(cache.members.get('{g}', 'u')).rejects.toThrow(/guildId/);
      await expect(cache.channels.set('c', {}, { guildId: 7 as unknown as string })).rejects.toThrow(
        /relations\.guildId/,
      );
      await expect(cache.messages.set('m', {}, undefined as never)).rejects.toThrow(/relations/);
      await expect(cache.messages.set('m', {}, { channelId: '' })).rejects.toThrow(/relations\.channelId/);
      await expect(cache.invites.set('i', {}, { expiresAt: 'tomorrow' })).rejects.toThrow(RangeError);
      await expect(cache.guilds.getMany('g' as unknown as string[])).rejects.toThrow(/ids/);
      await expect(cache.guilds.patch('g', 3 as never)).rejects.toThrow(/partial/);
      expect(await cache.messages.count()).toBe(0);
      expect(await cache.invites.count()).toBe(0);
    });

    it('a closed cache rejects with ClosedClient', async () => {
      const cache = ctx.cache();
      await cache.close();
      await expect(cache.guilds.get('g')).rejects.toThrow(ClosedClient);
      await expect(cache.members.set('g', 'u', {})).rejects.toThrow(ClosedClient);
      await expect(cache.transaction(() => {})).rejects.toThrow(ClosedClient);
      expect(ctx.store().closed).toBe(false); // a store given to createCache stays open
    });
  });
}
