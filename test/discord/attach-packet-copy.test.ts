/**
 * attachDiscordJs copies only what discord.js's own handlers write into a packet: a real discord.js 14
 * Client handles the packets right after 'raw' (as its WebSocketManager does), and the cache must still
 * end with Discord's payloads, untouched by discord.js (no `shardId`, no `guild` instance, no `user`
 * added to a message's member or mentions).
 */
import { Client, ClientUser, GatewayIntentBits, Status } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { attachDiscordJs, type DiscordValueTypes } from '../../src/platforms/discord/index.js';
import { createCache } from '../../src/resources/index.js';
import { guildCreate, member, message, presence, snowflake, user } from '../support/discord/payloads.js';

interface PacketSink {
  handlePacket(packet: unknown, shard: { id: number }): boolean;
}

function readyClient(): Client {
  const client = new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMembers,
      GatewayIntentBits.GuildPresences,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.MessageContent,
    ],
  });
  client.ws.status = Status.Ready;
  const me = new (ClientUser as unknown as new (c: Client, data: object) => ClientUser)(client, {
    id: snowflake(9, 1),
    username: 'bot',
    discriminator: '0',
    avatar: null,
    bot: true,
  });
  client.user = me;
  return client;
}

describe('attachDiscordJs packet copy', () => {
  it('keeps the payloads as Discord sent them while discord.js mutates its packets', async () => {
    const client = readyClient();
    const cache = createCache<DiscordValueTypes>();
    const attachment = attachDiscordJs(cache, client as never, { warn: false });
    const feed = (t: string, d: unknown): void => {
      const packet = { op: 0, s: 1, t, d };
      client.emit('raw', packet, 0);
      (client.ws as unknown as PacketSink).handlePacket(packet, { id: 0 });
    };
    const shape = { id: snowflake(5, 3), members: 20, withPresence: 5 };
    const guild = guildCreate(shape);
    const pristineGuild = structuredClone(guild);
    feed('GUILD_CREATE', guild);
    // discord.js really wrote into its packet: the test would be void otherwise.
    expect(guild).toHaveProperty('shardId', 0);
    expect(guild.presences[0]).toHaveProperty('guild');

    const author = user(snowflake(1, 900), 'author');
    const mentioned = user(snowflake(1, 901), 'mentioned');
    const msg = {
      ...message(snowflake(6, 1), guild.channels[1]?.id as string, author, 'hi', shape.id),
      member: { ...member(author), user: undefined },
      mentions: [{ ...mentioned, member: { ...member(mentioned), user: undefined } }],
    };
    delete (msg.member as { user?: unknown }).user;
    delete ((msg.mentions[0] as { member?: unknown }).member as { user?: unknown }).user;
    const pristineMessage = structuredClone(msg);
    feed('MESSAGE_CREATE', msg);
    expect(msg.member).toHaveProperty('user');
    const update = presence(shape.id, guild.members[1]?.user?.id as string, 'idle');
    const pristineUpdate = structuredClone(update);
    feed('PRESENCE_UPDATE', update);
    expect(update).toHaveProperty('guild');
    await attachment.events.idle();

    expect(attachment.events.stats.failed).toBe(0);
    // 20 from GUILD_CREATE, plus the message's author and mentioned member.
    expect(client.guilds.cache.get(shape.id)?.members.cache.size).toBe(22);
    expect(await cache.guilds.get(shape.id)).not.toHaveProperty('shardId');
    const firstPresence = pristineGuild.presences[0];
    expect(await cache.presences.get(shape.id, firstPresence?.user.id as string)).toEqual(firstPresence);
    expect(await cache.presences.get(shape.id, pristineUpdate.user.id)).toEqual(pristineUpdate);
    const cachedMessage = (await cache.messages.get(pristineMessage.id)) as
      | typeof pristineMessage
      | undefined;
    expect(cachedMessage?.member).toEqual(pristineMessage.member);
    expect(cachedMessage?.mentions).toEqual(pristineMessage.mentions);
    attachment.detach();
    await cache.close();
    client.removeAllListeners();
  });
});
