/**
 * Argument checks shared by every store. Each throws a TypeError or RangeError whose message names
 * the argument, so a caller sees at once what was wrong.
 */

/** Longest key accepted, in UTF-16 code units. */
export const MAX_KEY_LENGTH = 1024;
const NAMESPACE_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Namespaces are short identifiers: they become part of Redis keys, file names and metric labels. */
export function assertNamespace(ns: unknown, name = 'namespace'): asserts ns is string {
  if (typeof ns !== 'string') throw new TypeError(`${name} must be a string (got ${describe(ns)})`);
  if (!NAMESPACE_PATTERN.test(ns)) {
    throw new RangeError(
      `${name} must be 1-64 characters of letters, digits, '_', '.' or '-', not starting with '.' or '-' (got '${ns}')`,
    );
  }
}

export function assertKey(key: unknown, name = 'key'): asserts key is string {
  if (typeof key !== 'string') throw new TypeError(`${name} must be a string (got ${describe(key)})`);
  if (key.length === 0) throw new RangeError(`${name} must not be empty`);
  if (key.length > MAX_KEY_LENGTH) {
    throw new RangeError(`${name} must be at most ${MAX_KEY_LENGTH} characters (got ${key.length})`);
  }
}

export function assertKeys(keys: unknown, name = 'keys'): asserts keys is readonly string[] {
  if (!Array.isArray(keys))
    throw new TypeError(`${name} must be an array of strings (got ${describe(keys)})`);
  for (let i = 0; i < keys.length; i++) assertKey(keys[i], `${name}[${i}]`);
}

export function assertPositiveInteger(
  value: unknown,
  name: string,
  max = Number.MAX_SAFE_INTEGER,
): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number (got ${describe(value)})`);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new RangeError(`${name} must be an integer from 1 to ${max} (got ${value})`);
  }
}

/** Latest time a JavaScript Date (and every backend's expiry) can represent, in epoch ms. */
export const MAX_TIMESTAMP = 8.64e15;

/**
 * The longest finite TTL accepted now: one whose expiry is still a Date (at most {@link MAX_TIMESTAMP}).
 * A longer one would give an expiry no backend can store, and every later write that carries the
 * entry's expiry forward would fail on an `expiresAt` the caller never passed.
 */
export function maxTtl(now = Date.now()): number {
  return Math.floor(MAX_TIMESTAMP - now);
}

/**
 * A TTL in milliseconds: positive and short enough that its expiry is a Date (see {@link maxTtl}, about
 * 273 000 years), or Infinity for "never expires".
 */
export function assertTtl(value: unknown, name = 'ttl'): asserts value is number {
  if (typeof value !== 'number')
    throw new TypeError(`${name} must be a number of milliseconds (got ${describe(value)})`);
  if (Number.isNaN(value) || value <= 0 || (value > maxTtl() && value !== Number.POSITIVE_INFINITY)) {
    throw new RangeError(
      `${name} must be a positive number of milliseconds up to ${maxTtl()} (its expiry must be a Date), or Infinity for never (got ${value})`,
    );
  }
}

export function assertTimestamp(value: unknown, name = 'expiresAt'): asserts value is number {
  if (typeof value !== 'number')
    throw new TypeError(`${name} must be a number (epoch milliseconds) (got ${describe(value)})`);
  if (!Number.isFinite(value) || value < 0 || value > MAX_TIMESTAMP) {
    throw new RangeError(
      `${name} must be an epoch time in milliseconds from 0 to ${MAX_TIMESTAMP} (got ${value})`,
    );
  }
}
