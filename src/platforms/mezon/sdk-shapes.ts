/**
 * What the public types of `botcache/mezon` say of mezon-sdk's client, objects and payloads, written out
 * rather than imported: they must hold without mezon-sdk installed (a type from a missing package is an
 * error, or a silent `any` under skipLibCheck). test/mezon/sdk-shapes.test.ts checks that mezon-sdk's
 * own types fit each of them (and the payloads both ways), so a change in the SDK shows up as a type error.
 */

/** mezon-sdk's `ChannelMessageContent`: the text `t` and its markup, each list left as it comes. */
export interface MezonMessageContent {
  readonly t?: string;
  readonly contentThread?: string;
  /** Hashtags. */
  readonly hg?: readonly unknown[];
  /** Emojis. */
  readonly ej?: readonly unknown[];
  /** Links. */
  readonly lk?: readonly unknown[];
  /** Markdown spans. */
  readonly mk?: readonly unknown[];
  /** Voice-room links. */
  readonly vk?: readonly unknown[];
  readonly embed?: readonly unknown[];
  readonly components?: unknown;
}

/** mezon-sdk's `ApiMessageReaction`: one reaction event or tally on a message. */
export interface MezonMessageReaction {
  readonly action?: boolean;
  readonly emoji_id?: string;
  readonly emoji?: string;
  readonly id?: string;
  readonly sender_id?: string;
  readonly sender_name?: string;
  readonly sender_avatar?: string;
  readonly count?: number;
  readonly channel_id?: string;
  readonly mode?: number;
  readonly channel_label?: string;
  readonly message_id?: string;
}

/** mezon-sdk's `ApiMessageMention`: a user or role mentioned in a message, and where (`s`..`e`). */
export interface MezonMessageMention {
  readonly create_time?: string;
  readonly id?: string;
  readonly user_id?: string;
  readonly username?: string;
  readonly role_id?: string;
  readonly rolename?: string;
  readonly s?: number;
  readonly e?: number;
  readonly channel_id?: string;
  readonly mode?: number;
  readonly channel_label?: string;
  readonly message_id?: string;
  readonly sender_id?: string;
}

/** mezon-sdk's `ApiMessageAttachment`. */
export interface MezonMessageAttachment {
  readonly filename?: string;
  readonly filetype?: string;
  readonly height?: number;
  readonly size?: number;
  readonly url?: string;
  readonly width?: number;
  readonly channel_id?: string;
  readonly mode?: number;
  readonly channel_label?: string;
  readonly message_id?: string;
  readonly sender_id?: string;
}

/** mezon-sdk's `ApiMessageRef`: the message a reply refers to. */
export interface MezonMessageRef {
  readonly message_id?: string;
  readonly message_ref_id: string;
  readonly ref_type?: number;
  readonly message_sender_id: string;
  readonly message_sender_username?: string;
  /** The SDK's spelling. */
  readonly mesages_sender_avatar?: string;
  readonly message_sender_clan_nick?: string;
  readonly message_sender_display_name?: string;
  readonly content?: string;
  readonly has_attachment?: boolean;
  readonly channel_id?: string;
  readonly mode?: number;
  readonly channel_label?: string;
}

/** mezon-sdk's `ChannelMessage` (the `channel_message` event). */
export interface MezonChannelMessage {
  readonly id: string;
  readonly avatar?: string;
  readonly channel_id: string;
  readonly channel_label: string;
  readonly clan_id?: string;
  readonly code: number;
  readonly content: MezonMessageContent;
  readonly create_time: string;
  readonly reactions?: readonly MezonMessageReaction[];
  readonly mentions?: readonly MezonMessageMention[];
  readonly attachments?: readonly MezonMessageAttachment[];
  readonly references?: readonly MezonMessageRef[];
  readonly referenced_message?: MezonChannelMessage;
  readonly persistent?: boolean;
  readonly sender_id: string;
  readonly update_time?: string;
  readonly clan_logo?: string;
  readonly category_name?: string;
  readonly username?: string;
  readonly clan_nick?: string;
  readonly clan_avatar?: string;
  readonly display_name?: string;
  readonly create_time_seconds?: number;
  readonly update_time_seconds?: number;
  readonly mode?: number;
  readonly message_id?: string;
  readonly hide_editted?: boolean;
  readonly is_public?: boolean;
  readonly topic_id?: string;
}

