/**
 * READY and USER_UPDATE: the bot's own user, and READY's reconciliation. Guilds this shard cached
 * before but READY no longer lists were left while the bot was offline: they are deleted.
 */
import type { APIUser } from 'discord-api-types/v10';
import { arrayOf, idOf, objectOf } from '../payload-checks.js';
import { readWriteHandler, writeHandler } from './handler-types.js';

/** The shard a guild belongs to: `(guild_id >> 22) % shard_count` (Discord's formula). */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

export const ready = readWriteHandler(false, async (data, ctx) => {
  const what = 'READY';
  const payload = objectOf(data, what);
  const user = objectOf(payload.user, `${what}.user`);
  const userId = idOf(user, 'id', `${what}.user`);
  const listed = new Set(
    arrayOf(payload, 'guilds', what).map((guild, i) =>
      idOf(objectOf(guild, `${what}.guilds[${i}]`), 'id', what),
    ),
  );
  const shard = Array.isArray(payload.shard) ? payload.shard : [0, 1];
  const [shardId, shardCount] = shard.map(Number);
  if (!Number.isInteger(shardId) || !Number.isInteger(shardCount) || shardCount! < 1) {
    throw new TypeError(`${what}.shard must be [shard_id, shard_count]`);
  }
  const { cache } = ctx;
  await cache.transaction((tx) => {
    if (ctx.keeps('me')) tx.me.set(user as unknown as APIUser);
    if (ctx.keeps('users')) tx.users.set(userId, user as unknown as APIUser);
  });
  if (!ctx.keeps('guilds')) return;
  // Only this shard's guilds: other shards of the same bot may share the store.
  const gone: string[] = [];
  for await (const guildId of cache.guilds.keys()) {
    if (!listed.has(guildId) && /^\d+$/.test(guildId) && shardOf(guildId, shardCount!) === shardId) {
      gone.push(guildId);
    }
  }
  for (const guildId of gone) {
    ctx.guildGone(guildId);
    await cache.guilds.delete(guildId);
  }
});

export const userUpdate = writeHandler(false, (tx, data, ctx) => {
  const what = 'USER_UPDATE';
  const user = objectOf(data, what);
  const id = idOf(user, 'id', what);
  if (ctx.keeps('me')) tx.me.set(user as unknown as APIUser);
  if (ctx.keeps('users')) tx.users.set(id, user as unknown as APIUser);
});
