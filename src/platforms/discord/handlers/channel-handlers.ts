/** CHANNEL_* and THREAD_*: channels and threads share the channels resource, bound to their guild. */
import { type APIChannel, ChannelType } from 'discord-api-types/v10';
import { arrayOf, idOf, objectOf, optionalIdOf } from '../payload-checks.js';
import { readWriteHandler, writeHandler } from './handler-types.js';

const THREAD_TYPES: ReadonlySet<unknown> = new Set([
  ChannelType.AnnouncementThread,
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
]);

/** CHANNEL_CREATE / CHANNEL_UPDATE / THREAD_CREATE / THREAD_UPDATE carry the whole channel: replace it. */
export function channelUpsert(what: string) {
  return writeHandler(true, (tx, data, ctx) => {
    const channel = objectOf(data, what);
    const id = idOf(channel, 'id', what);
    const guildId = optionalIdOf(channel, 'guild_id', what);
    if (!ctx.keeps('channels')) return;
    tx.channels.set(id, channel as unknown as APIChannel, guildId === undefined ? {} : { guildId });
  });
}

/** CHANNEL_DELETE / THREAD_DELETE: the channel goes, with its messages, invites and voice states. */
export function channelDelete(what: string) {
  return writeHandler(true, (tx, data, ctx) => {
    const channel = objectOf(data, what);
    const id = idOf(channel, 'id', what);
    if (ctx.keeps('channels')) tx.channels.delete(id);
  });
}

export const channelPinsUpdate = readWriteHandler(true, async (data, ctx) => {
  const what = 'CHANNEL_PINS_UPDATE';
  const pins = objectOf(data, what);
  const channelId = idOf(pins, 'channel_id', what);
  if (!ctx.keeps('channels')) return;
  await ctx.cache.channels.patch(channelId, { last_pin_timestamp: pins.last_pin_timestamp ?? null } as never);
});

/**
 * THREAD_LIST_SYNC: the active threads of the listed parent channels (of the whole guild when
 * `channel_ids` is absent). Cached threads of those parents that are not in the list are gone.
 */
export const threadListSync = readWriteHandler(true, async (data, ctx) => {
  const what = 'THREAD_LIST_SYNC';
  const sync = objectOf(data, what);
  const guildId = idOf(sync, 'guild_id', what);
  const parents = sync.channel_ids === undefined ? undefined : new Set(arrayOf(sync, 'channel_ids', what));
  const threads = arrayOf(sync, 'threads', what).map((item, i) => {
    const thread = objectOf(item, `${what}.threads[${i}]`);
    return { id: idOf(thread, 'id', `${what}.threads[${i}]`), value: thread };
  });
  if (!ctx.keeps('channels')) return;
  const listed = new Set(threads.map((thread) => thread.id));
  const gone: string[] = [];
  for await (const [id, channel] of ctx.cache.channels.forGuild(guildId)) {
    const parentId = (channel as { parent_id?: string | null }).parent_id;
    if (!THREAD_TYPES.has(channel.type) || listed.has(id)) continue;
    if (parents === undefined || (parentId != null && parents.has(parentId))) gone.push(id);
  }
  await ctx.cache.transaction((tx) => {
    for (const id of gone) tx.channels.delete(id);
    for (const { id, value } of threads) {
      tx.channels.set(id, { ...value, guild_id: guildId } as unknown as APIChannel, { guildId });
    }
  });
});

/** THREAD_MEMBERS_UPDATE: only the thread's member count is cached. */
export const threadMembersUpdate = readWriteHandler(true, async (data, ctx) => {
  const what = 'THREAD_MEMBERS_UPDATE';
  const update = objectOf(data, what);
  const id = idOf(update, 'id', what);
  if (!ctx.keeps('channels') || typeof update.member_count !== 'number') return;
  await ctx.cache.channels.patch(id, { member_count: update.member_count } as never);
});
