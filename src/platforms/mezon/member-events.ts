/** add_clan_user / user_clan_removed → members and users; the bot joining or leaving → clans. */

import type { EventBatch } from './event-batch.js';
import { asPayload, idList, requireClan, requireId, text } from './payload.js';
import type { AddClanUserEvent, UserClanRemovedEvent } from './sdk-types.js';
import { type MezonEventContext, upsertMember, upsertUser } from './upserts.js';

export async function onAddClanUser(
  context: MezonEventContext,
  event: AddClanUserEvent,
  batch: EventBatch,
): Promise<void> {
  const payload = asPayload(event, 'add_clan_user_event');
  const clanId = requireClan(payload, 'clan_id');
  const user = asPayload(payload.user, 'user');
  const userId = requireId(user, 'user_id');
  if (userId === context.botId) {
    // The bot joined a clan: the SDK knows nothing more about it than its id yet.
    if (!(await batch.clan(clanId))) batch.setClan({ id: clanId });
  }
  const profile = {
    username: text(user, 'username'),
    display_name: text(user, 'display_name'),
    avatar: text(user, 'avatar'),
  };
  await upsertUser(batch, { id: userId, ...profile });
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
  for (const userId of userIds) {
    batch.deleteMember(clanId, userId);
    batch.deleteVoiceState(clanId, userId);
  }
}
