/**
 * Values are JSON-compatible so that every store (memory, Redis, SQLite) holds and returns the same
 * thing, and the stored form stays readable from any language.
 */

import { stringSize } from './json-size.js';

const MAX_DEPTH = 256;

function fail(path: string, what: string): never {
  throw new TypeError(
    `${path} is ${what}; values must be JSON-compatible (plain objects, arrays, strings, finite numbers, booleans, null)`,
  );
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Deep-copies a JSON-compatible value and freezes the copy, so that neither the writer's later
 * mutations nor a reader's can change what the store holds.
 * @throws TypeError naming the path of the first value that is not JSON-compatible.
 */
export function frozenJsonCopy<T>(value: T, path = 'value'): T {
  return walk(value, path, 0, new Set<object>(), true) as T;
}

/**
 * One walk for both jobs, so the copy and the check can never disagree on what is JSON-compatible:
 * with `build` it returns a frozen deep copy, without it only checks (and returns nothing useful).
 */
function walk(value: unknown, path: string, depth: number, seen: Set<object>, build: boolean): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) fail(path, `a non-finite number (${value})`);
      return value === 0 ? 0 : value; // -0 is 0, as JSON writes it: every store answers the same
    case 'object': {
      if (value === null) return null;
      if (depth >= MAX_DEPTH) throw new RangeError(`${path} is nested deeper than ${MAX_DEPTH} levels`);
      if (seen.has(value)) fail(path, 'a circular reference');
      seen.add(value);
      let out: unknown;
      if (Array.isArray(value)) {
        const arr = build ? new Array<unknown>(value.length) : undefined;
        for (let i = 0; i < value.length; i++) {
          const item = walk(value[i], `${path}[${i}]`, depth + 1, seen, build);
          if (arr) arr[i] = item;
        }
        out = arr ? Object.freeze(arr) : value;
      } else {
        if (!isPlainObject(value)) fail(path, `an instance of ${value.constructor?.name ?? 'a class'}`);
        const obj: Record<string, unknown> | undefined = build ? {} : undefined;
        for (const key in value) {
          if (!Object.hasOwn(value, key)) continue;
          const item = (value as Record<string, unknown>)[key];
          if (item === undefined) continue; // JSON drops undefined properties too.
          const copied = walk(item, `${path}.${key}`, depth + 1, seen, build);
          if (!obj) continue;
          // Plain assignment of "__proto__" would change the prototype; define it as data instead.
          if (key === '__proto__') Object.defineProperty(obj, key, { value: copied, enumerable: true });
          else obj[key] = copied;
        }
        out = obj ? Object.freeze(obj) : value;
      }
      seen.delete(value);
      return out;
    }
    case 'undefined':
      return fail(path, 'undefined (delete the key instead)');
    default:
      return fail(path, `a ${typeof value}`);
  }
}

/** Checks that a value is JSON-compatible without copying it. */
export function assertJsonCompatible(value: unknown, path = 'value'): void {
  walk(value, path, 0, new Set<object>(), false);
}

/** Returned by {@link frozenJsonCopyWithin} when the value is over the size limit (nothing is copied past it). */
export const OVERSIZED: unique symbol = Symbol('oversized');

/** Thrown inside the fast walk; the caller re-walks with paths to say what and where. */
const NOT_JSON = Symbol('not JSON');

/** Running JSON size of the fast walk, and where it gives up. */
let measured = 0;
let sizeLimit = Number.POSITIVE_INFINITY;

interface SharedCopy {
  readonly copy: unknown;
  readonly size: number;
}
/** Copies made during {@link sharingCopies}, by source object. */
let sharing: Map<object, SharedCopy> | undefined;

/**
 * Runs `copyAll` so that an object handed over twice (a member, and the same user object written to
 * the users namespace) is copied once and both entries share the frozen copy. Only top-level values
 * and their direct children are remembered: that is where payloads share, and it keeps the lookups
 * few. Safe because nothing can change the sources while a synchronous batch copies them.
 */
export function sharingCopies<T>(copyAll: () => T): T {
  sharing = new Map();
  try {
    return copyAll();
  } finally {
    sharing = undefined;
  }
}

/**
 * One walk for the write path: checks the value is JSON-compatible, measures its JSON size as
 * `jsonSize` does, and builds the frozen copy, all at once. No path strings are built on the way: only
 * a value that fails is walked again, to name the path of its first problem.
 * @returns the frozen copy, or {@link OVERSIZED} once the size passes `maxSize`.
 * @throws TypeError or RangeError naming the path of the first value that is not JSON-compatible.
 */
export function frozenJsonCopyWithin<T>(value: T, maxSize: number, path = 'value'): T | typeof OVERSIZED {
  measured = 0;
  sizeLimit = maxSize;
  try {
    return fastCopy(value, 0) as T;
  } catch (error) {
    if (error === OVERSIZED) return OVERSIZED;
    if (error !== NOT_JSON) throw error;
    walk(value, path, 0, new Set<object>(), false); // throws the error that names the path
    throw new TypeError(`${path} is not JSON-compatible`);
  }
}

