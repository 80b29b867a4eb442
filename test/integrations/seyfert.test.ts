/**
 * A real Seyfert 5 Client on the local fake gateway, its cache in botcache (memory, Redis, Redis
 * Cluster, SQLite, tiered)
 * through seyfertAdapter, against Seyfert's own MemoryAdapter for the same stream: GUILD_CREATE with
 * members, channels, roles, presences and a voice state, then messages, an edit, member joins and
 * leaves, a new channel, a deleted role, a voice leave. Read through Seyfert's cache API.
 */
import { type Adapter, type Client, MemoryAdapter } from 'seyfert';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seyfertAdapter } from '../../src/platforms/discord/index.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { RedisStore } from '../../src/store/redis/index.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import { TieredStore } from '../../src/store/tiered/index.js';
import type { Store } from '../../src/store/types.js';
import {
  guildCreate,
  guildIds,
  member,
  message,
  snowflake,
  textChannel,
  user,
} from '../support/discord/index.js';
import {
  type RedisClusterHandle,
  type RedisServer,
  startRedis,
  startRedisCluster,
} from '../support/redis-server.js';
import { startSeyfert, until } from './seyfert-client.js';
import { startTlsFakeDiscord } from './seyfert-fake-discord.js';

const BOT = user(snowflake(9, 11), 'seyfert-bot');
const SHAPE = { id: snowflake(5, 41), members: 60, withPresence: 6 };
const G = SHAPE.id;
const ids = guildIds(SHAPE);
const M1 = snowflake(6, 1);
const NEW_CHANNEL = snowflake(2, 999_999);
const newcomer = user(snowflake(1, 777_777), 'newcomer');

