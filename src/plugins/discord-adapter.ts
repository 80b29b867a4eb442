/**
 * Reads Discord messages (the raw `APIMessage` of the REST API and gateway) for the plugin manager.
 * It has no client of its own: pass `reply` to answer through discord.js, @discordjs/rest or anything else.
 */
import type { APIMessage } from 'discord-api-types/v10';
import type { IncomingMessage, PlatformAdapter } from './platform-adapter.js';

/** Gateway MESSAGE_CREATE payloads carry the guild id next to the REST message fields. */
export type DiscordMessage = APIMessage & { readonly guild_id?: string };

export interface DiscordAdapterOptions {
  /** Sends `text` to the message's channel, e.g. `(m, text) => rest.post(Routes.channelMessages(m.channel_id), { body: { content: text } })`. */
  readonly reply?: (message: DiscordMessage, text: string) => Promise<unknown>;
}

/** The neutral view of a Discord message; bot and webhook authors count as bots. */
export function readDiscordMessage(message: DiscordMessage): IncomingMessage | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  if (typeof message.id !== 'string' || typeof message.channel_id !== 'string') return undefined;
  const authorId = message.author?.id;
  if (typeof authorId !== 'string') return undefined;
  return {
    text: typeof message.content === 'string' ? message.content : '',
    messageId: message.id,
    channelId: message.channel_id,
    authorId,
    guildId: typeof message.guild_id === 'string' ? message.guild_id : undefined,
    fromBot: message.author.bot === true || message.webhook_id !== undefined,
  };
}

/** A platform adapter for Discord messages. */
export function discordAdapter(options: DiscordAdapterOptions = {}): PlatformAdapter<DiscordMessage> {
  const send = options.reply;
  return {
    platform: 'discord',
    read: readDiscordMessage,
    ...(send && {
      reply: async (message: DiscordMessage, text: string) => {
        await send(message, text);
      },
    }),
  };
}
