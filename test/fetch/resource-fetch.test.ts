import { describe, expect, it } from 'vitest';
import { EntryNotFound } from '../../src/errors/index.js';
import { createCache, type LoadContext } from '../../src/index.js';

describe('fetch on resource caches', () => {
  it('loads a channel once, writes it with its guild relation, then answers from the cache', async () => {
    let calls = 0;
    const cache = createCache({
      fetch: {
        channels: {
          loader: async (id: string) => {
            calls++;
            return { id, name: 'general', guild_id: 'g1' };
          },
        },
      },
    });
    const [a, b] = await Promise.all([cache.channels.fetch('c1'), cache.channels.fetch('c1')]);
    expect(a).toEqual({ id: 'c1', name: 'general', guild_id: 'g1' });
    expect(b).toEqual(a);
    expect(await cache.channels.fetch('c1')).toEqual(a);
    expect(calls).toBe(1);
    expect(await cache.channels.forGuild('g1').count()).toBe(1);
    expect(cache.channels.fetchStats()).toMatchObject({ loads: 1, hits: 1, coalesced: 1 });
    // the loaded channel follows the guild's cascade like any other
    await cache.guilds.set('g1', { id: 'g1' });
    await cache.guilds.delete('g1');
    expect(await cache.channels.get('c1')).toBeUndefined();
    await cache.close();
  });

  it('members fetch with (guildId, userId), keeping the member bound to its guild', async () => {
    const seen: [string, string][] = [];
    const cache = createCache();
    cache.members.setLoader(async (guildId, userId, _context: LoadContext) => {
      seen.push([guildId, userId]);
      return { user: { id: userId }, nick: 'neo' };
    });
    expect(await cache.members.fetch('g', 'u')).toEqual({ user: { id: 'u' }, nick: 'neo' });
    expect(await cache.members.fetch('g', 'u')).toEqual({ user: { id: 'u' }, nick: 'neo' });
    expect(seen).toEqual([['g', 'u']]);
    expect(await cache.members.forGuild('g').count()).toBe(1);
    await cache.close();
  });

  it('a missing entity rejects with EntryNotFound and is not asked again within the negative ttl', async () => {
    let calls = 0;
    const cache = createCache({
      fetch: {
        roles: {
          negativeTtl: '1m',
          loader: async () => {
            calls++;
            return undefined;
          },
        },
      },
    });
    await expect(cache.roles.fetch('nope')).rejects.toThrow(EntryNotFound);
    await expect(cache.roles.fetch('nope')).rejects.toThrow(EntryNotFound);
    expect(calls).toBe(1);
    expect(await cache.roles.count()).toBe(0);
    await cache.close();
  });

  it('a per-call loader overrides the configured one, and a resource without any loader says so', async () => {
    const cache = createCache();
    await expect(cache.guilds.fetch('g')).rejects.toThrow(/guilds has no loader/);
    expect(await cache.guilds.fetch('g', { loader: async (id) => ({ id, name: 'x' }) })).toEqual({
      id: 'g',
      name: 'x',
    });
    await cache.close();
  });

  it('a loaded message is linked to the channel and author its payload names', async () => {
    const cache = createCache({
      fetch: {
        messages: { loader: async (id) => ({ id, channel_id: 'c', author: { id: 'u' }, content: 'hi' }) },
      },
    });
    await cache.messages.fetch('m');
    expect(await cache.messages.forChannel('c').count()).toBe(1);
    const badCache = createCache({
      fetch: { messages: { loader: async (id) => ({ id, content: 'no channel' }) } },
    });
    await expect(badCache.messages.fetch('m')).rejects.toThrow(/channel_id/);
    await cache.close();
    await badCache.close();
  });

  it('user-defined groups fetch too (coc.py groups)', async () => {
    const cache = createCache();
    const players = cache.define<{ tag: string; trophies: number }>('player', { max: 1024, ttl: '1h' });
    let calls = 0;
    players.setLoader(async (tag) => {
      calls++;
      return { tag, trophies: 5000 };
    });
    await players.fetch('#PY2');
    await players.fetch('#PY2');
    expect(calls).toBe(1);
    await cache.close();
  });

  it('me fetches the bot user', async () => {
    const cache = createCache({
      fetch: { me: { loader: async () => ({ id: 'bot', username: 'botcache' }) } },
    });
    expect(await cache.me.fetch()).toEqual({ id: 'bot', username: 'botcache' });
    expect(await cache.me.get()).toEqual({ id: 'bot', username: 'botcache' });
    await cache.close();
  });

  it('refuses fetch options for unknown resources', () => {
    expect(() => createCache({ fetch: { widgets: {} } as never })).toThrow(/options\.fetch\.widgets/);
  });
});
