/**
 * channel_message (new, edited, deleted) → messages, plus the sender's user and clan member;
 * message_reaction_event → the message's reactions.
 */
import type { EventBatch } from './event-batch.js';
import { asPayload, clanScope, defined, jsonField, num, type Payload, requireId, text } from './payload.js';
import type { MezonMessageRecord, MezonReactionRecord } from './records.js';
import {
  type ChannelMessage,
  type ChannelMessageContent,
  MESSAGE_CODE,
  type MessageReaction,
} from './sdk-types.js';
import { type MezonEventContext, upsertMember, upsertUser } from './upserts.js';

/** Mezon's system sender: not a user worth caching. */
const SYSTEM_SENDER = '0';

export async function onChannelMessage(
  _context: MezonEventContext,
  event: ChannelMessage,
  batch: EventBatch,
): Promise<void> {
  const payload = asPayload(event, 'channel_message');
  const messageId =
    text(payload, 'id') !== undefined ? requireId(payload, 'id') : requireId(payload, 'message_id');
  const channelId = requireId(payload, 'channel_id');
  const senderId = requireId(payload, 'sender_id');
  const clanId = clanScope(payload, 'clan_id');
  const code = num(payload, 'code') ?? MESSAGE_CODE.chat;

  if (code === MESSAGE_CODE.remove) {
    batch.deleteMessage(messageId);
    return;
  }
  const fields = messageFields(payload);
  const known = await batch.message(messageId);
  const message: MezonMessageRecord = {
    ...known,
    ...defined(fields),
    id: messageId,
    channel_id: channelId,
    sender_id: senderId,
    ...(clanId !== undefined && { clan_id: clanId }),
    content: fields.content ?? known?.content ?? {},
  };
  batch.setMessage(message);

  if (senderId === SYSTEM_SENDER) return;
  const profile = {
    username: text(payload, 'username'),
    display_name: text(payload, 'display_name'),
    avatar: text(payload, 'avatar'),
  };
  await upsertUser(batch, { id: senderId, ...profile });
  // Nick and clan avatar belong to this clan only: they go on the member, never on the global user.
  if (clanId !== undefined) {
    await upsertMember(batch, clanId, senderId, {
      ...profile,
      clan_nick: text(payload, 'clan_nick'),
      clan_avatar: text(payload, 'clan_avatar'),
    });
  }
}

function messageFields(payload: Payload): Partial<MezonMessageRecord> {
  const content = jsonField(payload, 'content');
  return {
    content: isObject(content) ? (content as ChannelMessageContent) : undefined,
    mentions: arrayOrUndefined(jsonField(payload, 'mentions')),
    attachments: arrayOrUndefined(jsonField(payload, 'attachments')),
    references: arrayOrUndefined(jsonField(payload, 'references')),
    reactions: reactionsOf(jsonField(payload, 'reactions')),
    code: num(payload, 'code'),
    mode: num(payload, 'mode'),
    topic_id: text(payload, 'topic_id'),
    create_time: text(payload, 'create_time'),
    update_time: text(payload, 'update_time'),
    create_time_seconds: num(payload, 'create_time_seconds'),
    update_time_seconds: num(payload, 'update_time_seconds'),
    username: text(payload, 'username'),
    display_name: text(payload, 'display_name'),
    clan_nick: text(payload, 'clan_nick'),
  };
}

/** One entity only: a patch (which keeps the message's links and expiry) is already one batch. */
export async function onMessageReaction(context: MezonEventContext, event: MessageReaction): Promise<void> {
  const payload = asPayload(event, 'message_reaction_event');
  const messageId = requireId(payload, 'message_id');
  const emojiId = requireId(payload, 'emoji_id');
  const senderId = requireId(payload, 'sender_id');
  const known = (await context.cache.messages.get(messageId)) as MezonMessageRecord | undefined;
  // A reaction to a message the cache never saw has nothing to attach to.
  if (!known) return;
  const others = (known.reactions ?? []).filter((r) => !(r.emoji_id === emojiId && r.sender_id === senderId));
  const mine = (known.reactions ?? []).find((r) => r.emoji_id === emojiId && r.sender_id === senderId);
  // `action: true` removes the sender's reaction; otherwise `count` more clicks are added (Mezon allows several).
  const reactions: MezonReactionRecord[] =
    payload.action === true
      ? others
      : [
          ...others,
          {
            ...defined({ emoji: text(payload, 'emoji'), sender_name: text(payload, 'sender_name') }),
            emoji_id: emojiId,
            sender_id: senderId,
            count: (mine?.count ?? 0) + Math.max(1, num(payload, 'count') ?? 1),
          },
        ];
  await context.cache.messages.patch(messageId, { reactions });
}

function reactionsOf(value: unknown): MezonReactionRecord[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const reactions: MezonReactionRecord[] = [];
  for (const item of value) {
    if (!isObject(item)) continue;
    const reaction = item as Payload;
    const emojiId = text(reaction, 'emoji_id');
    const senderId = text(reaction, 'sender_id');
    if (emojiId === undefined || senderId === undefined || reaction.action === true) continue;
    reactions.push({
      ...defined({ emoji: text(reaction, 'emoji'), sender_name: text(reaction, 'sender_name') }),
      emoji_id: emojiId,
      sender_id: senderId,
      count: num(reaction, 'count') ?? 1,
    });
  }
  return reactions;
}

function arrayOrUndefined(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
