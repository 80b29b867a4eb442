import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BotCache, createCache } from '../../src/resources/create-cache.js';
import { verifyCache } from '../../src/resources/verify-cache.js';

let cache: BotCache;

beforeEach(async () => {
  cache = createCache();
  await cache.guilds.set('g1', { id: 'g1', name: 'one' });
  await cache.channels.set('c1', { id: 'c1', guild_id: 'g1' }, { guildId: 'g1' });
  await cache.roles.set('r1', { id: 'r1', guild_id: 'g1' }, { guildId: 'g1' });
  await cache.users.set('u1', { id: 'u1', username: 'ann' });
  await cache.members.set('g1', 'u1', { user: { id: 'u1' }, roles: ['r1'] });
  await cache.messages.set(
    'm1',
    { id: 'm1', channel_id: 'c1', guild_id: 'g1', author: { id: 'u1' } },
    { channelId: 'c1', authorId: 'u1', guildId: 'g1' },
  );
  await cache.voiceStates.set('g1', 'u1', { channel_id: 'c1' }, { channelId: 'c1' });
});

afterEach(async () => {
  await cache.close();
});

describe('verifyCache', () => {
  it('finds nothing wrong in a cache written through the resource API, or after cascades', async () => {
    expect(await verifyCache(cache)).toEqual([]);
    await cache.channels.delete('c1');
    expect(await verifyCache(cache)).toEqual([]);
    await cache.guilds.delete('g1');
    expect(await verifyCache(cache)).toEqual([]);
  });

  it('reports an entity missing from its guild and user indexes', async () => {
    await cache.store.set(cache.members.ns, '{g1}:u2', { user: { id: 'u2' } }, { indexes: [] });
    const violations = await verifyCache(cache);
    expect(violations.map((v) => [v.kind, v.key])).toEqual(
      expect.arrayContaining([
        ['not-indexed', '{g1}:u2'],
        ['not-indexed', '{g1}:u2'],
      ]),
    );
    expect(violations.filter((v) => v.key === '{g1}:u2')).toHaveLength(2);
  });

  it('reports an entry indexed under the wrong parent', async () => {
    await cache.store.link(cache.members.ns, { by: 'guild', parent: 'g2' }, ['{g1}:u1']);
    await cache.guilds.set('g2', { id: 'g2' });
    const violations = await verifyCache(cache);
    expect(violations).toContainEqual(
      expect.objectContaining({ kind: 'index-link-mismatch', key: '{g1}:u1' }),
    );
  });

  it('reports a channel whose payload names a guild it is not indexed under', async () => {
    await cache.store.set(cache.channels.ns, 'c2', { id: 'c2', guild_id: 'g1' }, { indexes: [] });
    expect(await verifyCache(cache)).toContainEqual(
      expect.objectContaining({ kind: 'not-indexed', key: 'c2' }),
    );
    expect(await verifyCache(cache, { payloadRelations: false })).toEqual([]);
  });

  it('reports a referenced user that expires before its member', async () => {
    await cache.store.set(cache.users.ns, 'u1', { id: 'u1' }, { ttl: 60_000 });
    expect(await verifyCache(cache)).toContainEqual(
      expect.objectContaining({ kind: 'reference-outlived', key: 'u1' }),
    );
  });

  it('reports a (guild, user) key of the wrong shape', async () => {
    await cache.store.set(cache.presences.ns, 'no-braces', { status: 'online' });
    expect(await verifyCache(cache)).toContainEqual(
      expect.objectContaining({ kind: 'malformed-key', key: 'no-braces' }),
    );
  });
});
