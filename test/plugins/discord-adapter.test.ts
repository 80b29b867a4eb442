import type { APIMessage } from 'discord-api-types/v10';
import { MessageType } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import {
  type DiscordMessage,
  discordAdapter,
  PluginManager,
  readDiscordMessage,
} from '../../src/plugins/index.js';

function apiMessage(content: string, author: Partial<APIMessage['author']> = {}): DiscordMessage {
  return {
    id: '1100000000000000001',
    channel_id: '1100000000000000002',
    guild_id: '1100000000000000003',
    author: {
      id: '1100000000000000004',
      username: 'ann',
      discriminator: '0',
      global_name: null,
      avatar: null,
      ...author,
    },
    content,
    timestamp: '2025-01-01T00:00:00.000Z',
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: MessageType.Default,
  };
}

describe('discordAdapter', () => {
  it('reads ids as strings and flags bot authors', () => {
    expect(readDiscordMessage(apiMessage('!hi'))).toEqual({
      text: '!hi',
      messageId: '1100000000000000001',
      channelId: '1100000000000000002',
      authorId: '1100000000000000004',
      guildId: '1100000000000000003',
      fromBot: false,
    });
    expect(readDiscordMessage(apiMessage('!hi', { bot: true }))?.fromBot).toBe(true);
  });

  it('lets the same manager answer Discord messages through the reply function', async () => {
    const sent: Array<[string, string]> = [];
    const plugins = new PluginManager({
      adapter: discordAdapter({ reply: async (message, text) => sent.push([message.channel_id, text]) }),
      client: null,
      cache: null,
    });
    plugins.register({ name: 'greeting', commands: { hi: (ctx) => ctx.reply(`Hello <@${ctx.authorId}>`) } });
    await plugins.handle(apiMessage('!hi'));
    await plugins.handle(apiMessage('!hi', { bot: true }));
    expect(sent).toEqual([['1100000000000000002', 'Hello <@1100000000000000004>']]);
  });
});
