/** PRESENCE_UPDATE and VOICE_STATE_UPDATE. */
import type { APIGuildMember, APIUser } from 'discord-api-types/v10';
import type { DiscordValueTypes } from '../discord-types.js';
import { idOf, isFullUser, isObject, objectOf, optionalIdOf, userOf } from '../payload-checks.js';
import { writeHandler } from './handler-types.js';

/** Offline means "not present": the presence is removed rather than stored as offline. */
export const presenceUpdate = writeHandler(true, (tx, data, ctx) => {
  const what = 'PRESENCE_UPDATE';
  const presence = objectOf(data, what);
  const guildId = idOf(presence, 'guild_id', what);
  const [userId, user] = userOf(presence, 'user', what);
  if (typeof presence.status !== 'string') throw new TypeError(`${what}.status must be a string`);
  // Presences usually carry only `{ id }`; a whole user means it changed.
  if (ctx.keeps('users') && isFullUser(user)) tx.users.set(userId, user as unknown as APIUser);
  if (!ctx.keeps('presences')) return;
  if (presence.status === 'offline') tx.presences.delete(guildId, userId);
  else tx.presences.set(guildId, userId, presence as unknown as DiscordValueTypes['presences']);
});

/**
 * A voice state with a channel is written with that channel as its link (a move re-links it in the
 * same batch, so `forChannel(old)` no longer lists the user); `channel_id: null` means they left voice.
 */
export const voiceStateUpdate = writeHandler(true, (tx, data, ctx) => {
  const what = 'VOICE_STATE_UPDATE';
  const state = objectOf(data, what);
  const userId = idOf(state, 'user_id', what);
  const guildId = optionalIdOf(state, 'guild_id', what);
  const channelId = optionalIdOf(state, 'channel_id', what);
  if (guildId === undefined) return; // DM calls have no guild-bound state to keep.
  if (isObject(state.member) && ctx.keeps('members')) {
    const [memberUserId, user] = userOf(state.member, 'user', `${what}.member`);
    if (ctx.keeps('users')) tx.users.set(memberUserId, user as unknown as APIUser);
    tx.members.set(guildId, memberUserId, state.member as unknown as APIGuildMember);
  }
  if (!ctx.keeps('voiceStates')) return;
  if (channelId === undefined) {
    tx.voiceStates.delete(guildId, userId);
    return;
  }
  const { member: _member, ...value } = state;
  tx.voiceStates.set(guildId, userId, value as unknown as DiscordValueTypes['voiceStates'], { channelId });
});
