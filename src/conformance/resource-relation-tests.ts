import { describe, expect, it } from 'vitest';
import { CannotDelete } from '../errors/index.js';
import { collect } from './context.js';
import type { ResourceSuiteContext } from './resource-context.js';

/** Relations kept by the cache: views per parent, cascades, users kept alive by references. */
export function resourceRelationTests(ctx: ResourceSuiteContext): void {
  describe('resource relations', () => {
    it('channels, roles, emojis are listed per guild; an update without guildId keeps the guild', async () => {
      const cache = ctx.cache();
      await cache.channels.set('c1', { id: 'c1' }, { guildId: 'g1' });
      await cache.channels.set('c2', { id: 'c2' }, { guildId: 'g1' });
      await cache.channels.set('c3', { id: 'c3' }, { guildId: 'g2' });
      await cache.channels.set('c1', { id: 'c1', name: 'renamed' });
      expect(await collect(cache.channels.forGuild('g1').keys())).toEqual(['c1', 'c2']);
      await cache.channels.set('c2', { id: 'c2' }, { guildId: 'g2' }); // moved
      expect(await cache.channels.forGuild('g1').count()).toBe(1);
      expect(await cache.channels.forGuild('g2').count()).toBe(2);
      await cache.roles.set('r', { id: 'r' }, { guildId: 'g1' });
      expect(await collect(cache.roles.forGuild('g1'))).toEqual([['r', { id: 'r' }]]);
    });

    it('a voice state changing channel moves between channel views in one write', async () => {
      const cache = ctx.cache();
      await cache.voiceStates.set('g', 'u1', { channel_id: 'v1' }, { channelId: 'v1' });
      await cache.voiceStates.set('g', 'u2', { channel_id: 'v1' }, { channelId: 'v1' });
      await cache.voiceStates.set('g', 'u1', { channel_id: 'v2' }, { channelId: 'v2' });
      expect(await collect(cache.voiceStates.forChannel('v1').keys())).toEqual(['u2']);
      expect(await collect(cache.voiceStates.forChannel('v2'))).toEqual([['u1', { channel_id: 'v2' }]]);
      expect(await cache.voiceStates.forGuild('g').count()).toBe(2);
    });

    it('deleting a guild deletes everything bound to it, and nothing of other guilds', async () => {
      const cache = ctx.cache();
      for (const g of ['g1', 'g2']) {
        await cache.guilds.set(g, { id: g });
        await cache.channels.set(`${g}c`, { id: `${g}c` }, { guildId: g });
        await cache.roles.set(`${g}r`, {}, { guildId: g });
        await cache.emojis.set(`${g}e`, {}, { guildId: g });
        await cache.members.set(g, 'u', {});
        await cache.presences.set(g, 'u', { status: 'online' });
        await cache.voiceStates.set(g, 'u', {}, { channelId: `${g}c` });
        await cache.invites.set(`${g}i`, {}, { guildId: g, channelId: `${g}c` });
        await cache.messages.set(`${g}m`, {}, { channelId: `${g}c`, authorId: 'u' });
      }
      await cache.messages.set('loose', {}, { channelId: 'uncached', guildId: 'g1' });
      expect(await cache.guilds.delete('g1')).toBe(true);
      expect(await cache.guilds.get('g1')).toBeUndefined();
      for (const [view, left] of [
        [cache.channels.forGuild('g1'), 0],
        [cache.roles.forGuild('g1'), 0],
        [cache.emojis.forGuild('g1'), 0],
        [cache.members.forGuild('g1'), 0],
        [cache.presences.forGuild('g1'), 0],
        [cache.voiceStates.forGuild('g1'), 0],
        [cache.invites.forGuild('g1'), 0],
        [cache.messages.forChannel('g1c'), 0],
        [cache.channels.forGuild('g2'), 1],
        [cache.members.forGuild('g2'), 1],
        [cache.messages.forChannel('g2c'), 1],
      ] as const) {
        expect(await view.count()).toBe(left);
      }
      expect(await cache.messages.get('g1m')).toBeUndefined();
      expect(await cache.messages.get('loose')).toBeUndefined();
      expect(await cache.channels.count()).toBe(1);
      expect(await cache.messages.count()).toBe(1);
      expect(await cache.invites.count()).toBe(1);
    });

    it('deleting a channel deletes its messages, invites and voice states', async () => {
      const cache = ctx.cache();
      await cache.channels.set('c', {}, { guildId: 'g' });
      await cache.messages.set('m1', {}, { channelId: 'c' });
      await cache.messages.set('m2', {}, { channelId: 'other' });
      await cache.invites.set('i', {}, { channelId: 'c' });
      await cache.voiceStates.set('g', 'u', {}, { channelId: 'c' });
      expect(await cache.channels.delete('c')).toBe(true);
      expect(await cache.messages.getMany(['m1', 'm2'])).toEqual([undefined, {}]);
      expect(await cache.invites.get('i')).toBeUndefined();
      expect(await cache.voiceStates.get('g', 'u')).toBeUndefined();
    });

    it('a view clear cascades like deletes: clearing a guild’s channels clears their messages', async () => {
      const cache = ctx.cache();
      await cache.channels.set('c', {}, { guildId: 'g' });
      await cache.messages.set('m', {}, { channelId: 'c' });
      await cache.channels.forGuild('g').clear();
      expect(await cache.channels.get('c')).toBeUndefined();
      expect(await cache.messages.get('m')).toBeUndefined();
    });

    it('a referenced user cannot be deleted without cascade; with cascade its references go too', async () => {
      const cache = ctx.cache();
      await cache.users.set('u', { id: 'u' });
      await cache.members.set('g', 'u', {});
      await cache.messages.set('m', {}, { channelId: 'c', authorId: 'u' });
      const refused = await cache.users.delete('u').catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(CannotDelete);
      expect((refused as CannotDelete).key).toBe('u');
      expect(await cache.users.get('u')).toEqual({ id: 'u' });
      expect(await cache.users.delete('u', { cascade: true })).toBe(true);
      expect(await cache.users.get('u')).toBeUndefined();
      expect(await cache.members.get('g', 'u')).toBeUndefined();
      expect(await cache.messages.get('m')).toBeUndefined();
      expect(await cache.users.delete('nobody')).toBe(false);
    });

    it('a user referenced by a member does not expire; once released it gets the users TTL', async () => {
      const cache = ctx.cache({ limits: { users: { ttl: 150 } } });
      await cache.users.set('free', { id: 'free' });
      await cache.members.set('g', 'kept', {});
      await cache.users.set('kept', { id: 'kept' });
      await cache.users.set('late', { id: 'late' });
      await cache.members.set('g', 'late', {}); // a member arriving after the user pins it too
      await ctx.waitPast(150);
      expect(await cache.users.get('free')).toBeUndefined();
      expect(await cache.users.get('kept')).toEqual({ id: 'kept' });
      expect(await cache.users.get('late')).toEqual({ id: 'late' });
      await cache.members.delete('g', 'kept');
      await cache.guilds.delete('g'); // releases 'late' through the cascade
      expect(await cache.users.get('kept')).toEqual({ id: 'kept' });
      await ctx.waitPast(150);
      expect(await cache.users.get('kept')).toBeUndefined();
      expect(await cache.users.get('late')).toBeUndefined();
    });

    it('a user with memberships in two guilds stays pinned until the last one goes', async () => {
      const cache = ctx.cache({ limits: { users: { ttl: 120 } } });
      await cache.members.set('g1', 'u', {});
      await cache.members.set('g2', 'u', {});
      await cache.users.set('u', { id: 'u' });
      await cache.members.delete('g1', 'u');
      await ctx.waitPast(120);
      expect(await cache.users.get('u')).toEqual({ id: 'u' });
      await cache.members.forGuild('g2').clear();
      await ctx.waitPast(120);
      expect(await cache.users.get('u')).toBeUndefined();
    });

    it('a message keeps its author alive for the message TTL plus the users TTL', async () => {
      const cache = ctx.cache({ limits: { users: { ttl: 100 }, messages: { ttl: 300 } } });
      await cache.users.set('author', { id: 'author' });
      await cache.messages.set('m', {}, { channelId: 'c', authorId: 'author' });
      await ctx.waitPast(150);
      expect(await cache.users.get('author')).toEqual({ id: 'author' });
      expect(await cache.messages.forAuthor('author').count()).toBe(1);
      await ctx.waitPast(300);
      expect(await cache.messages.get('m')).toBeUndefined();
      expect(await cache.users.get('author')).toBeUndefined();
    });
  });
}
