/**
 * Merge-writes shared by the event handlers: events carry partial views of users, members and
 * channels, so each write keeps what the cache already knew and overlays what the event says. They
 * stage into the event's {@link EventBatch}, which applies the whole event as one transaction.
 */
import type { MezonCacheTarget } from './cache-target.js';
import type { EventBatch } from './event-batch.js';
import { defined } from './payload.js';
import type { RecentIdentities } from './recent-identities.js';
import type { MezonChannelRecord, MezonMemberRecord, MezonUserRecord } from './records.js';

/** Where an event handler writes, and who the bot is (events about the bot itself mean more). */
export interface MezonEventContext {
  readonly cache: MezonCacheTarget;
  readonly botId: string;
  /** Identities of events already applied (reaction ids), so a repeated delivery is not counted twice. */
  readonly recent?: RecentIdentities;
}

/**
 * Records a clan an event reveals (with the name the event gives, if any), so nothing bound to a clan is
 * ever cached without the clan. A known clan only takes a new non-empty name.
 */
export async function ensureClan(batch: EventBatch, clanId: string, clanName?: string): Promise<void> {
  const known = await batch.clan(clanId);
  if (known && (clanName === undefined || known.clan_name === clanName)) return;
  batch.setClan({ ...known, id: clanId, ...(clanName !== undefined && { clan_name: clanName }) });
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
  await ensureClan(batch, clanId);
  const known = confirmed(await batch.member(clanId, userId));
  batch.setMember({
    ...known,
    ...defined(fields),
    clan_id: clanId,
    user_id: userId,
    role_ids: known?.role_ids ?? [],
  });
}

/** A member an event has just shown to be in its clan: no longer unconfirmed. */
function confirmed(member: MezonMemberRecord | undefined): MezonMemberRecord | undefined {
  if (member?.unconfirmed === undefined) return member;
  const { unconfirmed: _unconfirmed, ...rest } = member;
  return rest;
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
    if (!known) await ensureClan(batch, clanId);
    const roles = new Set(known?.role_ids ?? []);
    if (change === 'add') roles.add(roleId);
    else roles.delete(roleId);
    batch.setMember({ ...confirmed(known), clan_id: clanId, user_id: userId, role_ids: [...roles] });
  }
}

export async function upsertChannel(
  batch: EventBatch,
  channelId: string,
  clanId: string | undefined,
  fields: Partial<MezonChannelRecord>,
  clanName?: string,
): Promise<MezonChannelRecord> {
  if (clanId !== undefined) await ensureClan(batch, clanId, clanName);
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
