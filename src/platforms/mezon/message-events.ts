/**
 * channel_message (new, edited, deleted) → messages, plus the sender's user and clan member;
 * message_reaction_event → the message's reactions.
 */
import type { EventBatch } from './event-batch.js';
import {
  asPayload,
  clanScope,
  DuplicatePayload,
  defined,
  jsonField,
  num,
  type Payload,
  requireId,
  seconds,
  text,
  textOrEmpty,
  timeText,
} from './payload.js';
import type { MezonMessageRecord, MezonReactionRecord } from './records.js';
import {
  type ChannelMessage,
  type ChannelMessageContent,
  MESSAGE_CODE,
  type MessageReaction,
} from './sdk-types.js';
import { ensureClan, type MezonEventContext, upsertMember, upsertUser } from './upserts.js';

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

  if (code === MESSAGE_CODE.remove || code === MESSAGE_CODE.removeEphemeral) {
    batch.deleteMessage(messageId);
    return;
  }
  const known = await batch.message(messageId);
  if (code === MESSAGE_CODE.update || code === MESSAGE_CODE.updateEphemeral) {
    // Mezon's client applies an edit to the message it holds and changes only these fields
    // (mezonai/mezon libs/store/src/lib/messages/messages.slice.ts, case TypeMessage.ChatUpdate);
    // reactions, references and the sender's profile stay. An edit of a message not held has nothing to change.
    if (known) batch.setMessage({ ...known, ...defined(editFields(payload)) });
    return;
  }
  // A new message whose id is cached already is a repeated delivery: the cached copy may carry later
  // edits and reactions, so it is kept as it is.
  if (known) return;
  const fields = messageFields(payload);
  if (clanId !== undefined) await ensureClan(batch, clanId);
  batch.setMessage({
    ...defined(fields),
    id: messageId,
    channel_id: channelId,
    sender_id: senderId,
    ...(clanId !== undefined && { clan_id: clanId }),
    content: fields.content ?? {},
  });

  if (senderId === SYSTEM_SENDER) return;
  // A new message carries the sender's current profile: a field cleared to "" is a value. A username is
  // never empty in Mezon, so "" there is the protobuf default of an absent field.
  const profile = {
    username: text(payload, 'username'),
    display_name: textOrEmpty(payload, 'display_name'),
    avatar: textOrEmpty(payload, 'avatar'),
  };
  await upsertUser(batch, { id: senderId, ...profile });
  // Nick and clan avatar belong to this clan only: they go on the member, never on the global user.
  if (clanId !== undefined) {
    await upsertMember(batch, clanId, senderId, {
      ...profile,
      clan_nick: textOrEmpty(payload, 'clan_nick'),
      clan_avatar: textOrEmpty(payload, 'clan_avatar'),
    });
  }
}

/** What an edit changes. */
function editFields(payload: Payload): Partial<MezonMessageRecord> {
  const content = jsonField(payload, 'content');
  const hide = payload.hide_editted;
  return {
    content: isObject(content) ? (content as ChannelMessageContent) : undefined,
    mentions: arrayOrUndefined(jsonField(payload, 'mentions')),
    attachments: arrayOrUndefined(jsonField(payload, 'attachments')),
    hide_editted: typeof hide === 'boolean' ? hide : undefined,
    update_time: timeText(payload, 'update_time'),
    update_time_seconds: seconds(payload, 'update_time_seconds'),
  };
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
    create_time: timeText(payload, 'create_time'),
    update_time: timeText(payload, 'update_time'),
    create_time_seconds: seconds(payload, 'create_time_seconds'),
    update_time_seconds: seconds(payload, 'update_time_seconds'),
    username: text(payload, 'username'),
    display_name: textOrEmpty(payload, 'display_name'),
    clan_nick: textOrEmpty(payload, 'clan_nick'),
  };
}

/** One entity only: a patch (which keeps the message's links and expiry) is already one batch. */
export async function onMessageReaction(context: MezonEventContext, event: MessageReaction): Promise<void> {
  const payload = asPayload(event, 'message_reaction_event');
  const messageId = requireId(payload, 'message_id');
  const emojiId = requireId(payload, 'emoji_id');
  const senderId = requireId(payload, 'sender_id');
  // A reaction with an id is applied once, however many sockets delivered it.
  const identity = text(payload, 'id');
  if (identity !== undefined && context.recent?.has(`reaction:${identity}`)) {
    throw new DuplicatePayload(`reaction ${identity} was applied already`);
  }
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
  if (identity !== undefined) context.recent?.add(`reaction:${identity}`);
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
