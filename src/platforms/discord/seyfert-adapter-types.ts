/**
 * Seyfert 5.1's cache `Adapter` contract (seyfert/lib/cache/adapters/types.d.ts), written out rather
 * than imported: `botcache/discord` types must hold without seyfert installed (a type from a missing
 * package is an error, or a silent `any` under skipLibCheck). The botcache adapter is assignable to
 * Seyfert's own `Adapter` (the integration test checks it against the installed package).
 */

/** Seyfert's `Awaitable`. */
export type SeyfertAwaitable<T> = T | Promise<T>;

/**
 * Where Seyfert files a value: `[to, id]`. `to` is the resource (`'user'`, `'guild'`) for values of
 * no parent, or `'resource.scope'` (`'member.<guildId>'`, `'channel.<guildId>'`,
 * `'message.<channelId>'`) for values bound to a guild or channel; `id` is the value's own id.
 */
export type SeyfertRelationship = readonly [to: string, id: string];

/** One write of a bulk call: `[key, value, relationship]`. */
export type SeyfertEntry = readonly [key: string, value: unknown, relationship: SeyfertRelationship];

/** The members of Seyfert's `Adapter` (every one of them async here). */
export interface SeyfertAdapterLike {
  isAsync: boolean;
  start(): SeyfertAwaitable<void>;
  scan(query: string, keys?: false): SeyfertAwaitable<unknown[]>;
  scan(query: string, keys: true): SeyfertAwaitable<string[]>;
  scan(query: string, keys?: boolean): SeyfertAwaitable<unknown[]>;
  bulkGet(keys: string[]): SeyfertAwaitable<unknown[]>;
  get(key: string): SeyfertAwaitable<unknown>;
  bulkSet(entries: SeyfertEntry[]): SeyfertAwaitable<void>;
  set(key: string, value: unknown, relationship: SeyfertRelationship): SeyfertAwaitable<void>;
  bulkPatch(entries: SeyfertEntry[]): SeyfertAwaitable<void>;
  patch(key: string, value: unknown, relationship: SeyfertRelationship): SeyfertAwaitable<void>;
  values(to: string): SeyfertAwaitable<unknown[]>;
  keys(to: string): SeyfertAwaitable<string[]>;
  count(to: string): SeyfertAwaitable<number>;
  bulkRemove(keys: string[]): SeyfertAwaitable<void>;
  remove(key: string): SeyfertAwaitable<void>;
  flush(): SeyfertAwaitable<void>;
  contains(to: string, id: string): SeyfertAwaitable<boolean>;
  getToRelationship(to: string): SeyfertAwaitable<string[]>;
  removeToRelationship(to: string, ids: string | string[]): SeyfertAwaitable<void>;
  removeRelationship(to: string | string[]): SeyfertAwaitable<void>;
}
