/**
 * The payload shapes the simulation produces: the fields Mezon's socket and REST API send (snake_case,
 * string ids), reduced to what a bot reads. They are what the cache stores, as a real adapter would.
 */
export interface MezonClan {
  readonly clan_id: string;
  readonly clan_name: string;
  readonly creator_id: string;
  readonly logo: string;
}

export interface MezonChannel {
  readonly channel_id: string;
  readonly clan_id: string;
  readonly channel_label: string;
  readonly type: number;
}

export interface MezonRole {
  readonly id: string;
  readonly clan_id: string;
  readonly title: string;
  readonly color: string;
  readonly max_level_permission: number;
}

export interface MezonUser {
  readonly id: string;
  readonly username: string;
  readonly display_name: string;
  readonly avatar_url: string;
}

export interface MezonClanUser {
  readonly user_id: string;
  readonly clan_id: string;
  readonly clan_nick: string;
  readonly role_id: readonly string[];
}

export interface MezonChannelMessage {
  readonly message_id: string;
  readonly clan_id: string;
  readonly channel_id: string;
  readonly sender_id: string;
  readonly username: string;
  readonly content: { readonly t: string };
  readonly create_time: string;
}

/** The value type of each resource in the demo's cache. */
export interface DemoResourceTypes {
  guilds: MezonClan;
  channels: MezonChannel;
  roles: MezonRole;
  users: MezonUser;
  members: MezonClanUser;
  messages: MezonChannelMessage;
}
