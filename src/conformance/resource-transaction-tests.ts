import { describe, expect, it } from 'vitest';
import { CannotDelete } from '../errors/index.js';
import { collect } from './context.js';
import type { ResourceSuiteContext } from './resource-context.js';

/** `cache.transaction`: many writes, one batch, all or nothing. */
export function resourceTransactionTests(ctx: ResourceSuiteContext): void {
  describe('resource transactions', () => {
    it('a GUILD_CREATE-like transaction writes the guild and its entities together', async () => {
      const cache = ctx.cache({ limits: { users: { ttl: 100 } } });
      await cache.transaction((tx) => {
        tx.guilds.set('g', { id: 'g' });
        tx.channels.set('c', { id: 'c' }, { guildId: 'g' });
        tx.roles.set('r', { id: 'r' }, { guildId: 'g' });
        for (const u of ['u1', 'u2']) {
          tx.users.set(u, { id: u });
          tx.members.set('g', u, { user: { id: u } });
          tx.presences.set('g', u, { status: 'idle' });
        }
        tx.voiceStates.set('g', 'u1', {}, { channelId: 'c' });
        tx.me.set({ id: 'bot' });
      });
      expect(await cache.guilds.get('g')).toEqual({ id: 'g' });
      expect(await collect(cache.members.forGuild('g').keys())).toEqual(['u1', 'u2']);
      expect(await cache.presences.forGuild('g').count()).toBe(2);
      expect(await cache.voiceStates.forChannel('c').count()).toBe(1);
      expect(await cache.me.get()).toEqual({ id: 'bot' });
      await ctx.waitPast(100);
      expect(await cache.users.get('u1')).toEqual({ id: 'u1' }); // pinned by its member, written in the same batch
    });

    it('an invalid write rejects the whole transaction; nothing is applied', async () => {
      const cache = ctx.cache();
      await expect(
        cache.transaction((tx) => {
          tx.guilds.set('g', { id: 'g' });
          tx.members.set('g', '', {});
        }),
      ).rejects.toThrow(/userId/);
      expect(await cache.guilds.get('g')).toBeUndefined();
    });

    it('a refused user delete rejects the whole transaction', async () => {
      const cache = ctx.cache();
      await cache.members.set('g', 'u', {});
      await cache.users.set('u', {});
      await expect(
        cache.transaction((tx) => {
          tx.guilds.set('g', {});
          tx.users.delete('u');
        }),
      ).rejects.toThrow(CannotDelete);
      expect(await cache.guilds.get('g')).toBeUndefined();
      expect(await cache.users.get('u')).toEqual({});
    });

    it('deletes and cascades inside a transaction', async () => {
      const cache = ctx.cache();
      await cache.guilds.set('g', {});
      await cache.channels.set('c', {}, { guildId: 'g' });
      await cache.messages.set('m', {}, { channelId: 'c' });
      await cache.transaction((tx) => {
        tx.guilds.delete('g');
        tx.guilds.set('h', {});
      });
      expect(await cache.channels.count()).toBe(0);
      expect(await cache.messages.count()).toBe(0);
      expect(await cache.guilds.get('h')).toEqual({});
    });
  });
}
