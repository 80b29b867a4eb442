import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type BotCache, createCache } from '../../src/resources/create-cache.js';
import { BY_GUILD } from '../../src/resources/resource-names.js';
import { verifyCache } from '../../src/resources/verify-cache.js';
import { RedisStore } from '../../src/store/redis/index.js';
import { KeyLayout } from '../../src/store/redis/key-layout.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';

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

describe('verifyCache over Redis only reads, and reports every disagreement it sees (issue 17, item 13)', () => {
  let server: RedisServer;
  beforeAll(async () => {
    // A read-only ACL user: any write or script (EVALSHA, ZREM) would fail with NOPERM.
    server = await startRedis({
      args: ['--user', 'auditor', 'on', '>audit-pw', '~*', '+@read', '+@connection'],
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('finds a planted dangling index member and an entity dropped from the registry, and changes neither', async () => {
    // users with a max keep a registry (lru eviction needs it): an entry it lost is reported.
    const limits = { users: { max: 1000 } };
    const writer = createCache({ store: new RedisStore({ url: server.url, prefix: 'vc' }), limits });
    await writer.guilds.set('g1', { id: 'g1', name: 'one' });
    await writer.users.set('u1', { id: 'u1' });
    await writer.members.set('g1', 'u1', { user: { id: 'u1' } });
    await writer.users.set('u2', { id: 'u2' });
    const layout = new KeyLayout('vc');
    const index = layout.index(writer.members.ns, { by: BY_GUILD, parent: 'g1' });
    await server.cli('ZADD', index, '1', '{g1}:ghost'); // a member with no entry
    await server.cli('ZREM', layout.registry(writer.users.ns), 'u2'); // an entity the registry lost

    const auditor = createCache({
      store: new RedisStore({ url: server.url, prefix: 'vc', username: 'auditor', password: 'audit-pw' }),
      limits,
    });
    const violations = await verifyCache(auditor);
    expect(violations.map((v) => [v.kind, v.key])).toEqual(
      expect.arrayContaining([
        ['dangling-index-member', '{g1}:ghost'],
        ['not-registered', 'u2'],
      ]),
    );
    // Nothing was pruned: a second run sees the same, and the planted member is still there.
    expect((await verifyCache(auditor)).length).toBe(violations.length);
    expect((await server.cli('ZSCORE', index, '{g1}:ghost')).trim()).toBe('1');
    await Promise.all([writer.close(), auditor.close()]);
  });

  it('without a registry sees every stored entity: one written half-way (a value, no index) is reported and counted', async () => {
    const writer = createCache({ store: new RedisStore({ url: server.url, prefix: 'vs' }) });
    await writer.guilds.set('g1', { id: 'g1', name: 'one' });
    await writer.users.set('u1', { id: 'u1' });
    await writer.members.set('g1', 'u1', { user: { id: 'u1' } });
    const layout = new KeyLayout('vs');
    // What a write that failed after its entry (before its index) would leave: a bare value.
    await server.cli('SET', layout.value(writer.members.ns, '{g1}:u7'), '{"v":1,"d":{"user":{"id":"u7"}}}');
    expect(Number(await server.cli('EXISTS', layout.registry(writer.members.ns)))).toBe(0);

    const auditor = createCache({
      store: new RedisStore({ url: server.url, prefix: 'vs', username: 'auditor', password: 'audit-pw' }),
    });
    const violations = await verifyCache(auditor, { references: false });
    expect(violations.filter((v) => v.kind === 'not-registered')).toEqual([]);
    expect(violations.filter((v) => v.key === '{g1}:u7').map((v) => v.kind)).toContain('not-indexed');
    expect(violations.filter((v) => v.key !== '{g1}:u7')).toEqual([]);
    // count() walks the same values, so it counts the half-written entity too.
    expect(await writer.store.count(writer.members.ns)).toBe(2);
    await Promise.all([writer.close(), auditor.close()]);
  });
});
