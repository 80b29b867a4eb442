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
  await replaceGuild(ctx, guild, what, false);
});

/**
 * Applies a re-sync snapshot (GUILD_CREATE-shaped): the guild's fields are merged into the cached guild
 * (a REST guild lacks the GUILD_CREATE-only ones), and only the collections the snapshot carries are
 * replaced; absent ones stay as cached. `undefined` means the bot is no longer in the guild.
 */
export async function applyGuildSnapshot(
  ctx: HandlerContext,
  guildId: string,
  snapshot: JsonObject | undefined,
): Promise<void> {
  const what = 'resync snapshot';
  if (snapshot === undefined) {
    ctx.guildGone(guildId);
    await ctx.cache.guilds.delete(guildId);
    return;
  }
  const guild = objectOf(snapshot, what);
  if (idOf(guild, 'id', what) !== guildId) throw new TypeError(`${what}.id must be ${guildId}`);
  await replaceGuild(ctx, guild, what, true);
}

/** Collections of a replace: undefined means "not in the payload" (kept as cached on a partial replace). */
function present<T>(guild: JsonObject, field: string, partial: boolean, read: () => T[]): T[] | undefined {
  return partial && !(field in guild) ? undefined : read();
}

/**
 * Replaces what is cached for the guild with the payload, in one batch: entities missing from a listed
 * collection are deleted, the rest written. `partial`: collections absent from the payload are kept,
 * and the guild's fields are merged into the cached guild.
 */
