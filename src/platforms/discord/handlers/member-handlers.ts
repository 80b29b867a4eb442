/** GUILD_MEMBER_ADD / UPDATE / REMOVE and GUILD_MEMBERS_CHUNK. Members keep their user alive. */
import type { APIGuildMember, APIUser } from 'discord-api-types/v10';
import type { DiscordValueTypes } from '../discord-types.js';
import { arrayOf, idOf, isFullUser, type JsonObject, objectOf, userOf } from '../payload-checks.js';
import { type DiscordTransaction, type HandlerContext, mergeHandler, writeHandler } from './handler-types.js';

/** The member as GUILD_CREATE lists it: the event's `guild_id` is the key, not part of the value. */
function memberValue(member: JsonObject): APIGuildMember {
  const { guild_id: _guildId, ...rest } = member;
  return rest as unknown as APIGuildMember;
}

function writeMember(
  tx: DiscordTransaction,
  ctx: HandlerContext,
  guildId: string,
  userId: string,
  user: JsonObject,
  member: APIGuildMember,
): void {
  if (ctx.keeps('users') && isFullUser(user)) tx.users.set(userId, user as unknown as APIUser);
  if (ctx.keeps('members')) tx.members.set(guildId, userId, member);
}

export const memberAdd = writeHandler(true, (tx, data, ctx) => {
  const what = 'GUILD_MEMBER_ADD';
  const member = objectOf(data, what);
  const guildId = idOf(member, 'guild_id', what);
  const [userId, user] = userOf(member, 'user', what);
  writeMember(tx, ctx, guildId, userId, user, memberValue(member));
});

/** The update omits some fields (deaf, mute): merged into the cached member. */
export const memberUpdate = mergeHandler(
  true,
  (data) => {
    const what = 'GUILD_MEMBER_UPDATE';
    const member = objectOf(data, what);
    const guildId = idOf(member, 'guild_id', what);
    const [userId] = userOf(member, 'user', what);
    return { kind: 'member', guildId, userId };
  },
  (tx, data, ctx, previous) => {
    const member = data as JsonObject;
    const [userId, user] = userOf(member, 'user', 'GUILD_MEMBER_UPDATE');
    const guildId = member.guild_id as string;
    writeMember(tx, ctx, guildId, userId, user, { ...previous, ...memberValue(member) });
  },
);

/**
 * A member left: the membership, the presence and the voice state go (discord.js's GuildMemberRemove
 * action deletes `guild.voiceStates.cache` too); the user stays while other references keep it.
 */
export const memberRemove = writeHandler(true, (tx, data, ctx) => {
  const what = 'GUILD_MEMBER_REMOVE';
  const event = objectOf(data, what);
  const guildId = idOf(event, 'guild_id', what);
  const [userId, user] = userOf(event, 'user', what);
  if (ctx.keeps('users') && isFullUser(user)) tx.users.set(userId, user as unknown as APIUser);
  if (ctx.keeps('members')) tx.members.delete(guildId, userId);
  if (ctx.keeps('presences')) tx.presences.delete(guildId, userId);
  if (ctx.keeps('voiceStates')) tx.voiceStates.delete(guildId, userId);
});

/** A chunk answers a member request: members (and presences when asked for) are added, nothing cleared. */
export const membersChunk = writeHandler(true, (tx, data, ctx) => {
  const what = 'GUILD_MEMBERS_CHUNK';
  const chunk = objectOf(data, what);
  const guildId = idOf(chunk, 'guild_id', what);
  const members = arrayOf(chunk, 'members', what).map((item, i) => {
    const member = objectOf(item, `${what}.members[${i}]`);
    return { member, user: userOf(member, 'user', `${what}.members[${i}]`) };
  });
  const presences = arrayOf(chunk, 'presences', what, true).map((item, i) => {
    const presence = objectOf(item, `${what}.presences[${i}]`);
    return { presence, userId: userOf(presence, 'user', `${what}.presences[${i}]`)[0] };
  });
  for (const { member, user } of members)
    writeMember(tx, ctx, guildId, user[0], user[1], memberValue(member));
  if (!ctx.keeps('presences')) return;
  for (const { presence, userId } of presences) {
    tx.presences.set(guildId, userId, {
      ...presence,
      guild_id: guildId,
    } as unknown as DiscordValueTypes['presences']);
  }
});