/**
 * Checks and measures in one walk, without copying (stores that encode the value themselves).
 * @returns the JSON size, or {@link OVERSIZED} once it passes `maxSize`.
 */
export function checkedJsonSize(value: unknown, maxSize: number, path = 'value'): number | typeof OVERSIZED {
  measured = 0;
  sizeLimit = maxSize;
  try {
    fastCheck(value, 0);
    return measured;
  } catch (error) {
    if (error === OVERSIZED) return OVERSIZED;
    if (error !== NOT_JSON) throw error;
    walk(value, path, 0, new Set<object>(), false);
    throw new TypeError(`${path} is not JSON-compatible`);
  }
}

/** Size of a finite number as JSON: what String() writes, which is what JSON.stringify writes. */
function numberSize(value: number): number {
  // Small integers are the common case (counts, flags, positions): no string is built for them.
  if (Number.isInteger(value) && value >= 0 && value < 1e9) {
    return value < 10
      ? 1
      : value < 100
        ? 2
        : value < 1e3
          ? 3
          : value < 1e4
            ? 4
            : value < 1e5
              ? 5
              : value < 1e6
                ? 6
                : value < 1e7
                  ? 7
                  : value < 1e8
                    ? 8
                    : 9;
  }
  return String(value).length;
}

function fastCopy(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
      measured += stringSize(value);
      if (measured > sizeLimit) throw OVERSIZED;
      return value;
    case 'boolean':
      measured += value ? 4 : 5;
      if (measured > sizeLimit) throw OVERSIZED;
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw NOT_JSON;
      measured += numberSize(value);
      if (measured > sizeLimit) throw OVERSIZED;
      return value === 0 ? 0 : value; // -0 is 0, as JSON writes it: every store answers the same
    case 'object': {
      if (value === null) {
        measured += 4;
        if (measured > sizeLimit) throw OVERSIZED;
        return null;
      }
      // Arrays below the top (roles, features) are not what a batch hands over twice: not remembered.
      if (sharing === undefined || depth > 1 || (depth === 1 && Array.isArray(value)))
        return copyObject(value, depth);
      // A value and its first-level objects: the ones a batch hands over twice (a member and its user).
      const hit = sharing.get(value);
      if (hit) {
        measured += hit.size;
        if (measured > sizeLimit) throw OVERSIZED;
        return hit.copy;
      }
      const before = measured;
      const copy = copyObject(value, depth);
      sharing.set(value, { copy, size: measured - before });
      return copy;
    }
    default:
      throw NOT_JSON;
  }
}

function copyObject(value: object, depth: number): unknown {
  // Depth also stops cycles: a cycle goes deeper forever, and the slow walk then names it.
  if (depth >= MAX_DEPTH) throw NOT_JSON;
  measured += 2;
  if (Array.isArray(value)) {
    const length = value.length;
    const out = new Array<unknown>(length);
    for (let i = 0; i < length; i++) {
      if (i > 0) measured += 1;
      out[i] = fastCopy(value[i], depth + 1);
    }
    if (measured > sizeLimit) throw OVERSIZED;
    return Object.freeze(out);
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw NOT_JSON;
  const out: Record<string, unknown> = {};
  let first = true;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined) continue; // JSON drops undefined properties too.
    measured += stringSize(key) + (first ? 1 : 2);
    first = false;
    const copied = fastCopy(item, depth + 1);
    // Plain assignment of "__proto__" would change the prototype; define it as data instead.
    if (key === '__proto__') Object.defineProperty(out, key, { value: copied, enumerable: true });
    else out[key] = copied;
  }
  if (measured > sizeLimit) throw OVERSIZED;
  return Object.freeze(out);
}

function fastCheck(value: unknown, depth: number): void {
  switch (typeof value) {
    case 'string':
      measured += stringSize(value);
      if (measured > sizeLimit) throw OVERSIZED;
      return;
    case 'boolean':
      measured += value ? 4 : 5;
      if (measured > sizeLimit) throw OVERSIZED;
      return;
    case 'number':
      if (!Number.isFinite(value)) throw NOT_JSON;
      measured += numberSize(value);
      if (measured > sizeLimit) throw OVERSIZED;
      return;
    case 'object': {
      if (value === null) {
        measured += 4;
        if (measured > sizeLimit) throw OVERSIZED;
        return;
      }
      if (depth >= MAX_DEPTH) throw NOT_JSON;
      measured += 2;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          if (i > 0) measured += 1;
          fastCheck(value[i], depth + 1);
        }
      } else {
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) throw NOT_JSON;
        let first = true;
        for (const key in value) {
          if (!Object.hasOwn(value, key)) continue;
          const item = (value as Record<string, unknown>)[key];
          if (item === undefined) continue;
          measured += stringSize(key) + (first ? 1 : 2);
          first = false;
          fastCheck(item, depth + 1);
        }
      }
      if (measured > sizeLimit) throw OVERSIZED;
      return;
    }
    default:
      throw NOT_JSON;
  }
}
