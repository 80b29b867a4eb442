/**
 * GUILD_CREATE / GUILD_UPDATE / GUILD_DELETE. A GUILD_CREATE replaces everything cached for the guild
 * in one atomic batch: entities missing from the payload are deleted, the rest written. A GUILD_DELETE
 * with `unavailable` is an outage, not a leave: the data stays, marked unavailable, until the guild
 * comes back with a fresh GUILD_CREATE.
 */
import type { APIChannel, APIEmoji, APIGuildMember, APIRole, APIUser } from 'discord-api-types/v10';
import type { CachedGuild, DiscordValueTypes } from '../discord-types.js';
import { arrayOf, idOf, type JsonObject, objectOf, optionalIdOf, userOf } from '../payload-checks.js';
import { collect, type DiscordTransaction, type HandlerContext, readWriteHandler } from './handler-types.js';

const COLLECTIONS = ['channels', 'threads', 'members', 'presences', 'voice_states', 'roles', 'emojis'];

/** The guild without its collections (and without the `shardId` discord.js adds to the raw payload). */
export function guildWithoutCollections(data: JsonObject): CachedGuild {
  const guild: JsonObject = {};
  for (const [field, value] of Object.entries(data)) {
    if (!COLLECTIONS.includes(field) && field !== 'shardId') guild[field] = value;
  }
  return guild as unknown as CachedGuild;
}

interface Entity<T> {
  readonly id: string;
  readonly value: T;
}

function entities<T>(data: JsonObject, field: string, idField: string, what: string): Entity<T>[] {
  return arrayOf(data, field, what, true).map((item, i) => {
    const object = objectOf(item, `${what}.${field}[${i}]`);
    return { id: idOf(object, idField, `${what}.${field}[${i}]`), value: object as T };
  });
}

function stale(existing: readonly string[], fresh: readonly Entity<unknown>[]): string[] {
  const keep = new Set(fresh.map((entity) => entity.id));
  return existing.filter((id) => !keep.has(id));
}

export const guildCreate = readWriteHandler(false, async (data, ctx) => {
  const what = 'GUILD_CREATE';
  const guild = objectOf(data, what);
  const guildId = idOf(guild, 'id', what);
  if (guild.unavailable === true) {
    await markUnavailable(ctx, guildId);
    return;
  }
  const channels = [
    ...entities<APIChannel>(guild, 'channels', 'id', what),
    ...entities<APIChannel>(guild, 'threads', 'id', what),
  ].map(({ id, value }) => ({ id, value: { ...value, guild_id: guildId } as APIChannel }));
  const roles = entities<APIRole>(guild, 'roles', 'id', what);
  const emojis = entities<APIEmoji>(guild, 'emojis', 'id', what);
  const members = arrayOf(guild, 'members', what, true).map((item, i) => {
    const member = objectOf(item, `${what}.members[${i}]`);
    const [id, user] = userOf(member, 'user', `${what}.members[${i}]`);
    return { id, value: member as unknown as APIGuildMember, user: user as unknown as APIUser };
  });
  const presences = arrayOf(guild, 'presences', what, true).map((item, i) => {
    const presence = objectOf(item, `${what}.presences[${i}]`);
    const [id] = userOf(presence, 'user', `${what}.presences[${i}]`);
    return { id, value: { ...presence, guild_id: guildId } as unknown as DiscordValueTypes['presences'] };
  });
  const voiceStates = entities<JsonObject>(guild, 'voice_states', 'user_id', what).map(({ id, value }) => ({
    id,
    channelId: optionalIdOf(value, 'channel_id', `${what}.voice_states`),
    value: { ...value, guild_id: guildId } as unknown as DiscordValueTypes['voiceStates'],
  }));

  // Read what is cached now (this guild's lane runs nothing else meanwhile), then replace in one batch.
  const { cache } = ctx;
  const [oldChannels, oldRoles, oldEmojis, oldMembers, oldPresences, oldVoice] = await Promise.all([
    ctx.keeps('channels') ? collect(cache.channels.forGuild(guildId).keys()) : [],
    ctx.keeps('roles') ? collect(cache.roles.forGuild(guildId).keys()) : [],
    ctx.keeps('emojis') ? collect(cache.emojis.forGuild(guildId).keys()) : [],
    ctx.keeps('members') ? collect(cache.members.forGuild(guildId).keys()) : [],
    ctx.keeps('presences') ? collect(cache.presences.forGuild(guildId).keys()) : [],
    ctx.keeps('voiceStates') ? collect(cache.voiceStates.forGuild(guildId).keys()) : [],
  ]);
  // Members, their users and presences are written with the guild in one batch, unless there are more
  // than `largeGuildBatch` of them: then they follow in batches of that size, so one huge guild cannot
  // block a shared Redis for seconds (readers may briefly see part of such a guild's members).
  const split = members.length + presences.length > ctx.largeGuildBatch;
  await cache.transaction((tx) => {
    if (ctx.keeps('guilds')) tx.guilds.set(guildId, guildWithoutCollections(guild));
    if (ctx.keeps('channels')) {
      for (const id of stale(oldChannels, channels)) tx.channels.delete(id);
      for (const { id, value } of channels) tx.channels.set(id, value, { guildId });
    }
    if (ctx.keeps('roles')) {
      for (const id of stale(oldRoles, roles)) tx.roles.delete(id);
      for (const { id, value } of roles) tx.roles.set(id, value, { guildId });
    }
    if (ctx.keeps('emojis')) {
      for (const id of stale(oldEmojis, emojis)) tx.emojis.delete(id);
      for (const { id, value } of emojis) tx.emojis.set(id, value, { guildId });
    }
    if (ctx.keeps('members')) for (const id of stale(oldMembers, members)) tx.members.delete(guildId, id);
    if (ctx.keeps('presences'))
      for (const id of stale(oldPresences, presences)) tx.presences.delete(guildId, id);
    if (ctx.keeps('voiceStates')) {
      for (const id of stale(oldVoice, voiceStates)) tx.voiceStates.delete(guildId, id);
      for (const { id, value, channelId } of voiceStates) {
        tx.voiceStates.set(guildId, id, value, channelId === undefined ? {} : { channelId });
      }
    }
    if (!split) {
      writeMembers(tx, ctx, guildId, members);
      writePresences(tx, ctx, guildId, presences);
    }
  });
  if (split) {
    for (let i = 0; i < members.length; i += ctx.largeGuildBatch) {
      const part = members.slice(i, i + ctx.largeGuildBatch);
      await cache.transaction((tx) => writeMembers(tx, ctx, guildId, part));
    }
    for (let i = 0; i < presences.length; i += ctx.largeGuildBatch) {
      const part = presences.slice(i, i + ctx.largeGuildBatch);
      await cache.transaction((tx) => writePresences(tx, ctx, guildId, part));
    }
  }
  ctx.guildAvailable(guildId);
});