/** What Seyfert's cache API answers after the stream, normalised for comparison (sorted, JSON). */
async function snapshot(client: Client): Promise<unknown> {
  const cache = client.cache;
  const byId = (list: readonly unknown[]) =>
    [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const raw = {
    guild: await cache.guilds?.raw(G),
    members: byId((await cache.members?.valuesRaw(G)) ?? []),
    membersEverywhere: await cache.members?.count('*'),
    users: byId((await cache.users?.valuesRaw()) ?? []),
    channels: byId((await cache.channels?.valuesRaw(G)) ?? []),
    roles: byId((await cache.roles?.valuesRaw(G)) ?? []),
    emojis: byId((await cache.emojis?.valuesRaw(G)) ?? []),
    presences: byId((await cache.presences?.values(G)) ?? []),
    voiceStates: byId((await cache.voiceStates?.valuesRaw(G)) ?? []),
    overwrites: await cache.overwrites?.count('*'),
    messages: byId((await cache.messages?.valuesRaw(ids.text(0))) ?? []),
  };
  return JSON.parse(JSON.stringify(raw));
}

/** Each botcache store the stream runs over; undefined: Seyfert's own MemoryAdapter (the reference). */
const BACKENDS: Record<string, (() => Store) | undefined> = {
  'seyfert MemoryAdapter': undefined,
  'botcache MemoryStore': () => new MemoryStore(),
  'botcache RedisStore': () => new RedisStore({ url: redis.url, prefix: 'seyfert-test' }),
  'botcache RedisStore on a Cluster': () =>
    new RedisStore({
      cluster: { rootNodes: cluster.rootNodes.map((node) => node.url) },
      prefix: 'seyfert-test',
    }),
  'botcache SqliteStore': () => new SqliteStore(),
  'botcache TieredStore': () =>
    new TieredStore({
      far: new RedisStore({ url: redis.url, prefix: 'seyfert-tiered' }),
      invalidation: { url: redis.url },
    }),
};
const REFERENCE = 'seyfert MemoryAdapter';
const snapshots = new Map<string, unknown>();

let redis: RedisServer;
let cluster: RedisClusterHandle;
beforeAll(async () => {
  [redis, cluster] = await Promise.all([startRedis(), startRedisCluster({ masters: 3 })]);
});
afterAll(async () => {
  await redis?.stop();
  await cluster?.stop();
});

describe('a real Seyfert Client whose cache is botcache', () => {
  for (const [backend, makeStore] of Object.entries(BACKENDS)) {
    it(`${backend}: caches the gateway stream and answers through Seyfert's cache API`, async () => {
      const fake = await startTlsFakeDiscord({ user: BOT, guilds: [guildCreate(SHAPE)] });
      const store = makeStore?.();
      const adapter: Adapter = store ? seyfertAdapter(store) : new MemoryAdapter();
      const seyfert = await startSeyfert(fake, BOT.id, adapter);
      const cache = seyfert.client.cache;
      try {
        await until(async () => (await cache.members?.count(G)) === SHAPE.members, 'GUILD_CREATE members');
        await until(async () => (await cache.presences?.count(G)) === SHAPE.withPresence, 'presences');

        const author = user(ids.user(1));
        const { user: _omitted, ...authorMember } = member(author);
        fake.gateway.dispatch('MESSAGE_CREATE', {
          ...message(M1, ids.text(0), author, 'hello', G),
          member: authorMember,
        });
        await until(async () => !!(await cache.messages?.raw(M1)), 'MESSAGE_CREATE');
        fake.gateway.dispatch('MESSAGE_UPDATE', {
          id: M1,
          channel_id: ids.text(0),
          guild_id: G,
          author,
          content: 'first edit',
          edited_timestamp: '2024-01-02T00:00:00.000Z',
        });
        await until(async () => (await cache.messages?.raw(M1))?.content === 'first edit', 'MESSAGE_UPDATE');
        expect((await cache.messages?.raw(M1))?.edited_timestamp).toBe('2024-01-02T00:00:00.000Z');
        // A burst of edits: Seyfert handles packets concurrently, each edit is a read-merge-write
        // patch, and the last edit must be the one that stays.
        const edit = (content: string) => ({ id: M1, channel_id: ids.text(0), guild_id: G, author, content });
        for (let i = 0; i < 20; i++) fake.gateway.dispatch('MESSAGE_UPDATE', edit(`burst-${i}`));
        fake.gateway.dispatch('MESSAGE_UPDATE', edit('edited'));
        await until(async () => (await cache.messages?.raw(M1))?.content === 'edited', 'the last edit');
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect((await cache.messages?.raw(M1))?.content).toBe('edited');

        fake.gateway.dispatch('GUILD_MEMBER_ADD', { ...member(newcomer), guild_id: G });
        fake.gateway.dispatch('GUILD_MEMBER_REMOVE', { guild_id: G, user: user(ids.user(0)) });
        fake.gateway.dispatch('CHANNEL_CREATE', textChannel(NEW_CHANNEL, G, 'new-channel'));
        fake.gateway.dispatch('GUILD_ROLE_DELETE', { guild_id: G, role_id: ids.role(1) });
        fake.gateway.dispatch('VOICE_STATE_UPDATE', {
          guild_id: G,
          channel_id: null,
          user_id: ids.user(0),
          session_id: 'gone',
          deaf: false,
          mute: false,
          self_deaf: false,
          self_mute: false,
          self_video: false,
          suppress: false,
          request_to_speak_timestamp: null,
        });
        await until(
          async () =>
            // A miss is undefined or null depending on the resource (Seyfert passes the adapter's null on).
            !!(await cache.members?.raw(newcomer.id, G)) &&
            !(await cache.members?.raw(ids.user(0), G)) &&
            !!(await cache.channels?.raw(NEW_CHANNEL)) &&
            !(await cache.roles?.raw(ids.role(1))) &&
            (await cache.voiceStates?.count(G)) === 0,
          'member, channel, role and voice dispatches',
        );

        // Seyfert's structures built from the cache.
        const got = await cache.members?.get(newcomer.id, G);
        expect(got?.user.username).toBe('newcomer');
        expect(got?.guildId).toBe(G);
        const edited = await cache.messages?.get(M1);
        expect(edited?.content).toBe('edited');
        expect(edited?.author.id).toBe(author.id);
        expect((await cache.messages?.raw(M1))?.timestamp).toBe('2024-01-01T00:00:00.000Z'); // kept by the patch
        expect((await cache.guilds?.get(G))?.name).toBe(`guild-${G}`);
        expect((await cache.channels?.get(NEW_CHANNEL))?.id).toBe(NEW_CHANNEL);
        expect(await cache.channels?.raw(NEW_CHANNEL)).toMatchObject({ name: 'new-channel', guild_id: G });
        expect(await cache.members?.count(G)).toBe(SHAPE.members);
        expect(await cache.users?.raw(BOT.id)).toMatchObject({ username: 'seyfert-bot' });
        snapshots.set(backend, await snapshot(seyfert.client));

        if (store) {
          // Seyfert's data is plain botcache data: another process reads it with the Store API.
          expect(await store.get('seyfert.member', `{${G}}:${newcomer.id}`)).toMatchObject({
            id: newcomer.id,
          });
          expect(await store.indexCount('seyfert.member', { by: 'scope', parent: G })).toBe(SHAPE.members);
        }
      } finally {
        await seyfert.stop();
        await fake.stop();
        await store?.close();
      }
    });
  }

  it("every botcache store ends with the same answers as Seyfert's MemoryAdapter", () => {
    const reference = snapshots.get(REFERENCE);
    expect(reference).toBeDefined();
    const { members, messages, users } = reference as Record<string, unknown[]>;
    expect(members).toHaveLength(SHAPE.members);
    expect(messages).toHaveLength(1);
    expect(users).toHaveLength(SHAPE.members + 2); // the bot and the newcomer; a leaver's user stays
    for (const backend of Object.keys(BACKENDS)) {
      expect(snapshots.get(backend), backend).toEqual(reference);
    }
  });
});
