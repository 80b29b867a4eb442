/**
 * The value types the Discord adapter stores: Discord's own raw payloads (discord-api-types), minus
 * the sub-collections that live in their own resources.
 */
import type {
  APIChannel,
  APIEmoji,
  APIGuildMember,
  APIMessage,
  APIRole,
  APIUser,
  GatewayGuildCreateDispatchData,
  GatewayInviteCreateDispatchData,
  GatewayPresenceUpdate,
  GatewayVoiceState,
} from 'discord-api-types/v10';
import type { BotCache } from '../../resources/index.js';

/** GUILD_CREATE fields that botcache keeps in their own resources rather than inside the guild. */
export type GuildCollectionField =
  | 'channels'
  | 'threads'
  | 'members'
  | 'presences'
  | 'voice_states'
  | 'roles'
  | 'emojis';

/** A cached guild: the GUILD_CREATE payload without its collections (GUILD_UPDATE merges into it). */
export type CachedGuild = Omit<GatewayGuildCreateDispatchData, GuildCollectionField>;

/** A cached message; `guild_id` is present for guild messages, as in MESSAGE_CREATE. */
export type CachedMessage = APIMessage & { guild_id?: string };

/** The value types of a cache managed by Discord events (pass to `createCache<DiscordValueTypes>()`). */
export interface DiscordValueTypes {
  guilds: CachedGuild;
  channels: APIChannel;
  roles: APIRole;
  emojis: APIEmoji;
  members: APIGuildMember;
  users: APIUser;
  messages: CachedMessage;
  presences: GatewayPresenceUpdate;
  voiceStates: GatewayVoiceState;
  invites: GatewayInviteCreateDispatchData;
  me: APIUser;
}

/** A botcache cache holding Discord payloads. */
export type DiscordCache = BotCache<DiscordValueTypes>;