async function replaceGuild(ctx: HandlerContext, guild: JsonObject, what: string, partial: boolean) {
  const guildId = idOf(guild, 'id', what);
  const hasChannels = !partial || 'channels' in guild || 'threads' in guild;
  const channels = hasChannels
    ? [
        ...entities<APIChannel>(guild, 'channels', 'id', what),
        ...entities<APIChannel>(guild, 'threads', 'id', what),
      ].map(({ id, value }) => ({ id, value: { ...value, guild_id: guildId } as APIChannel }))
    : undefined;
  const roles = present(guild, 'roles', partial, () => entities<APIRole>(guild, 'roles', 'id', what));
  const emojis = present(guild, 'emojis', partial, () => entities<APIEmoji>(guild, 'emojis', 'id', what));
  const members = present(guild, 'members', partial, () =>
    arrayOf(guild, 'members', what, true).map((item, i): MemberEntry => {
      const member = objectOf(item, `${what}.members[${i}]`);
      const [id, user] = userOf(member, 'user', `${what}.members[${i}]`);
      return { id, value: member as unknown as APIGuildMember, user: user as unknown as APIUser };
    }),
  );
  const presences = present(guild, 'presences', partial, () =>
    arrayOf(guild, 'presences', what, true).map((item, i) => {
      const presence = objectOf(item, `${what}.presences[${i}]`);
      const [id] = userOf(presence, 'user', `${what}.presences[${i}]`);
      return { id, value: { ...presence, guild_id: guildId } as unknown as DiscordValueTypes['presences'] };
    }),
  );
  const voiceStates = present(guild, 'voice_states', partial, () =>
    entities<JsonObject>(guild, 'voice_states', 'user_id', what).map(({ id, value }) => ({
      id,
      channelId: optionalIdOf(value, 'channel_id', `${what}.voice_states`),
      value: { ...value, guild_id: guildId } as unknown as DiscordValueTypes['voiceStates'],
    })),
  );

  // Read what is cached now (this guild's lane runs nothing else meanwhile), then replace in one batch.
  const { cache } = ctx;
  const keysOf = (keep: boolean, view: { keys(): AsyncIterable<string> }) =>
    keep ? collect(view.keys()) : Promise.resolve([]);
  const [previous, oldChannels, oldRoles, oldEmojis, oldMembers, oldPresences, oldVoice] = await Promise.all([
    partial && ctx.keeps('guilds') ? cache.guilds.get(guildId) : undefined,
    keysOf(ctx.keeps('channels') && channels !== undefined, cache.channels.forGuild(guildId)),
    keysOf(ctx.keeps('roles') && roles !== undefined, cache.roles.forGuild(guildId)),
    keysOf(ctx.keeps('emojis') && emojis !== undefined, cache.emojis.forGuild(guildId)),
    keysOf(ctx.keeps('members') && members !== undefined, cache.members.forGuild(guildId)),
    keysOf(
      ctx.keeps('presences') && (presences !== undefined || members !== undefined),
      cache.presences.forGuild(guildId),
    ),
    keysOf(
      ctx.keeps('voiceStates') && (voiceStates !== undefined || members !== undefined),
      cache.voiceStates.forGuild(guildId),
    ),
  ]);
  // On a partial replace without presences/voice states, those of users who are no longer members go.
  const memberIds = members === undefined ? undefined : new Set(members.map((m) => m.id));
  const goneUsers = (ids: readonly string[]) =>
    ids.filter((id) => memberIds !== undefined && !memberIds.has(id));
  const allMembers = members ?? [];
  const allPresences = presences ?? [];
  // Members, their users and presences are written with the guild in one batch, unless there are more
  // than `largeGuildBatch` of them: then they follow in batches of that size, so one huge guild cannot
  // block a shared Redis for seconds (readers may briefly see part of such a guild's members).
  const split = allMembers.length + allPresences.length > ctx.largeGuildBatch;
  await cache.transaction((tx) => {
    if (ctx.keeps('guilds'))
      tx.guilds.set(guildId, { ...previous, ...guildWithoutCollections(guild) } as CachedGuild);
    if (ctx.keeps('channels') && channels !== undefined) {
      for (const id of stale(oldChannels, channels)) tx.channels.delete(id);
      for (const { id, value } of channels) tx.channels.set(id, value, { guildId });
    }
    if (ctx.keeps('roles') && roles !== undefined) {
      for (const id of stale(oldRoles, roles)) tx.roles.delete(id);
      for (const { id, value } of roles) tx.roles.set(id, value, { guildId });
    }
    if (ctx.keeps('emojis') && emojis !== undefined) {
      for (const id of stale(oldEmojis, emojis)) tx.emojis.delete(id);
      for (const { id, value } of emojis) tx.emojis.set(id, value, { guildId });
    }
    if (ctx.keeps('members') && members !== undefined)
      for (const id of stale(oldMembers, members)) tx.members.delete(guildId, id);
    if (ctx.keeps('presences')) {
      const gone = presences === undefined ? goneUsers(oldPresences) : stale(oldPresences, presences);
      for (const id of gone) tx.presences.delete(guildId, id);
    }
    if (ctx.keeps('voiceStates')) {
      const gone = voiceStates === undefined ? goneUsers(oldVoice) : stale(oldVoice, voiceStates);
      for (const id of gone) tx.voiceStates.delete(guildId, id);
      for (const { id, value, channelId } of voiceStates ?? []) {
        tx.voiceStates.set(guildId, id, value, channelId === undefined ? {} : { channelId });
      }
    }
    if (!split) {
      writeMembers(tx, ctx, guildId, allMembers);
      writePresences(tx, ctx, guildId, allPresences);
    }
  });
  if (split) {
    for (let i = 0; i < allMembers.length; i += ctx.largeGuildBatch) {
      const part = allMembers.slice(i, i + ctx.largeGuildBatch);
      await cache.transaction((tx) => writeMembers(tx, ctx, guildId, part));
    }
    for (let i = 0; i < allPresences.length; i += ctx.largeGuildBatch) {
      const part = allPresences.slice(i, i + ctx.largeGuildBatch);
      await cache.transaction((tx) => writePresences(tx, ctx, guildId, part));
    }
  }
  ctx.guildAvailable(guildId);
}

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
