/** Lets `botcache/plugins` read Mezon channel messages and reply through the SDK. */
import type { IncomingMessage, PlatformAdapter } from '../../plugins/platform-adapter.js';
import type { MezonClientLike } from './attach-mezon.js';
import { asPayload, clanScope, jsonField, text } from './payload.js';
import type { MezonChannelMessage as ChannelMessage } from './sdk-shapes.js';

/** The neutral view of a Mezon channel message, or undefined when it lacks the ids routing needs. */
export function readMezonMessage(message: ChannelMessage, botId: string): IncomingMessage | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const payload = asPayload(message, 'channel_message');
  const messageId = text(payload, 'id') ?? text(payload, 'message_id');
  const channelId = text(payload, 'channel_id');
  const authorId = text(payload, 'sender_id');
  if (!messageId || !channelId || !authorId) return undefined;
  const content = jsonField(payload, 'content');
  const body = typeof content === 'object' && content !== null ? (content as { t?: unknown }).t : undefined;
  let guildId: string | undefined;
  try {
    guildId = clanScope(payload, 'clan_id');
  } catch {
    guildId = undefined;
  }
  return {
    text: typeof body === 'string' ? body : '',
    messageId,
    channelId,
    authorId,
    guildId,
    fromBot: authorId === botId,
  };
}

/** A platform adapter over a MezonClient; replies go to the message's channel (and topic). */
export function mezonAdapter(client: MezonClientLike): PlatformAdapter<ChannelMessage> {
  return {
    platform: 'mezon',
    read: (message) => readMezonMessage(message, client.clientId),
    reply: async (message, replyText) => {
      const channels = client.channels;
      if (!channels) throw new Error('client.channels is not available: call client.login() first');
      // Resolved per reply: a reconnect replaces the channel objects.
      const channel = await channels.fetch(message.channel_id);
      await channel.send(
        { t: replyText },
        undefined,
        undefined,
        undefined,
        undefined,
        message.topic_id || undefined,
      );
    },
  };
}
