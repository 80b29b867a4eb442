/**
 * Merge-writes shared by the event handlers: events carry partial views of users, members and
 * channels, so each write keeps what the cache already knew and overlays what the event says.
 */
import type { MezonCacheTarget } from './cache-target.js';
import { defined } from './payload.js';
import type { MezonChannelRecord, MezonMemberRecord, MezonUserRecord } from './records.js';

/** Where an event handler writes, and who the bot is (events about the bot itself mean more). */
export interface MezonEventContext {
  readonly cache: MezonCacheTarget;
  readonly botId: string;
}

export async function upsertUser(cache: MezonCacheTarget, user: MezonUserRecord): Promise<void> {
  const known = (await cache.users.get(user.id)) as MezonUserRecord | undefined;
  await cache.users.set(user.id, { ...known, ...defined(user) });
}

export async function upsertMember(
  cache: MezonCacheTarget,
  clanId: string,
  userId: string,
  fields: Partial<Omit<MezonMemberRecord, 'clan_id' | 'user_id' | 'role_ids'>>,
): Promise<void> {
  const known = (await cache.members.get(clanId, userId)) as MezonMemberRecord | undefined;
  const member: MezonMemberRecord = {
    ...known,
    ...defined(fields),
    clan_id: clanId,
    user_id: userId,
    role_ids: known?.role_ids ?? [],
  };
  await cache.members.set(clanId, userId, member);
}

/** Adds or removes one role on members; a member not cached yet is created, since the event proves it exists. */
export async function changeMemberRoles(
  cache: MezonCacheTarget,
  clanId: string,
  userIds: readonly string[],
  roleId: string,
  change: 'add' | 'remove',
): Promise<void> {
  for (const userId of userIds) {
    const known = (await cache.members.get(clanId, userId)) as MezonMemberRecord | undefined;
    if (!known && change === 'remove') continue;
    const roles = new Set(known?.role_ids ?? []);
    if (change === 'add') roles.add(roleId);
    else roles.delete(roleId);
    const member: MezonMemberRecord = { ...known, clan_id: clanId, user_id: userId, role_ids: [...roles] };
    await cache.members.set(clanId, userId, member);
  }
}

export async function upsertChannel(
  cache: MezonCacheTarget,
  channelId: string,
  clanId: string | undefined,
  fields: Partial<MezonChannelRecord>,
): Promise<MezonChannelRecord> {
  const known = (await cache.channels.get(channelId)) as MezonChannelRecord | undefined;
  const channel: MezonChannelRecord = {
    ...known,
    ...defined(fields),
    channel_id: channelId,
    ...(clanId !== undefined && { clan_id: clanId }),
  };
  await cache.channels.set(channelId, channel, clanId === undefined ? {} : { guildId: clanId });
  return channel;
}
