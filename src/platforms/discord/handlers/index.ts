/** The gateway events the Discord event manager applies, by dispatch name. */
import {
  channelDelete,
  channelPinsUpdate,
  channelUpsert,
  threadListSync,
  threadMembersUpdate,
} from './channel-handlers.js';
import { guildCreate, guildDelete, guildUpdate } from './guild-handlers.js';
import type { DispatchHandler } from './handler-types.js';
import { inviteCreate, inviteDelete } from './invite-handlers.js';
import { memberAdd, memberRemove, membersChunk, memberUpdate } from './member-handlers.js';
import { messageCreate, messageDelete, messageDeleteBulk, messageUpdate } from './message-handlers.js';
import { presenceUpdate, voiceStateUpdate } from './presence-voice-handlers.js';
import { emojisUpdate, roleDelete, roleUpsert } from './role-emoji-handlers.js';
import { ready, userUpdate } from './session-handlers.js';

export const DISPATCH_HANDLERS: Readonly<Record<string, DispatchHandler>> = {
  READY: ready,
  USER_UPDATE: userUpdate,
  GUILD_CREATE: guildCreate,
  GUILD_UPDATE: guildUpdate,
  GUILD_DELETE: guildDelete,
  CHANNEL_CREATE: channelUpsert('CHANNEL_CREATE'),
  CHANNEL_UPDATE: channelUpsert('CHANNEL_UPDATE'),
  CHANNEL_DELETE: channelDelete('CHANNEL_DELETE'),
  CHANNEL_PINS_UPDATE: channelPinsUpdate,
  THREAD_CREATE: channelUpsert('THREAD_CREATE'),
  THREAD_UPDATE: channelUpsert('THREAD_UPDATE'),
  THREAD_DELETE: channelDelete('THREAD_DELETE'),
  THREAD_LIST_SYNC: threadListSync,
  THREAD_MEMBERS_UPDATE: threadMembersUpdate,
  GUILD_ROLE_CREATE: roleUpsert('GUILD_ROLE_CREATE'),
  GUILD_ROLE_UPDATE: roleUpsert('GUILD_ROLE_UPDATE'),
  GUILD_ROLE_DELETE: roleDelete,
  GUILD_EMOJIS_UPDATE: emojisUpdate,
  GUILD_MEMBER_ADD: memberAdd,
  GUILD_MEMBER_UPDATE: memberUpdate,
  GUILD_MEMBER_REMOVE: memberRemove,
  GUILD_MEMBERS_CHUNK: membersChunk,
  PRESENCE_UPDATE: presenceUpdate,
  VOICE_STATE_UPDATE: voiceStateUpdate,
  INVITE_CREATE: inviteCreate,
  INVITE_DELETE: inviteDelete,
  MESSAGE_CREATE: messageCreate,
  MESSAGE_UPDATE: messageUpdate,
  MESSAGE_DELETE: messageDelete,
  MESSAGE_DELETE_BULK: messageDeleteBulk,
};

/** The dispatch names the event manager handles. */
export const HANDLED_EVENTS: readonly string[] = Object.keys(DISPATCH_HANDLERS);
