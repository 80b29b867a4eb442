import type { IndexLink } from '../types.js';
import { hasHashTag } from './key-slot.js';

/**
 * Where a RedisStore keeps things. Every key starts with `<prefix>:<ns>:` and a one-letter kind, so
 * the kinds can never collide whatever the user's keys look like:
 * - `<prefix>:<ns>:v:<key>`   the value (a plain string in the codec's format);
 * - `<prefix>:<ns>:l:<key>`   the set of index links of that entry (same slot, same expiry);
 * - `<prefix>:<ns>:i:<by>:{<parent>}`   a parent's index, a ZSET scored by link time;
 * - `<prefix>:<ns>:r`         the namespace's registry, a ZSET of keys scored by last write (or read, lru);
 * - `<prefix>:-lock:{<name>}`  a cross-process lock (no namespace starts with '-', so no clear reaches it).
 * A key without a hash tag is written `{key}`, so an entry and its link set share one slot; a key
 * with a tag (`{guildId}:userId`) is written `#{guildId}:userId`, so it lives in its parent's slot with
 * the parent's indexes. The two forms start with different characters, so the key `k` (`{k}`) and the
 * key `{k}` (`#{k}`) stay two keys.
 *
 * The mapping (prefix, namespace, kind, key) → Redis key is injective: the prefix holds no ':' and
 * namespaces hold no ':', so the first two ':' split them off; the kind is one letter; the key's form
 * is decided by its first character. (test/reliability/key-injectivity.test.ts checks it.)
 */
export class KeyLayout {
  readonly #head: string;

  constructor(readonly prefix: string) {
    this.#head = `${prefix}:`;
  }

  /** The key as it appears after the kind letter: tagged keys after a `#`, others wrapped in `{}`. */
  static tagged(key: string): string {
    return hasHashTag(key) ? `#${key}` : `{${key}}`;
  }

  value(ns: string, key: string): string {
    return `${this.#head}${ns}:v:${KeyLayout.tagged(key)}`;
  }

  links(ns: string, key: string): string {
    return `${this.#head}${ns}:l:${KeyLayout.tagged(key)}`;
  }

  /** What every link-set key of a namespace starts with (the APPLY script's `keep` adds the tagged key). */
  linkSetPrefix(ns: string): string {
    return `${this.#head}${ns}:l:`;
  }

  index(ns: string, link: IndexLink): string {
    return `${this.#head}${ns}:i:${link.by}:{${link.parent}}`;
  }

  registry(ns: string): string {
    return `${this.#head}${ns}:r`;
  }

  /** A cross-process lock, outside every namespace. */
  lock(name: string): string {
    return `${this.#head}${LOCK_SPACE}:{${name}}`;
  }

  /** A SCAN pattern matching every value key of a namespace. */
  valuePattern(ns: string): string {
    return `${escapeGlob(this.#head)}${ns}:v:*`;
  }

  /** The user key a value key holds (the inverse of {@link value}); undefined for anything else. */
  keyOfValue(ns: string, redisKey: string): string | undefined {
    const head = `${this.#head}${ns}:v:`;
    if (!redisKey.startsWith(head)) return undefined;
    const encoded = redisKey.slice(head.length);
    if (encoded.startsWith('#')) return encoded.slice(1);
    if (encoded.startsWith('{') && encoded.endsWith('}') && encoded.length > 2) return encoded.slice(1, -1);
    return undefined;
  }

  /** A SCAN pattern matching every key of a namespace. */
  namespacePattern(ns: string): string {
    return `${escapeGlob(this.#head)}${ns}:*`;
  }
}

/** How a link is written inside an entry's link set: `by` never holds ':' (it is a namespace name). */
export function linkId(link: IndexLink): string {
  return `${link.by}:${link.parent}`;
}

export function parseLinkId(id: string): IndexLink {
  const colon = id.indexOf(':');
  return { by: id.slice(0, colon), parent: id.slice(colon + 1) };
}

/** Where locks live: a name no namespace can have (namespaces start with a letter, digit or '_'). */
export const LOCK_SPACE = '-lock';

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/**
 * Checks a key prefix: non-empty; no hash-tag braces (they would move every key into one slot); no
 * ':' (the separator: prefix `a` with namespace `b` would otherwise reach tenant `a:b`'s keys).
 */
export function assertPrefix(prefix: unknown): asserts prefix is string {
  if (typeof prefix !== 'string') throw new TypeError(`prefix must be a string (got ${typeof prefix})`);
  if (prefix.length === 0 || prefix.length > 128) {
    throw new RangeError(`prefix must be 1-128 characters (got ${prefix.length})`);
  }
  if (/[{}:\s]/.test(prefix)) {
    throw new RangeError(
      `prefix must not contain ':', '{', '}' or whitespace (got '${prefix}'); use '-' or '_' to join words, e.g. 'mybot-prod'`,
    );
  }
}
