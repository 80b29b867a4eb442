/**
 * Scenarios through the REAL @discordjs/ws WebSocketManager connected to the local fake gateway,
 * over MemoryStore and over RedisStore (a redis-server this test starts). The cache state is asserted
 * after each scenario; the scenarios build on each other like a bot's life.
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
import { RedisStore } from '../../src/store/redis/index.js';
import type { Store } from '../../src/store/types.js';
import {
  type FakeDiscord,
  guildCreate,
  guildIds,
  member,
  message,
  role,
  snowflake,
  startFakeDiscord,
  textChannel,
  user,
  voiceState,
  waitFor,
} from '../support/discord/index.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';

const BOT = user(snowflake(9, 1), 'botcache-bot');
const GUILDS = [1, 2, 3].map((n) => ({ id: snowflake(5, n), members: 1000, withPresence: 100 }));
const [A, B, C] = GUILDS.map((shape) => guildIds(shape)) as [
  ReturnType<typeof guildIds>,
  ReturnType<typeof guildIds>,
  ReturnType<typeof guildIds>,
];

async function sorted(view: { keys(): AsyncIterable<string> }): Promise<string[]> {
  const out: string[] = [];
  for await (const key of view.keys()) out.push(key);
  return out.sort();
}

interface StoreKind {
  readonly name: string;
  start(): Promise<{ store: Store; stop(): Promise<void> }>;
}

const STORES: StoreKind[] = [
  {
    name: 'MemoryStore',
    async start() {
      const { MemoryStore } = await import('../../src/store/memory/memory-store.js');
      const store = new MemoryStore();
      return { store, stop: () => store.close() };
    },
  },
  {
    name: 'RedisStore',
    async start() {
      const server: RedisServer = await startRedis();
      // A GUILD_CREATE of 1000 members is one script call; a loaded CI machine needs more than the 1 s default.
      const store = new RedisStore({ url: server.url, commandTimeout: 15_000 });
      return {
        store,
        async stop() {
          await store.close();
          await server.stop();
        },
      };
    },
  },
];

describe.each(STORES)('a bot on the real WebSocketManager over $name', (kind) => {
  let fake: FakeDiscord;
  let manager: WebSocketManager;
  let cache: DiscordCache;
  let attachment: DiscordAttachment;
  let stopStore: () => Promise<void>;
  const errors: Error[] = [];

  /** Waits until every dispatch the gateway sent went through the manager and was applied. */
  async function settle(): Promise<void> {
    await waitFor(() => attachment.events.stats.received >= fake.gateway.sequence, 'dispatches to arrive');
    await attachment.events.idle();
    expect(errors).toEqual([]);
    expect(attachment.events.stats.failed).toBe(0);
  }

  beforeAll(async () => {
    const started = await kind.start();
    stopStore = started.stop;
    cache = createCache<DiscordValueTypes>({ store: started.store, namespacePrefix: 'scenario' });
    await cache.open();
    fake = await startFakeDiscord({ user: BOT, guilds: GUILDS.map((shape) => guildCreate(shape)) });
    const rest = new REST({ api: fake.apiUrl }).setToken('token');
    manager = new WebSocketManager({ token: 'token', intents: requiredIntents(), rest });
    attachment = attachDiscordWs(cache, manager);
    attachment.events.on('error', (error) => errors.push(error));
    await manager.connect();
  });

  afterAll(async () => {
    attachment?.detach();
    await manager?.destroy();
    await fake?.stop();
    await cache?.close();
    await stopStore?.();
  });

  it('joins 3 guilds with 1000 members each', async () => {
    await settle();
    expect(fake.gateway.identifies[0]?.intents).toBe(requiredIntents());
    expect(await cache.me.get()).toMatchObject({ id: BOT.id });
    expect(await cache.guilds.count()).toBe(3);
    for (const ids of [A, B, C]) {
      expect(await cache.members.forGuild(ids.guild).count()).toBe(1000);
      expect(await cache.presences.forGuild(ids.guild).count()).toBe(100);
      expect(await cache.channels.forGuild(ids.guild).count()).toBe(5);
      expect(await cache.roles.forGuild(ids.guild).count()).toBe(4);
    }
    expect(await cache.users.count()).toBe(3001);
    expect(await cache.members.get(B.guild, B.user(999))).toMatchObject({ user: { id: B.user(999) } });
  });

  it('member churn: 300 leave, 300 join, 100 change nick', async () => {
    for (let i = 0; i < 300; i++) {
      fake.gateway.dispatch('GUILD_MEMBER_REMOVE', { guild_id: A.guild, user: user(A.user(i)) });
      fake.gateway.dispatch('GUILD_MEMBER_ADD', { ...member(user(A.user(5000 + i))), guild_id: A.guild });
    }
    for (let i = 300; i < 400; i++) {
      fake.gateway.dispatch('GUILD_MEMBER_UPDATE', {
        ...member(user(A.user(i)), []),
        guild_id: A.guild,
        nick: `n${i}`,
      });
    }
    await settle();
    expect(await cache.members.forGuild(A.guild).count()).toBe(1000);
    expect(await cache.members.get(A.guild, A.user(0))).toBeUndefined();
    expect(await cache.presences.get(A.guild, A.user(0))).toBeUndefined();
    expect(await cache.members.get(A.guild, A.user(5299))).toMatchObject({ user: { id: A.user(5299) } });
    expect(await cache.members.get(A.guild, A.user(350))).toMatchObject({
      nick: 'n350',
      roles: [],
      deaf: false,
    });
  });

  it('role edits: create, rename, delete', async () => {
    const mods = snowflake(3, 900_001);
    fake.gateway.dispatch('GUILD_ROLE_CREATE', { guild_id: B.guild, role: role(mods, 'mods', 9) });
    fake.gateway.dispatch('GUILD_ROLE_UPDATE', {
      guild_id: B.guild,
      role: { ...role(mods, 'moderators', 9), hoist: true },
    });
    fake.gateway.dispatch('GUILD_ROLE_UPDATE', { guild_id: B.guild, role: role(B.role(0), 'renamed-0', 1) });
    fake.gateway.dispatch('GUILD_ROLE_DELETE', { guild_id: B.guild, role_id: B.role(2) });
    await settle();
    expect(await cache.roles.get(mods)).toMatchObject({ name: 'moderators', hoist: true });
    expect(await cache.roles.get(B.role(0))).toMatchObject({ name: 'renamed-0' });
    expect(await cache.roles.get(B.role(2))).toBeUndefined();
    expect(await cache.roles.forGuild(B.guild).count()).toBe(4);
  });

  it('channel moves: a text channel changes category, a voice user changes channel', async () => {
    const lounge = snowflake(2, 900_002);
    fake.gateway.dispatch('CHANNEL_CREATE', { ...textChannel(lounge, B.guild, 'lounge'), type: 2 });
    fake.gateway.dispatch('CHANNEL_UPDATE', {
      ...textChannel(B.text(1), B.guild, 'text-1'),
      parent_id: null,
      position: 7,
    });
    fake.gateway.dispatch('VOICE_STATE_UPDATE', voiceState(B.guild, lounge, B.user(0)));
    await settle();
    expect(await cache.channels.get(B.text(1))).toMatchObject({ parent_id: null, position: 7 });
    expect(await sorted(cache.voiceStates.forChannel(lounge))).toEqual([B.user(0)]);
    expect(await cache.voiceStates.forChannel(B.voice).count()).toBe(0);
  });

  it('message create, edit (partial) and delete', async () => {
    const author = user(C.user(5), 'author');
    const ids = [1, 2, 3, 4].map((n) => snowflake(6, 900_000 + n));
    for (const id of ids)
      fake.gateway.dispatch('MESSAGE_CREATE', message(id, C.text(0), author, `m${id}`, C.guild));
    fake.gateway.dispatch('MESSAGE_UPDATE', {
      id: ids[0],
      channel_id: C.text(0),
      guild_id: C.guild,
      content: 'edited',
    });
    fake.gateway.dispatch('MESSAGE_DELETE', { id: ids[1], channel_id: C.text(0), guild_id: C.guild });
    fake.gateway.dispatch('MESSAGE_DELETE_BULK', { ids: [ids[2]], channel_id: C.text(0), guild_id: C.guild });
    await settle();
    expect(await cache.messages.get(ids[0]!)).toMatchObject({ content: 'edited', author: { id: author.id } });
    expect(await sorted(cache.messages.forChannel(C.text(0)))).toEqual([ids[0], ids[3]].sort());
  });

  it('guild outage keeps the data; leaving a guild clears it', async () => {
    fake.gateway.dispatch('GUILD_DELETE', { id: B.guild, unavailable: true });
    fake.gateway.dispatch('GUILD_DELETE', { id: C.guild });
    await settle();
    expect(await cache.guilds.get(B.guild)).toMatchObject({ unavailable: true });
    expect(await cache.members.forGuild(B.guild).count()).toBe(1000);
    expect(await cache.guilds.get(C.guild)).toBeUndefined();
    expect(await cache.members.forGuild(C.guild).count()).toBe(0);
    expect(await cache.channels.forGuild(C.guild).count()).toBe(0);
    expect(await cache.messages.forChannel(C.text(0)).count()).toBe(0);
    expect(await cache.guilds.count()).toBe(2);
  });

  it('reconnects with RESUME and applies the dispatches it missed, without re-identifying', async () => {
    const resumed = new Promise<number>((resolve) =>
      fake.gateway.once('resumed', (_id, missed) => resolve(missed)),
    );
    fake.gateway.requestReconnect();
    // Sent while the client is away: replayed after RESUME.
    for (let i = 0; i < 50; i++) {
      fake.gateway.dispatch('GUILD_MEMBER_REMOVE', { guild_id: A.guild, user: user(A.user(500 + i)) });
    }
    fake.gateway.dispatch('GUILD_CREATE', guildCreate({ ...GUILDS[1]!, members: 10 }));
    expect(await resumed).toBe(51);
    await settle();
    expect(fake.gateway.identifies).toHaveLength(1);
    expect(fake.gateway.resumes).toHaveLength(1);
    expect(await cache.members.forGuild(A.guild).count()).toBe(950);
    expect(await cache.guilds.get(B.guild)).not.toHaveProperty('unavailable', true);
    expect(await cache.members.forGuild(B.guild).count()).toBe(10);
  });
});
