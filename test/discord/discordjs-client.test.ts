/** A real discord.js Client logs in to the fake gateway; `client.on('raw')` keeps the cache true. */
import { Client, GatewayIntentBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attachDiscordJs,
  type DiscordAttachment,
  type DiscordValueTypes,
  type MissingIntentsWarning,
} from '../../src/platforms/discord/index.js';
import { createCache } from '../../src/resources/index.js';
import {
  type FakeDiscord,
  guildCreate,
  guildIds,
  member,
  snowflake,
  startFakeDiscord,
  user,
  waitFor,
} from '../support/discord/index.js';

const BOT = user(snowflake(9, 1), 'botcache-bot');
const SHAPE = { id: snowflake(5, 7), members: 50, withPresence: 5 };
const ids = guildIds(SHAPE);

describe('discord.js Client through client.on("raw")', () => {
  let fake: FakeDiscord;
  let client: Client;
  let attachment: DiscordAttachment;
  const cache = createCache<DiscordValueTypes>();
  const warnings: MissingIntentsWarning[] = [];

  beforeAll(async () => {
    fake = await startFakeDiscord({ user: BOT, guilds: [guildCreate(SHAPE)] });
    // Deliberately without GuildPresences: the attachment must warn.
    client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers, GatewayIntentBits.GuildMessages],
      rest: { api: fake.apiUrl },
    });
    attachment = attachDiscordJs(cache, client, {
      resources: ['guilds', 'channels', 'roles', 'members', 'users', 'presences', 'me'],
      warn: (warning) => warnings.push(warning),
    });
    const ready = new Promise((resolve) => client.once('clientReady', resolve));
    await client.login('token');
    await ready;
  });

  afterAll(async () => {
    attachment?.detach();
    await client?.destroy();
    await fake?.stop();
    await cache.close();
  });

  it('warns about the missing presence intent', () => {
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.missing).toEqual(['GuildPresences']);
    expect(warnings[0]?.resources).toEqual(['presences']);
  });

  it('caches what discord.js itself sees, and follows later dispatches', async () => {
    await waitFor(() => attachment.events.stats.received >= fake.gateway.sequence, 'dispatches');
    await attachment.events.idle();
    expect(client.guilds.cache.get(SHAPE.id)?.memberCount).toBe(50);
    expect(await cache.guilds.get(SHAPE.id)).toMatchObject({ id: SHAPE.id, member_count: 50 });
    // discord.js tags the raw payload with its shard id; the cached guild stays Discord's payload.
    expect(await cache.guilds.get(SHAPE.id)).not.toHaveProperty('shardId');
    expect(await cache.members.forGuild(SHAPE.id).count()).toBe(50);
    expect(await cache.me.get()).toMatchObject({ id: BOT.id });

    const newcomer = user(snowflake(1, 123_456), 'newcomer');
    fake.gateway.dispatch('GUILD_MEMBER_ADD', { ...member(newcomer), guild_id: SHAPE.id });
    fake.gateway.dispatch('GUILD_MEMBER_REMOVE', { guild_id: SHAPE.id, user: user(ids.user(0)) });
    await waitFor(() => attachment.events.stats.received >= fake.gateway.sequence, 'member dispatches');
    await attachment.events.idle();
    expect(await cache.members.get(SHAPE.id, newcomer.id)).toMatchObject({ user: { username: 'newcomer' } });
    expect(await cache.members.get(SHAPE.id, ids.user(0))).toBeUndefined();
    expect(client.guilds.cache.get(SHAPE.id)?.members.cache.has(newcomer.id)).toBe(true);
  });

  it('stops following after detach()', async () => {
    attachment.detach();
    const before = attachment.events.stats.received;
    fake.gateway.dispatch('GUILD_MEMBER_REMOVE', { guild_id: SHAPE.id, user: user(ids.user(1)) });
    await waitFor(
      () => !client.guilds.cache.get(SHAPE.id)?.members.cache.has(ids.user(1)) || undefined,
      'discord.js',
    );
    expect(attachment.events.stats.received).toBe(before);
    expect(await cache.members.get(SHAPE.id, ids.user(1))).toBeDefined();
  });
});
