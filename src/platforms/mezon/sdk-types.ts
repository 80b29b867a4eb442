/**
 * The mezon-sdk types botcache reads, taken from the SDK itself so a payload change shows up as a
 * type error. Types only: mezon-sdk stays an optional peer dependency with no runtime import here.
 */
import type { MezonClient } from 'mezon-sdk';

export type {
  AddClanUserEvent,
  ApiMessageReaction,
  ApiRole,
  ApiRoleListEventResponse,
  ChannelCreatedEvent,
  ChannelDeletedEvent,
  ChannelDescription,
  ChannelMessage,
  ChannelMessageContent,
  ChannelUpdatedEvent,
  MessageReaction,
  MezonClient,
  UserChannelAddedEvent,
  UserChannelRemoved,
  UserClanRemovedEvent,
  UserProfileRedis,
  VoiceJoinedEvent,
  VoiceLeavedEvent,
} from 'mezon-sdk';

/** The root package does not export the realtime types; the client's own listener signatures carry them. */
export type RoleEvent = Parameters<Parameters<MezonClient['onRoleEvent']>[0]>[0];
export type RoleAssignedEvent = Parameters<Parameters<MezonClient['onRoleAssign']>[0]>[0];
export type MezonRole = NonNullable<RoleEvent['role']>;

/** SDK event names (the values of its `Events` enum) that botcache listens to. */
export const MEZON_EVENTS = {
  channelMessage: 'channel_message',
  messageReaction: 'message_reaction_event',
  channelCreated: 'channel_created_event',
  channelUpdated: 'channel_updated_event',
  channelDeleted: 'channel_deleted_event',
  userChannelAdded: 'user_channel_added_event',
  userChannelRemoved: 'user_channel_removed_event',
  addClanUser: 'add_clan_user_event',
  userClanRemoved: 'user_clan_removed_event',
  roleEvent: 'role_event',
  roleAssign: 'role_assign_event',
  voiceJoined: 'voice_joined_event',
  voiceLeaved: 'voice_leaved_event',
  ready: 'ready',
} as const;

export type MezonEventName = (typeof MEZON_EVENTS)[keyof typeof MEZON_EVENTS];

/**
 * `TypeMessage` codes of a channel message that change an existing message (mezonai/mezon
 * `libs/utils/src/lib/types/index.ts`: Chat 0, ChatUpdate 1, ChatRemove 2, UpdateEphemeralMsg 14,
 * DeleteEphemeralMsg 15). Every other code is a new message, as in Mezon's own client.
 */
export const MESSAGE_CODE = {
  chat: 0,
  update: 1,
  remove: 2,
  updateEphemeral: 14,
  removeEphemeral: 15,
} as const;

/**
 * `RoleEvent.status`: what happened to the role, Mezon's `EEventAction` (mezonai/mezon,
 * `libs/utils/src/lib/types/index.ts`): CREATED 1, UPDATE 2, DELETE 3. Any other value is ignored.
 */
export const ROLE_STATUS = { created: 1, updated: 2, deleted: 3 } as const;

/** `ChannelType.CHANNEL_TYPE_CHANNEL`: the only type `clan.loadChannels()` lists. */
export const TEXT_CHANNEL_TYPE = 1;
