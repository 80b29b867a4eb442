/**
 * Merge-writes shared by the event handlers: events carry partial views of users, members and
 * channels, so each write keeps what the cache already knew and overlays what the event says. They
 * stage into the event's {@link EventBatch}, which applies the whole event as one transaction.
 */
import type { MezonCacheTarget } from './cache-target.js';
import type { EventBatch } from './event-batch.js';
import { defined } from './payload.js';
import type { MezonChannelRecord, MezonMemberRecord, MezonUserRecord } from './records.js';

/** Where an event handler writes, and who the bot is (events about the bot itself mean more). */
export interface MezonEventContext {
  readonly cache: MezonCacheTarget;
  readonly botId: string;
}

export async function upsertUser(batch: EventBatch, user: MezonUserRecord): Promise<void> {
  const known = await batch.user(user.id);
  batch.setUser({ ...known, ...defined(user), id: user.id });
}

export async function upsertMember(
  batch: EventBatch,
  clanId: string,
  userId: string,
  fields: Partial<Omit<MezonMemberRecord, 'clan_id' | 'user_id' | 'role_ids'>>,
): Promise<void> {
  const known = await batch.member(clanId, userId);
  batch.setMember({
    ...known,
    ...defined(fields),
    clan_id: clanId,
    user_id: userId,
    role_ids: known?.role_ids ?? [],
  });
}

/** Adds or removes one role on members; a member not cached yet is created, since the event proves it exists. */
export async function changeMemberRoles(
  batch: EventBatch,
  clanId: string,
  userIds: readonly string[],
  roleId: string,
  change: 'add' | 'remove',
): Promise<void> {
  for (const userId of userIds) {
    const known = await batch.member(clanId, userId);
    if (!known && change === 'remove') continue;
    const roles = new Set(known?.role_ids ?? []);
    if (change === 'add') roles.add(roleId);
    else roles.delete(roleId);
    batch.setMember({ ...known, clan_id: clanId, user_id: userId, role_ids: [...roles] });
  }
}

export async function upsertChannel(
  batch: EventBatch,
  channelId: string,
  clanId: string | undefined,
  fields: Partial<MezonChannelRecord>,
): Promise<MezonChannelRecord> {
  const known = await batch.channel(channelId);
  const channel: MezonChannelRecord = {
    ...known,
    ...defined(fields),
    channel_id: channelId,
    ...(clanId !== undefined && { clan_id: clanId }),
  };
  batch.setChannel(channel);
  return channel;
}
