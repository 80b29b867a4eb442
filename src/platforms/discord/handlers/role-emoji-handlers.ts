/** GUILD_ROLE_* and GUILD_EMOJIS_UPDATE. */
import type { APIEmoji, APIGuildMember, APIRole } from 'discord-api-types/v10';
import { arrayOf, idOf, objectOf } from '../payload-checks.js';
import { collect, readWriteHandler, writeHandler } from './handler-types.js';

/** GUILD_ROLE_CREATE / GUILD_ROLE_UPDATE: `{ guild_id, role }`. */
export function roleUpsert(what: string) {
  return writeHandler(true, (tx, data, ctx) => {
    const event = objectOf(data, what);
    const guildId = idOf(event, 'guild_id', what);
    const role = objectOf(event.role, `${what}.role`);
    const id = idOf(role, 'id', `${what}.role`);
    if (ctx.keeps('roles')) tx.roles.set(id, role as unknown as APIRole, { guildId });
  });
}

/**
 * GUILD_ROLE_DELETE: the role goes, and so does its id from the `roles` of the guild's cached members,
 * in the same batch (Discord sends no GUILD_MEMBER_UPDATE for them).
 */
export const roleDelete = readWriteHandler(true, async (data, ctx) => {
  const what = 'GUILD_ROLE_DELETE';
  const event = objectOf(data, what);
  const guildId = idOf(event, 'guild_id', what);
  const roleId = idOf(event, 'role_id', what);
  const holders: [userId: string, member: APIGuildMember][] = [];
  if (ctx.keeps('members')) {
    for await (const [userId, member] of ctx.cache.members.forGuild(guildId)) {
      if (Array.isArray(member.roles) && member.roles.includes(roleId)) holders.push([userId, member]);
    }
  }
  await ctx.cache.transaction((tx) => {
    if (ctx.keeps('roles')) tx.roles.delete(roleId);
    for (const [userId, member] of holders) {
      tx.members.set(guildId, userId, { ...member, roles: member.roles.filter((id) => id !== roleId) });
    }
  });
});

/** GUILD_EMOJIS_UPDATE carries the guild's whole emoji list: replace the cached one. */
export const emojisUpdate = readWriteHandler(true, async (data, ctx) => {
  const what = 'GUILD_EMOJIS_UPDATE';
  const event = objectOf(data, what);
  const guildId = idOf(event, 'guild_id', what);
  const emojis = arrayOf(event, 'emojis', what).map((item, i) => {
    const emoji = objectOf(item, `${what}.emojis[${i}]`);
    return { id: idOf(emoji, 'id', `${what}.emojis[${i}]`), value: emoji as unknown as APIEmoji };
  });
  if (!ctx.keeps('emojis')) return;
  const listed = new Set(emojis.map((emoji) => emoji.id));
  const cached = await collect(ctx.cache.emojis.forGuild(guildId).keys());
  await ctx.cache.transaction((tx) => {
    for (const id of cached) if (!listed.has(id)) tx.emojis.delete(id);
    for (const { id, value } of emojis) tx.emojis.set(id, value, { guildId });
  });
});
