/**
 * Turns the SDK's live objects (Clan, TextChannel, User) into plain records. The SDK rebuilds these
 * objects on reconnect, so botcache keeps only their data, never the objects.
 */

import type { ApiChannelDescription } from 'mezon-sdk';
import type { MezonChannelRecord, MezonClanRecord, MezonUserRecord } from './records.js';
import type { MezonSdkChannel, MezonSdkClan, MezonSdkUser } from './sdk-shapes.js';
import type { MezonClient } from './sdk-types.js';

export type SdkClan = NonNullable<ReturnType<MezonClient['clans']['get']>>;
export type SdkChannel = NonNullable<ReturnType<MezonClient['channels']['get']>>;
export type SdkUser = NonNullable<ReturnType<MezonClient['users']['get']>>;

/** The SDK's pseudo-clan for direct messages. */
export const DM_CLAN_ID = '0';

export function clanRecord(clan: MezonSdkClan): MezonClanRecord {
  return {
    id: clan.id,
    ...(clan.name && { name: clan.name }),
    ...(clan.clan_name && { clan_name: clan.clan_name }),
    ...(clan.welcome_channel_id && { welcome_channel_id: clan.welcome_channel_id }),
  };
}

export function channelRecord(channel: MezonSdkChannel): MezonChannelRecord | undefined {
  if (!channel.id) return undefined;
  const clanId = channel.clan?.id;
  return {
    channel_id: channel.id,
    ...(clanId && clanId !== DM_CLAN_ID && { clan_id: clanId }),
    ...(channel.name && { channel_label: channel.name }),
    ...(channel.channel_type !== undefined && { channel_type: channel.channel_type }),
    ...(channel.category_id && { category_id: channel.category_id }),
    ...(channel.category_name && { category_name: channel.category_name }),
    ...(channel.parent_id && channel.parent_id !== '0' && { parent_id: channel.parent_id }),
    ...(channel.meeting_code && { meeting_code: channel.meeting_code }),
    channel_private: Boolean(channel.is_private),
  };
}

export function userRecord(user: MezonSdkUser): MezonUserRecord {
  return {
    id: user.id,
    ...(user.username && { username: user.username }),
    ...(user.display_name && { display_name: user.display_name }),
    // The SDK spells the field `avartar`.
    ...(user.avartar && { avatar: user.avartar }),
  };
}

/** A channel as REST describes it (`GET /v2/channeldesc[/{id}]`). */
export function channelDescRecord(desc: ApiChannelDescription): MezonChannelRecord | undefined {
  if (!desc.channel_id) return undefined;
  const clanId = desc.clan_id;
  // The SDK reads either spelling of the type (`Clan.loadChannels`).
  const type = (desc as { channel_type?: number }).channel_type || desc.type;
  return {
    channel_id: desc.channel_id,
    ...(clanId && clanId !== DM_CLAN_ID && { clan_id: clanId }),
    ...(desc.channel_label && { channel_label: desc.channel_label }),
    ...(type !== undefined && { channel_type: type }),
    ...(desc.category_id && { category_id: desc.category_id }),
    ...(desc.category_name && { category_name: desc.category_name }),
    ...(desc.parent_id && desc.parent_id !== '0' && { parent_id: desc.parent_id }),
    ...(desc.creator_id && { creator_id: desc.creator_id }),
    ...(desc.meeting_code && { meeting_code: desc.meeting_code }),
    ...(desc.status !== undefined && { status: desc.status }),
    ...(desc.active !== undefined && { active: desc.active }),
    channel_private: Boolean(desc.channel_private),
  };
}
