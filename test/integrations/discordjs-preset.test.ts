/**
 * discordJsPreset with a real discord.js 14 Client on the local fake gateway: discord.js keeps no
 * members, users, presences or messages (botcache does), while messageCreate + message.reply,
 * interactionCreate + interaction.reply and guildMemberAdd keep working.
 */
import { Client, Events, GatewayIntentBits, type Interaction, type Message } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DiscordJsPreset,
  type DiscordValueTypes,
  discordJsPreset,
} from '../../src/platforms/discord/index.js';
import { createCache } from '../../src/resources/index.js';
import {
  type FakeDiscord,
  guildCreate,
  guildIds,
  member,
  message,
  snowflake,
  startFakeDiscord,
  user,
} from '../support/discord/index.js';
import { type DiscordRestFront, startDiscordRestFront } from '../support/integrations-discord-rest.js';
import { eventually } from '../support/integrations-wait.js';

const BOT = user(snowflake(9, 2), 'preset-bot');
const SHAPE = { id: snowflake(5, 21), members: 60, withPresence: 10 };
const ids = guildIds(SHAPE);

describe('discordJsPreset on a real discord.js Client', () => {
  let fake: FakeDiscord;
  let front: DiscordRestFront;
  let client: Client;
  let preset: DiscordJsPreset;
  const cache = createCache<DiscordValueTypes>();

  const settled = async () => {
    await eventually(() => preset.events.stats.received >= fake.gateway.sequence, 'dispatches');
    await preset.events.idle();
  };

  beforeAll(async () => {
    fake = await startFakeDiscord({ user: BOT, guilds: [guildCreate(SHAPE)] });
    front = await startDiscordRestFront(fake, BOT);
    preset = discordJsPreset(cache, { warn: false, recent: { members: 5, users: 5 } });
    client = new Client({
      intents: [
        GatewayIntentBits.Guilds,
        GatewayIntentBits.GuildMembers,
        GatewayIntentBits.GuildMessages,
        GatewayIntentBits.GuildPresences,
        GatewayIntentBits.MessageContent,
      ],
      rest: { api: front.apiUrl },
      ...preset.clientOptions,
    });
    preset.attach(client);
    const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
    await client.login('token');
    await ready;
    await settled();
  });

  afterAll(async () => {
    await client?.destroy();
    await front?.close();
    await fake?.stop();
    await cache.close();
  });

  it('leaves members, users and presences to botcache; keeps guilds, channels and roles', async () => {
    const guild = client.guilds.cache.get(SHAPE.id);
    expect(guild?.memberCount).toBe(60);
    // The GUILD_CREATE's last `recent.members` members, nothing more.
    expect(guild?.members.cache.size).toBe(5);
    expect(guild?.presences.cache.size).toBe(0);
    expect([...client.users.cache.keys()]).toContain(BOT.id);
    expect(client.users.cache.size).toBeLessThanOrEqual(6);
    expect(guild?.channels.cache.size).toBeGreaterThan(0);
    expect(guild?.roles.cache.size).toBeGreaterThan(0);
    expect(await cache.members.forGuild(SHAPE.id).count()).toBe(60);
    expect(await cache.presences.forGuild(SHAPE.id).count()).toBe(10);
    expect(await cache.members.get(SHAPE.id, ids.user(3))).toMatchObject({ user: { id: ids.user(3) } });
  });

  it('still emits messageCreate, and message.reply posts the reply', async () => {
    const received = new Promise<Message>((resolve) => client.once(Events.MessageCreate, resolve));
    const author = user(ids.user(1));
    fake.gateway.dispatch('MESSAGE_CREATE', {
      ...message(snowflake(7, 1), ids.text(0), author, '!ping', SHAPE.id),
      member: member(author),
    });
    const msg = await received;
    expect(msg.author.id).toBe(ids.user(1));
    expect(msg.member?.id).toBe(ids.user(1));
    expect(msg.channel.id).toBe(ids.text(0));
    await msg.reply('pong');
    const write = front.writes.find((w) => w.route === `/channels/${ids.text(0)}/messages`);
    expect(write?.body).toMatchObject({
      content: 'pong',
      message_reference: { message_id: snowflake(7, 1) },
    });
    await settled();
    expect(await cache.messages.get(snowflake(7, 1))).toMatchObject({ content: '!ping' });
    expect(client.guilds.cache.get(SHAPE.id)?.members.cache.size).toBe(5);
    expect(client.channels.cache.get(ids.text(0))?.isTextBased()).toBe(true);
  });

  it('still emits interactionCreate with the member, and interaction.reply answers', async () => {
    const received = new Promise<Interaction>((resolve) => client.once(Events.InteractionCreate, resolve));
    const invoker = user(ids.user(2));
    fake.gateway.dispatch('INTERACTION_CREATE', {
      id: snowflake(8, 1),
      application_id: BOT.id,
      type: 2,
      data: { id: snowflake(8, 2), name: 'ping', type: 1 },
      guild_id: SHAPE.id,
      channel_id: ids.text(0),
      member: { ...member(invoker), permissions: '8' },
      token: 'interaction-token',
      version: 1,
      app_permissions: '8',
      locale: 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: {},
      context: 0,
      attachment_size_limit: 8_388_608,
    });
    const interaction = await received;
    if (!interaction.isChatInputCommand()) throw new Error('expected a chat input command');
    expect(interaction.commandName).toBe('ping');
    expect(interaction.member?.user.id).toBe(ids.user(2));
    await interaction.reply('pong');
    expect(
      front.writes.some((w) => w.route === `/interactions/${snowflake(8, 1)}/interaction-token/callback`),
    ).toBe(true);
  });

  it('emits guildMemberAdd for a newcomer that only botcache keeps', async () => {
    const joined = new Promise<string>((resolve) => client.once(Events.GuildMemberAdd, (m) => resolve(m.id)));
    const newcomer = user(snowflake(1, 987_654), 'newcomer');
    fake.gateway.dispatch('GUILD_MEMBER_ADD', { ...member(newcomer), guild_id: SHAPE.id });
    expect(await joined).toBe(newcomer.id);
    await settled();
    expect(await cache.members.get(SHAPE.id, newcomer.id)).toMatchObject({ user: { username: 'newcomer' } });
    expect(client.guilds.cache.get(SHAPE.id)?.members.cache.size).toBe(5);
    expect(client.guilds.cache.get(SHAPE.id)?.memberCount).toBe(61);
  });

  it('turns off only what botcache keeps', () => {
    const onlyGuilds = discordJsPreset(createCache<DiscordValueTypes>(), {
      resources: ['guilds', 'channels', 'roles'],
      warn: false,
    });
    expect(onlyGuilds.cacheLimits).not.toHaveProperty('GuildMemberManager');
    expect(preset.cacheLimits).toHaveProperty('GuildMemberManager');
    expect(preset.cacheLimits).toHaveProperty('MessageManager', 0);
    expect(() => preset.attach(client)).toThrow(/already attached/);
  });
});
