/** add_clan_user / user_clan_removed → members and users; the bot joining or leaving → clans. */

import type { EventBatch } from './event-batch.js';
import { asPayload, idList, requireClan, requireId, text } from './payload.js';
import type { AddClanUserEvent, UserClanRemovedEvent } from './sdk-types.js';
import { type MezonEventContext, upsertMember, upsertUser } from './upserts.js';

export async function onAddClanUser(
  _context: MezonEventContext,
  event: AddClanUserEvent,
  batch: EventBatch,
): Promise<void> {
  const payload = asPayload(event, 'add_clan_user_event');
  const clanId = requireClan(payload, 'clan_id');
  const user = asPayload(payload.user, 'user');
  const userId = requireId(user, 'user_id');
  const profile = {
    username: text(user, 'username'),
    display_name: text(user, 'display_name'),
    avatar: text(user, 'avatar'),
  };
  await upsertUser(batch, { id: userId, ...profile });
  // The member's clan is recorded with it (for the bot joining a clan, that is all the SDK knows of it).
  await upsertMember(batch, clanId, userId, profile);
}

export async function onUserClanRemoved(
  context: MezonEventContext,
  event: UserClanRemovedEvent,
  batch: EventBatch,
): Promise<void> {
  const payload = asPayload(event, 'user_clan_removed_event');
  const clanId = requireClan(payload, 'clan_id');
  const userIds = idList(payload, 'user_ids');
  if (userIds.includes(context.botId)) {
    // The bot left the clan: everything bound to it goes (the guild resource cascades).
    batch.deleteClan(clanId);
    return;
  }
  // Leaving a clan ends every membership in it: the member, its voice state and its place in each of the
  // clan's channel member lists (Mezon's client drops the user from the clan's channel members too).
  const leaving = new Set(userIds);
  for (const userId of userIds) {
    batch.deleteMember(clanId, userId);
    batch.deleteVoiceState(clanId, userId);
  }
  const channelIds: string[] = [];
  for await (const id of batch.cache.channels.forGuild(clanId).keys()) channelIds.push(id);
  for (const channelId of channelIds) {
    const channel = await batch.channel(channelId);
    if (!channel?.member_ids?.some((id) => leaving.has(id))) continue;
    batch.setChannel({ ...channel, member_ids: channel.member_ids.filter((id) => !leaving.has(id)) });
  }
}
