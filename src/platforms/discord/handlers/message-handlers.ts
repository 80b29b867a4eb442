/**
 * MESSAGE_CREATE / UPDATE / DELETE / DELETE_BULK. Messages are bound to their channel (not buffered
 * behind their guild: DMs have none, and a bot may cache messages without the GUILDS intent).
 */
import type { APIUser } from 'discord-api-types/v10';
import type { CachedMessage } from '../discord-types.js';
import {
  arrayOf,
  idOf,
  isFullUser,
  type JsonObject,
  objectOf,
  optionalIdOf,
  userOf,
} from '../payload-checks.js';
import { type DiscordTransaction, type HandlerContext, mergeHandler, writeHandler } from './handler-types.js';

function writeMessage(
  tx: DiscordTransaction,
  ctx: HandlerContext,
  message: JsonObject,
  what: string,
  withAuthor = true,
): void {
  const id = idOf(message, 'id', what);
  const channelId = idOf(message, 'channel_id', what);
  const guildId = optionalIdOf(message, 'guild_id', what);
  const [authorId, author] = userOf(message, 'author', what);
  // A webhook's author is a made-up user: not worth a users entry or a reference.
  const realAuthor = message.webhook_id === undefined || message.webhook_id === null;
  if (withAuthor && realAuthor && ctx.keeps('users') && isFullUser(author))
    tx.users.set(authorId, author as unknown as APIUser);
  if (!ctx.keeps('messages')) return;
  tx.messages.set(id, message as unknown as CachedMessage, {
    channelId,
    ...(realAuthor && ctx.keeps('users') ? { authorId } : {}),
    ...(guildId === undefined ? {} : { guildId }),
  });
}

export const messageCreate = writeHandler(false, (tx, data, ctx) => {
  writeMessage(tx, ctx, objectOf(data, 'MESSAGE_CREATE'), 'MESSAGE_CREATE');
});

/**
 * Merged into the cached message: an update may carry only the changed fields (embeds resolved later).
 * An uncached message is written only when the update is a whole message (it has an author).
 */
export const messageUpdate = mergeHandler(
  false,
  (data, ctx) => {
    const what = 'MESSAGE_UPDATE';
    const update = objectOf(data, what);
    const id = idOf(update, 'id', what);
    const channelId = idOf(update, 'channel_id', what);
    return ctx.keeps('messages') ? { kind: 'message', id, channelId } : undefined;
  },
  (tx, data, ctx, previous) => {
    const update = data as JsonObject;
    if (!ctx.keeps('messages') || (previous === undefined && !('author' in update))) return;
    // A cached message's author may be older than the cached user: only a new message writes it.
    writeMessage(tx, ctx, { ...previous, ...update }, 'MESSAGE_UPDATE', previous === undefined);
  },
);

export const messageDelete = writeHandler(false, (tx, data, ctx) => {
  const what = 'MESSAGE_DELETE';
  const event = objectOf(data, what);
  const id = idOf(event, 'id', what);
  if (ctx.keeps('messages')) tx.messages.delete(id);
});

export const messageDeleteBulk = writeHandler(false, (tx, data, ctx) => {
  const what = 'MESSAGE_DELETE_BULK';
  const event = objectOf(data, what);
  idOf(event, 'channel_id', what);
  const ids = arrayOf(event, 'ids', what).map((id, i) => {
    if (typeof id !== 'string' || id.length === 0)
      throw new TypeError(`${what}.ids[${i}] must be a snowflake`);
    return id;
  });
  if (!ctx.keeps('messages')) return;
  for (const id of ids) tx.messages.delete(id);
});
