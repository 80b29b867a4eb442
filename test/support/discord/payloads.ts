/**
 * Builders of realistic gateway v10 payloads, typed with discord-api-types, so scenarios read as
 * "a guild with 1000 members" rather than pages of JSON.
 */
import {
  type APIBaseVoiceState,
  type APIEmoji,
  type APIGuildMember,
  type APIMessage,
  type APIRole,
  type APIUser,
  ChannelType,
  type GatewayGuildCreateDispatchData,
  type GatewayPresenceUpdate,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildHubType,
  type GuildMemberFlags,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  MessageType,
  type PresenceUpdateReceiveStatus,
  PresenceUpdateStatus,
  type RoleFlags,
} from 'discord-api-types/v10';

const EPOCH = '2024-01-01T00:00:00.000Z';

/** A snowflake-looking id: `kind` picks a range so ids of different kinds never collide. */
export function snowflake(kind: number, n: number): string {
  return (BigInt(kind) * 10n ** 17n + BigInt(n)).toString();
}

export function user(id: string, username = `user${id.slice(-6)}`): APIUser {
  return { id, username, discriminator: '0', global_name: null, avatar: null };
}

export function member(account: APIUser, roles: string[] = []): APIGuildMember {
  return {
    user: account,
    roles,
    joined_at: EPOCH,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    nick: null,
  };
}

export function role(id: string, name: string, position = 1): APIRole {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    position,
    permissions: '0',
    managed: false,
    mentionable: false,
    flags: 0 as RoleFlags,
  };
}

export function emoji(id: string, name: string): APIEmoji {
  return { id, name, roles: [], require_colons: true, managed: false, animated: false, available: true };
}

export function textChannel(id: string, guildId: string, name: string, parentId: string | null = null) {
  return {
    id,
    guild_id: guildId,
    name,
    type: ChannelType.GuildText as const,
    position: 0,
    parent_id: parentId,
    permission_overwrites: [],
    nsfw: false,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
  };
}

export function voiceChannel(id: string, guildId: string, name: string) {
  return {
    id,
    guild_id: guildId,
    name,
    type: ChannelType.GuildVoice as const,
    position: 0,
    parent_id: null,
    permission_overwrites: [],
    nsfw: false,
    bitrate: 64_000,
    user_limit: 0,
    rtc_region: null,
    last_message_id: null,
    rate_limit_per_user: 0,
  };
}

export function category(id: string, guildId: string, name: string) {
  return {
    id,
    guild_id: guildId,
    name,
    type: ChannelType.GuildCategory as const,
    position: 0,
    parent_id: null,
    permission_overwrites: [],
    nsfw: false,
  };
}

export function thread(id: string, guildId: string, parentId: string, name: string) {
  return {
    id,
    guild_id: guildId,
    parent_id: parentId,
    name,
    type: ChannelType.PublicThread as const,
    owner_id: '1',
    member_count: 1,
    message_count: 0,
    total_message_sent: 0,
    last_message_id: null,
    rate_limit_per_user: 0,
    thread_metadata: {
      archived: false,
      auto_archive_duration: 1440 as const,
      locked: false,
      archive_timestamp: EPOCH,
    },
  };
}

export function presence(
  guildId: string,
  userId: string,
  status: `${PresenceUpdateReceiveStatus}` = PresenceUpdateStatus.Online,
) {
  return {
    user: { id: userId },
    guild_id: guildId,
    status: status as PresenceUpdateReceiveStatus,
    activities: [],
    client_status: { desktop: status as PresenceUpdateReceiveStatus },
  } satisfies GatewayPresenceUpdate;
}

export function voiceState(
  guildId: string,
  channelId: string | null,
  userId: string,
): APIBaseVoiceState & {
  guild_id: string;
} {
  return {
    guild_id: guildId,
    channel_id: channelId,
    user_id: userId,
    session_id: `voice-${userId}`,
    deaf: false,
    mute: false,
    self_deaf: false,
    self_mute: false,
    self_video: false,
    suppress: false,
    request_to_speak_timestamp: null,
  };
}