/** A clan role as the socket's `role_event` describes it (mezon-sdk `Role`), without its user and permission lists. */
export interface MezonRole {
  readonly id: string;
  readonly title: string;
  readonly color: string;
  readonly role_icon: string;
  readonly slug: string;
  readonly description: string;
  readonly creator_id: string;
  readonly clan_id: string;
  readonly active: number;
  readonly display_online: number;
  readonly allow_mention: number;
  readonly role_channel_active: number;
  readonly channel_ids: readonly string[];
  readonly max_level_permission: number;
  readonly order_role: number;
}

/** What botcache reads of a mezon-sdk `User`. */
export interface MezonSdkUser {
  readonly id: string;
  readonly username?: string;
  readonly display_name?: string;
  /** The SDK's spelling of "avatar". */
  readonly avartar?: string;
}

/** What botcache reads and calls of a mezon-sdk `TextChannel`. */
export interface MezonSdkChannel {
  readonly id: string | undefined;
  readonly name?: string | undefined;
  readonly is_private?: boolean;
  readonly channel_type?: number | undefined;
  readonly category_id?: string | undefined;
  readonly category_name?: string | undefined;
  readonly parent_id?: string | undefined;
  readonly meeting_code?: string | undefined;
  readonly clan?: { readonly id?: string } | undefined;
  /** Sends a message: content, then mentions, attachments, mention_everyone, anonymous_message and topic_id. */
  send(
    content: MezonMessageContent,
    mentions?: MezonMessageMention[],
    attachments?: MezonMessageAttachment[],
    mentionEveryone?: boolean,
    anonymousMessage?: boolean,
    topicId?: string,
  ): Promise<unknown>;
}

/** What botcache reads of a `clan.listRoles()` answer (mezon-sdk `ApiRoleListEventResponse`). */
export interface MezonRoleListResponse {
  readonly roles?: {
    readonly roles?: ReadonlyArray<{ readonly id?: string; readonly clan_id?: string }>;
  };
}

/** What botcache reads and calls of a mezon-sdk `Clan`. */
export interface MezonSdkClan {
  readonly id: string;
  readonly name?: string;
  readonly clan_name?: string;
  readonly welcome_channel_id?: string;
  readonly channels: { values(): IterableIterator<MezonSdkChannel> };
  loadChannels(): Promise<void>;
  listRoles(): Promise<MezonRoleListResponse>;
}

/** A mezon-sdk `CacheManager` as botcache reads it. */
export interface MezonSdkManager<V> {
  get(id: string): V | undefined;
  fetch(id: string): Promise<V>;
  values(): IterableIterator<V>;
}

/**
 * The parts of a mezon-sdk `MezonClient` botcache uses (a real client fits). Managers are read at call
 * time: the SDK replaces them on reconnect, and they are undefined until login.
 */
export interface MezonClientLike {
  /** The bot's user id. */
  readonly clientId: string;
  on(event: string, listener: (payload: unknown) => void): unknown;
  off(event: string, listener: (payload: unknown) => void): unknown;
  /** Wrapped while attached, to notice when the SDK gives up logging in (see `'connectionLost'`). */
  login?: () => Promise<string>;
  readonly clans?: Pick<MezonSdkManager<MezonSdkClan>, 'get' | 'values'>;
  readonly channels?: Pick<MezonSdkManager<MezonSdkChannel>, 'get' | 'fetch'>;
  readonly users?: Pick<MezonSdkManager<MezonSdkUser>, 'get'>;
}
