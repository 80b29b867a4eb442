/**
 * The real @discordjs/ws WebSocketManager on the fake gateway, with the cache on a local Redis
 * Cluster (3 masters): a bot joins 3 guilds, members churn and roles change, it leaves one guild.
 * The state is asserted after each step, and verifyCache finds every entity and index in agreement.
 */
import { REST } from '@discordjs/rest';
import { WebSocketManager } from '@discordjs/ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attachDiscordWs,
  type DiscordAttachment,
  type DiscordCache,
  type DiscordValueTypes,
  requiredIntents,
} from '../../src/platforms/discord/index.js';
import { createCache } from '../../src/resources/index.js';
import { verifyCache } from '../../src/resources/verify-cache.js';
import { RedisStore } from '../../src/store/redis/index.js';
import {
  type FakeDiscord,
  guildCreate,
  guildIds,
  member,
  role,
  snowflake,
  startFakeDiscord,
  user,
  waitFor,
} from '../support/discord/index.js';
import { type RedisClusterHandle, startRedisCluster } from '../support/redis-server.js';

const BOT = user(snowflake(9, 1), 'botcache-bot');
const SHAPES = [1, 2, 3].map((n) => ({ id: snowflake(5, 70 + n), members: 300, withPresence: 30 }));
const [A, B, C] = SHAPES.map((shape) => guildIds(shape)) as [
  ReturnType<typeof guildIds>,
  ReturnType<typeof guildIds>,
  ReturnType<typeof guildIds>,
];

async function sortedKeys(view: { keys(): AsyncIterable<string> }): Promise<string[]> {
  const out: string[] = [];
  for await (const key of view.keys()) out.push(key);
  return out.sort();
}

describe('a bot on the real WebSocketManager over a local Redis Cluster', () => {
  let cluster: RedisClusterHandle;
  let store: RedisStore;
  let cache: DiscordCache;
  let fake: FakeDiscord;
  let manager: WebSocketManager;
  let attachment: DiscordAttachment;
  const errors: Error[] = [];

  async function settle(): Promise<void> {
    await waitFor(() => attachment.events.stats.received >= fake.gateway.sequence, 'dispatches', 30_000);
    await attachment.events.idle();
    expect(errors).toEqual([]);
  }

  beforeAll(async () => {
    cluster = await startRedisCluster();
    store = new RedisStore({
      cluster: { rootNodes: cluster.rootNodes.map((node) => node.url) },
      commandTimeout: 15_000,
    });
    cache = createCache<DiscordValueTypes>({ store, namespacePrefix: 'cl' });
    await cache.open();
    fake = await startFakeDiscord({ user: BOT, guilds: SHAPES.map((shape) => guildCreate(shape)) });
    const rest = new REST({ api: fake.apiUrl }).setToken('token');
    manager = new WebSocketManager({ token: 'token', intents: requiredIntents(), rest });
    attachment = attachDiscordWs(cache, manager);
    attachment.events.on('error', (error) => errors.push(error));
    await manager.connect();
  }, 60_000);

  afterAll(async () => {
    attachment?.detach();
    await manager?.destroy();
    await fake?.stop();
    await cache?.close();
    await store?.close();
    await cluster?.stop();
  });

  it('joins 3 guilds', async () => {
    await settle();
    expect(await cache.guilds.count()).toBe(3);
    for (const ids of [A, B, C]) {
      expect(await sortedKeys(cache.members.forGuild(ids.guild))).toEqual(fake.world.memberIds(ids.guild));
      expect(await cache.presences.forGuild(ids.guild).count()).toBe(30);
      expect(await cache.channels.forGuild(ids.guild).count()).toBe(5);
    }
    expect(await cache.users.count()).toBe(901);
    expect(await cache.me.get()).toMatchObject({ id: BOT.id });
  });

  it('member churn and a role deleted', async () => {
    for (let i = 0; i < 100; i++) {
      fake.send('GUILD_MEMBER_REMOVE', { guild_id: A.guild, user: user(A.user(i)) });
      fake.send('GUILD_MEMBER_ADD', { ...member(user(A.user(5000 + i))), guild_id: A.guild });
      fake.send('GUILD_MEMBER_UPDATE', { ...member(user(B.user(i)), []), guild_id: B.guild, nick: `b${i}` });
    }
    fake.send('GUILD_ROLE_CREATE', { guild_id: C.guild, role: role(snowflake(3, 990_777), 'extra', 8) });
    fake.send('GUILD_ROLE_DELETE', { guild_id: C.guild, role_id: C.role(0) });
    await settle();
    expect(await sortedKeys(cache.members.forGuild(A.guild))).toEqual(fake.world.memberIds(A.guild));
    expect(await cache.members.get(A.guild, A.user(0))).toBeUndefined();
    expect(await cache.presences.get(A.guild, A.user(0))).toBeUndefined();
    expect(await cache.members.get(B.guild, B.user(42))).toMatchObject({ nick: 'b42', deaf: false });
    expect(await sortedKeys(cache.roles.forGuild(C.guild))).toEqual(fake.world.roleIds(C.guild));
    expect((await cache.members.get(C.guild, C.user(0)))?.roles).toEqual([]);
  });

  it('leaves a guild: everything bound to it goes, the others stay', async () => {
    fake.send('GUILD_DELETE', { id: B.guild });
    await settle();
    expect(await cache.guilds.get(B.guild)).toBeUndefined();
    expect(await cache.members.forGuild(B.guild).count()).toBe(0);
    expect(await cache.channels.forGuild(B.guild).count()).toBe(0);
    expect(await cache.roles.forGuild(B.guild).count()).toBe(0);
    expect(await cache.presences.forGuild(B.guild).count()).toBe(0);
    expect(await cache.guilds.count()).toBe(2);
    expect(await cache.members.forGuild(A.guild).count()).toBe(300);
    expect(await verifyCache(cache)).toEqual([]);
  });
});