interface MemberEntry {
  readonly id: string;
  readonly value: APIGuildMember;
  readonly user: APIUser;
}

function writeMembers(
  tx: DiscordTransaction,
  ctx: HandlerContext,
  guildId: string,
  members: readonly MemberEntry[],
): void {
  if (!ctx.keeps('members')) return;
  for (const { id, value, user } of members) {
    if (ctx.keeps('users')) tx.users.set(id, user);
    tx.members.set(guildId, id, value);
  }
}

function writePresences(
  tx: DiscordTransaction,
  ctx: HandlerContext,
  guildId: string,
  presences: readonly Entity<DiscordValueTypes['presences']>[],
): void {
  if (!ctx.keeps('presences')) return;
  for (const { id, value } of presences) tx.presences.set(guildId, id, value);
}

/** GUILD_UPDATE carries the guild with its roles and emojis but without the GUILD_CREATE-only fields: merge. */
export const guildUpdate = readWriteHandler(true, async (data, ctx) => {
  const what = 'GUILD_UPDATE';
  const guild = objectOf(data, what);
  const guildId = idOf(guild, 'id', what);
  const roles = entities<APIRole>(guild, 'roles', 'id', what);
  const emojis = entities<APIEmoji>(guild, 'emojis', 'id', what);
  const { cache } = ctx;
  const [previous, oldRoles, oldEmojis] = await Promise.all([
    cache.guilds.get(guildId),
    ctx.keeps('roles') && 'roles' in guild ? collect(cache.roles.forGuild(guildId).keys()) : [],
    ctx.keeps('emojis') && 'emojis' in guild ? collect(cache.emojis.forGuild(guildId).keys()) : [],
  ]);
  await cache.transaction((tx) => {
    if (ctx.keeps('guilds')) tx.guilds.set(guildId, { ...previous, ...guildWithoutCollections(guild) });
    if (ctx.keeps('roles') && 'roles' in guild) {
      for (const id of stale(oldRoles, roles)) tx.roles.delete(id);
      for (const { id, value } of roles) tx.roles.set(id, value, { guildId });
    }
    if (ctx.keeps('emojis') && 'emojis' in guild) {
      for (const id of stale(oldEmojis, emojis)) tx.emojis.delete(id);
      for (const { id, value } of emojis) tx.emojis.set(id, value, { guildId });
    }
  });
});

async function markUnavailable(ctx: HandlerContext, guildId: string): Promise<void> {
  await ctx.cache.guilds.patch(guildId, { unavailable: true });
}

/** Unavailable: keep the data (marked). Left or kicked (no `unavailable`): delete the guild and all it holds. */
export const guildDelete = readWriteHandler(false, async (data, ctx) => {
  const what = 'GUILD_DELETE';
  const guild = objectOf(data, what);
  const guildId = idOf(guild, 'id', what);
  if (guild.unavailable === true) {
    await markUnavailable(ctx, guildId);
    return;
  }
  ctx.guildGone(guildId);
  await ctx.cache.guilds.delete(guildId);
});