export function message(
  id: string,
  channelId: string,
  author: APIUser,
  content: string,
  guildId?: string,
): APIMessage & { guild_id?: string } {
  return {
    id,
    channel_id: channelId,
    ...(guildId === undefined ? {} : { guild_id: guildId }),
    author,
    content,
    timestamp: EPOCH,
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: MessageType.Default,
  };
}

export interface GuildShape {
  readonly id: string;
  readonly name?: string;
  /** Members (each with a fresh user); the first `withPresence` of them also get an online presence. */
  readonly members?: number;
  readonly withPresence?: number;
  readonly textChannels?: number;
  readonly roles?: number;
  /** Offset of the member user ids, so two guilds can share or not share users. */
  readonly userOffset?: number;
}

/** Ids a {@link guildCreate} used, so tests can address its entities. */
export function guildIds(shape: GuildShape) {
  const n = BigInt(shape.id) % 1000n;
  const base = Number(n) * 10_000;
  return {
    guild: shape.id,
    category: snowflake(2, base),
    voice: snowflake(2, base + 1),
    text: (i: number) => snowflake(2, base + 10 + i),
    thread: snowflake(2, base + 9),
    everyone: shape.id,
    role: (i: number) => snowflake(3, base + 1 + i),
    emoji: snowflake(4, base),
    user: (i: number) => snowflake(1, (shape.userOffset ?? base * 10) + i),
  };
}

/** A full GUILD_CREATE payload: category, text and voice channels, a thread, roles, an emoji,
 * members, presences and one voice state. */
export function guildCreate(shape: GuildShape): GatewayGuildCreateDispatchData {
  const ids = guildIds(shape);
  const memberCount = shape.members ?? 10;
  const roleCount = shape.roles ?? 3;
  const roles = [role(ids.everyone, '@everyone', 0)];
  for (let i = 0; i < roleCount; i++) roles.push(role(ids.role(i), `role-${i}`, i + 1));
  const members: APIGuildMember[] = [];
  const presences: GatewayPresenceUpdate[] = [];
  for (let i = 0; i < memberCount; i++) {
    const account = user(ids.user(i));
    members.push(member(account, i % 2 === 0 && roleCount > 0 ? [ids.role(0)] : []));
    if (i < (shape.withPresence ?? 0)) presences.push(presence(shape.id, account.id));
  }
  const textChannels = [];
  for (let i = 0; i < (shape.textChannels ?? 2); i++) {
    textChannels.push(textChannel(ids.text(i), shape.id, `text-${i}`, ids.category));
  }
  const firstMember = members[0]?.user?.id;
  return {
    id: shape.id,
    name: shape.name ?? `guild-${shape.id}`,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: firstMember ?? '1',
    region: 'us-west',
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.AllMessages,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles,
    emojis: [emoji(ids.emoji, 'party')],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: GuildPremiumTier.None,
    preferred_locale: 'en-US' as GatewayGuildCreateDispatchData['preferred_locale'],
    public_updates_channel_id: null,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    nsfw_level: GuildNSFWLevel.Default,
    stickers: [],
    premium_progress_bar_enabled: false,
    hub_type: GuildHubType.Default as GuildHubType | null,
    safety_alerts_channel_id: null,
    incidents_data: null,
    joined_at: EPOCH,
    large: memberCount > 250,
    member_count: memberCount,
    voice_states: firstMember ? [voiceState(shape.id, ids.voice, firstMember)] : [],
    members,
    channels: [
      category(ids.category, shape.id, 'general'),
      ...textChannels,
      voiceChannel(ids.voice, shape.id, 'voice'),
    ],
    threads: [thread(ids.thread, shape.id, ids.text(0), 'a-thread')],
    presences,
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}
