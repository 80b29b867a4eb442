/**
 * The plain records botcache stores for Mezon, in Mezon's own field names. They hold data only, never
 * SDK objects, so they survive reconnects and can live in Redis. Ids are decimal strings.
 */
import type { MezonMessageContent, MezonMessageReaction, MezonRole } from './sdk-shapes.js';

/** A clan (stored in the guild resource). */
export interface MezonClanRecord {
  readonly id: string;
  readonly clan_name?: string;
  readonly name?: string;
  readonly welcome_channel_id?: string;
  /**
   * Set when mezon-sdk gave up reconnecting: the cache no longer follows this clan's events. The next
   * successful login's refresh clears it.
   */
  readonly stale?: boolean;
}

/** A channel or thread; `clan_id` is absent for direct-message channels. */
export interface MezonChannelRecord {
  readonly channel_id: string;
  readonly clan_id?: string;
  readonly channel_label?: string;
  readonly channel_type?: number;
  readonly category_id?: string;
  readonly category_name?: string;
  readonly parent_id?: string;
  readonly creator_id?: string;
  readonly channel_private?: boolean;
  readonly meeting_code?: string;
  readonly app_url?: string;
  readonly topic?: string;
  readonly status?: number;
  readonly active?: number;
  readonly e2ee?: number;
  readonly age_restricted?: number;
  /** Users the socket reported as added to the channel (private channels, threads), until removed. */
  readonly member_ids?: readonly string[];
}

/** A Mezon account, the same in every clan. Clan-specific nick and avatar live on the member. */
export interface MezonUserRecord {
  readonly id: string;
  readonly username?: string;
  readonly display_name?: string;
  readonly avatar?: string;
  readonly mezon_id?: string;
  readonly about_me?: string;
}

/** A user's membership of one clan. */
export interface MezonMemberRecord {
  readonly clan_id: string;
  readonly user_id: string;
  readonly username?: string;
  readonly display_name?: string;
  readonly avatar?: string;
  readonly clan_nick?: string;
  readonly clan_avatar?: string;
  /** Role ids, as far as role events told us. */
  readonly role_ids: readonly string[];
  /**
   * Set on every cached member of a clan when the bot logs in again: Mezon cannot list a clan's members,
   * so a member who left while the bot was away cannot be told apart. Cleared by the next event that
   * shows the member (a message, a join, a role change).
   */
  readonly unconfirmed?: boolean;
}

/** A clan role as the socket and `clan.listRoles()` describe it (user lists are kept on members instead). */
export type MezonRoleRecord = Omit<Partial<MezonRole>, 'role_user_list' | 'permission_list'> & {
  readonly id: string;
  readonly clan_id: string;
};

/** A channel message with its JSON-string fields decoded. */
export interface MezonMessageRecord {
  readonly id: string;
  readonly channel_id: string;
  readonly clan_id?: string;
  readonly sender_id: string;
  readonly content: MezonMessageContent;
  readonly mentions?: readonly unknown[];
  readonly attachments?: readonly unknown[];
  readonly references?: readonly unknown[];
  readonly reactions?: readonly MezonReactionRecord[];
  readonly code?: number;
  readonly mode?: number;
  readonly topic_id?: string;
  readonly create_time?: string;
  readonly update_time?: string;
  readonly create_time_seconds?: number;
  readonly update_time_seconds?: number;
  /** Set by an edit that asked not to show "(edited)". */
  readonly hide_editted?: boolean;
  readonly username?: string;
  readonly display_name?: string;
  readonly clan_nick?: string;
}

/** One user's reaction with one emoji on a message. */
export type MezonReactionRecord = Pick<MezonMessageReaction, 'emoji' | 'sender_name'> & {
  readonly emoji_id: string;
  readonly sender_id: string;
  readonly count: number;
};

/** A user in a voice channel. */
export interface MezonVoiceStateRecord {
  readonly clan_id: string;
  readonly user_id: string;
  readonly voice_channel_id: string;
  readonly voice_channel_label?: string;
  readonly participant?: string;
  /** The socket's id of this voice session; `voice_leaved_event` names it. */
  readonly id?: string;
}
