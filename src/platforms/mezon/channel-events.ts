/** channel_created / updated / deleted, user_channel_added / removed → channels, users, members. */

import type { EventBatch } from './event-batch.js';
import { asPayload, clanScope, idList, num, requireId, text } from './payload.js';
import type { MezonChannelRecord } from './records.js';
import type {
  ChannelCreatedEvent,
  ChannelDeletedEvent,
  ChannelUpdatedEvent,
  UserChannelAddedEvent,
  UserChannelRemoved,
} from './sdk-types.js';
import { type MezonEventContext, upsertChannel, upsertMember, upsertUser } from './upserts.js';

/** The fields created and updated events share; `channel_private` is a number in one and a boolean in the other. */
function channelFields(event: ChannelCreatedEvent | ChannelUpdatedEvent): Partial<MezonChannelRecord> {
  const payload = asPayload(event, 'channel event');
  const isPrivate = payload.channel_private;
  return {
    channel_label: text(payload, 'channel_label'),
    channel_type: num(payload, 'channel_type'),
    category_id: text(payload, 'category_id'),
    parent_id: text(payload, 'parent_id') === '0' ? undefined : text(payload, 'parent_id'),
    creator_id: text(payload, 'creator_id'),
    channel_private:
      typeof isPrivate === 'boolean' || typeof isPrivate === 'number' ? Boolean(isPrivate) : undefined,
    app_url: text(payload, 'app_url'),
    meeting_code: text(payload, 'meeting_code'),
    topic: text(payload, 'topic'),
    status: num(payload, 'status'),
    active: num(payload, 'active'),
    e2ee: num(payload, 'e2ee'),
    age_restricted: num(payload, 'age_restricted'),
  };
}

export async function onChannelUpsert(
  _context: MezonEventContext,
  event: ChannelCreatedEvent | ChannelUpdatedEvent,
  batch: EventBatch,
): Promise<void> {
  const payload = asPayload(event, 'channel event');
  const channelId = requireId(payload, 'channel_id');
  // channel_created_event names the clan too: a clan first seen here is recorded with its name.
  await upsertChannel(
    batch,
    channelId,
    clanScope(payload, 'clan_id'),
    channelFields(event),
    text(payload, 'clan_name'),
  );
}

export async function onChannelDeleted(
  _context: MezonEventContext,
  event: ChannelDeletedEvent,
  batch: EventBatch,
): Promise<void> {
  const payload = asPayload(event, 'channel_deleted_event');
  // Its messages, invites and voice states go in the same batch (the channel resource cascades).
  batch.deleteChannel(requireId(payload, 'channel_id'));
}

export async function onUserChannelAdded(
  _context: MezonEventContext,
  event: UserChannelAddedEvent,
  batch: EventBatch,
): Promise<void> {
  const payload = asPayload(event, 'user_channel_added_event');
  const desc = asPayload(payload.channel_desc, 'channel_desc');
  const channelId = requireId(desc, 'channel_id');
  const clanId = clanScope(payload, 'clan_id') ?? clanScope(desc, 'clan_id');
  const users = Array.isArray(payload.users) ? payload.users.map((user) => asPayload(user, 'users[]')) : [];
  const userIds = users.map((user) => requireId(user, 'user_id'));

  const known = await batch.channel(channelId);
  const members = new Set([...(known?.member_ids ?? []), ...userIds]);
  const isPrivate = desc.channel_private;
  await upsertChannel(batch, channelId, clanId, {
    channel_label: text(desc, 'channel_label'),
    channel_type: num(desc, 'type'),
    category_id: text(desc, 'category_id'),
    category_name: text(desc, 'category_name'),
    parent_id: text(desc, 'parent_id') === '0' ? undefined : text(desc, 'parent_id'),
    channel_private: typeof isPrivate === 'number' ? isPrivate !== 0 : undefined,
    meeting_code: text(desc, 'meeting_code'),
    app_url: text(desc, 'app_url'),
    member_ids: [...members],
  });
  for (const [index, user] of users.entries()) {
    const userId = userIds[index] as string;
    const profile = {
      username: text(user, 'username'),
      display_name: text(user, 'display_name'),
      avatar: text(user, 'avatar'),
    };
    await upsertUser(batch, {
      id: userId,
      ...profile,
      mezon_id: text(user, 'mezon_id'),
      about_me: text(user, 'about_me'),
    });
    // Being added to a clan channel implies membership of the clan.
    if (clanId !== undefined) await upsertMember(batch, clanId, userId, profile);
  }
}

export async function onUserChannelRemoved(
  context: MezonEventContext,
  event: UserChannelRemoved,
  batch: EventBatch,
): Promise<void> {
  const payload = asPayload(event, 'user_channel_removed_event');
  const channelId = requireId(payload, 'channel_id');
  const removed = new Set(idList(payload, 'user_ids'));
  // The bot no longer sees the channel: keeping it would serve a channel it cannot use.
  if (removed.has(context.botId)) {
    batch.deleteChannel(channelId);
    return;
  }
  const known = await batch.channel(channelId);
  if (!known?.member_ids) return;
  batch.setChannel({ ...known, member_ids: known.member_ids.filter((id) => !removed.has(id)) });
}
