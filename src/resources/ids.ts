import { describe } from '../util/validate.js';

/** Longest resource id accepted (snowflakes, Mezon ids and invite codes are far shorter). */
const MAX_ID_LENGTH = 256;

/**
 * Checks a platform id (guild, channel, user, message id, invite code). Braces are refused because
 * composite keys use `{guildId}` as a Redis Cluster hash tag.
 */
export function assertId(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string id (got ${describe(value)})`);
  if (value.length === 0) throw new RangeError(`${name} must not be empty`);
  if (value.length > MAX_ID_LENGTH)
    throw new RangeError(`${name} must be at most ${MAX_ID_LENGTH} characters (got ${value.length})`);
  if (value.includes('{') || value.includes('}'))
    throw new RangeError(`${name} must not contain '{' or '}' (got '${value}')`);
}

export function assertIds(values: unknown, name: string): asserts values is readonly string[] {
  if (!Array.isArray(values))
    throw new TypeError(`${name} must be an array of ids (got ${describe(values)})`);
  for (let i = 0; i < values.length; i++) assertId(values[i], `${name}[${i}]`);
}

/** The store key of a (guild, user) entity: the guild id is the hash tag, so a guild's entities share a slot. */
export function guildUserKey(guildId: string, userId: string): string {
  // join builds one flat string; a template literal builds a tree of three cons strings, which a
  // memory store would keep (and walk on every hash) for as long as it holds the key.
  return ['{', guildId, '}:', userId].join('');
}

/** Splits a key made by {@link guildUserKey}; undefined for a key of another shape. */
export function parseGuildUserKey(key: string): [guildId: string, userId: string] | undefined {
  const end = key.indexOf('}:');
  if (!key.startsWith('{') || end < 0) return undefined;
  return [key.slice(1, end), key.slice(end + 2)];
}
