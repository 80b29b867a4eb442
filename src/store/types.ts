/**
 * The store contract: the raw, async, namespaced key-value API that every backend implements.
 * It knows values, namespaces, expiry, limits and parent indexes; it knows nothing of Discord or Mezon.
 *
 * Key layout: a key may carry a Redis-style hash tag, `{tag}rest` (for example `{guildId}:userId`).
 * Stores that shard (Redis Cluster) keep every key with the same tag, and every index whose parent
 * is that tag, in one slot, so one atomic script can update an entity and its indexes together.
 */

/** How entries leave a full namespace. `lru`: the least recently read or written goes first.
 * `fifo`: reads do not refresh an entry, so the least recently written goes first. */
export type EvictionPolicy = 'lru' | 'fifo';

/** Limits of one namespace. Every field is optional; unset fields take the store's defaults. */
export interface NamespaceLimits {
  /** Most entries kept in the namespace; the policy picks which to drop. Default: unbounded. */
  readonly max?: number;
  /** Default time to live of an entry: ms or `'5m'`-style, `Infinity` for never; `limitsOf()` gives ms. Default: never. */
  readonly ttl?: import('../util/duration.js').Duration;
  /** Eviction policy when `max` is reached. Default: `lru`. */
  readonly policy?: EvictionPolicy;
  /**
   * Most entries linked to one parent through the named index, e.g. `{ channel: 1000 }` keeps at most
   * 1000 messages per channel. The entry linked longest ago is dropped first.
   */
  readonly maxPerParent?: Readonly<Record<string, number>>;
}

/** A link from an entry to a parent's index: "this entry belongs to `parent` through index `by`". */
export interface IndexLink {
  /** The index name within the entry's namespace, e.g. `'guild'` or `'channel'`. */
  readonly by: string;
  /** The parent's id, e.g. a guild id. */
  readonly parent: string;
}

/** Options of one write. */
export interface SetOptions {
  /** Time to live in milliseconds (`Infinity`: never expires). Overrides the namespace default. */
  readonly ttl?: number;
  /** Absolute expiry, epoch milliseconds. A time already past deletes the entry instead of writing it. */
  readonly expiresAt?: number;
  /**
   * The parent indexes this entry belongs to. Given: they replace the entry's links (an empty array
   * unlinks it everywhere). Omitted: the entry keeps the links it had.
   */
  readonly indexes?: readonly IndexLink[];
  /**
   * Write only if the entry exists at that moment, checked atomically with the write (a patch must not
   * bring back an entry that another process deleted meanwhile). The entry keeps its links, so it cannot
   * be combined with `indexes`. Default false.
   */
  readonly ifExists?: boolean;
}

/** A value with its absolute expiry (undefined: never expires). */
export interface StoredEntry<T = unknown> {
  readonly value: T;
  readonly expiresAt: number | undefined;
}

/** Options of an iteration. */
export interface IterateOptions {
  /** How many keys are fetched per round trip. Default 1000. */
  readonly window?: number;
}

/** Options of {@link Store.clearIndex}. */
export interface ClearIndexOptions {
  /** Also delete every entry the index holds (cascading their other links). Default: only unlink them. */
  readonly deleteEntries?: boolean;
}

/** One operation of an atomic {@link Store.batch}. */
export type BatchOp =
  | {
      readonly type: 'set';
      readonly ns: string;
      readonly key: string;
      readonly value: unknown;
      readonly options?: SetOptions;
    }
  | { readonly type: 'delete'; readonly ns: string; readonly key: string }
  | { readonly type: 'link'; readonly ns: string; readonly key: string; readonly link: IndexLink }
  | { readonly type: 'unlink'; readonly ns: string; readonly key: string; readonly link: IndexLink }
  | {
      readonly type: 'clearIndex';
      readonly ns: string;
      readonly link: IndexLink;
      readonly options?: ClearIndexOptions;
    }
  | { readonly type: 'clear'; readonly ns: string }
  | KeepAliveOp;

/** One reference kind of a {@link KeepAliveOp}: the index `(ns, { by, parent: <the entry's key> })`. */
export interface KeepAliveReference {
  /** The namespace of the referring entries, e.g. `'members'`. */
  readonly ns: string;
  /** The index name within it whose parent is the kept entry's key, e.g. `'user'`. */
  readonly by: string;
  /** While that index holds a live entry, the kept entry lives at least this long from now (ms; `Infinity`: no expiry). */
  readonly ttl: number;
}

/**
 * Settles the expiry of an entry from what references it, as the last step of the batch: it runs after
 * every other operation of the batch, wherever it stands in the list, and reads the indexes as the batch
 * left them (so a reference deleted by the same batch no longer counts), atomically with the batch.
 *
 * - The entry is missing: nothing happens.
 * - desired = the largest of `ttl` and the `ttl` of every reference whose index holds a live entry.
 * - desired `Infinity`: the entry's expiry is removed.
 * - Otherwise the entry expires at now + desired when it has no expiry or expires sooner than that; a
 *   later expiry is never shortened. A finite expiry is pushed back only when it moves by more than a
 *   second (or a tenth of desired, if less), so frequent touches do not rewrite it.
 *
 * The entry's value and links are untouched (MemoryStore counts a change as a use for `lru` order).
 * Result: whether the entry's expiry changed.
 *
 * Redis Cluster counts an index's members without proving each one live (their link sets live in other
 * slots): an expired or evicted member that no read of the index has pruned yet still counts, so the
 * entry may live longer than it is owed (up to that reference's `ttl` after the last keepAlive; with an
 * `Infinity` ttl, until the index is read), never shorter. Deletes in the same batch are not such
 * members: the batch removes them from the index before its keepAlives run. On Cluster an index
 * outside the entry's slot (a key with a hash tag of its own, like `{guildId}:userId`) counts as held.
 */
export interface KeepAliveOp {
  readonly type: 'keepAlive';
  readonly ns: string;
  readonly key: string;
  /** The entry lives at least this long from now (ms; `Infinity`: no expiry). */
  readonly ttl: number;
  /** References that, while present, keep the entry at least their own `ttl` from now. */
  readonly whileReferenced: readonly KeepAliveReference[];
}

/**
 * The result of one batch operation, at the same position as the operation:
 * `set` → the previous value (undefined if none); `delete`, `link`, `unlink` → whether anything changed;
 * `clearIndex` → how many entries the index held; `clear` → undefined; `keepAlive` → whether the
 * entry's expiry changed.
 */
export type BatchResult = readonly unknown[];

/** Counters of one namespace, kept by this process. */
export interface NamespaceStats {
  hits: number;
  misses: number;
  sets: number;
  deletes: number;
  evictions: number;
  expirations: number;
}

/** Events a store emits. */
export interface StoreEventMap {
  /** The backend failed; the failing call also rejects with a BackendError. */
  error: [error: Error];
  /** The connection dropped and the store is trying again. */
  reconnecting: [info: { attempt: number; delay: number }];
  /** The store is connected and serving. */
  ready: [];
  /** Stored data that does not decode was found (iteration skips it and reports it here). */
  invalidData: [error: Error];
  /** This process wrote the entry (`set`, `setMany`, a batch's `set`). Emitted only while someone listens. */
  set: [ns: string, key: string];
  /** This process deleted the entry (`delete`, `deleteMany`, a batch's `delete` that found it). */
  delete: [ns: string, key: string];
  /** This process cleared a namespace, or (with `index`) a parent's index together with its entries. */
  clear: [ns: string, index?: IndexLink];
  /** The entry was dropped by a size limit (`max`, `maxPerParent`), on stores that see which (memory). */
  evict: [ns: string, key: string];
  /** The entry was dropped by its TTL, on stores that see which (memory). */
  expire: [ns: string, key: string];
}

/** The store events that describe a change of entries (the ones resource events are made of). */
export const CHANGE_EVENTS = ['set', 'delete', 'clear', 'evict', 'expire'] as const;
export type ChangeEvent = (typeof CHANGE_EVENTS)[number];

/** A listener of a store event. */
export type StoreListener<E extends keyof StoreEventMap> = (...args: StoreEventMap[E]) => void;

/**
 * A short exclusive lock shared by every process that uses the same store (for cross-process
 * single-flight loads). Remote stores offer one; a lock whose holder crashed expires after its ttl.
 */
export interface LockProvider {
  /** Takes the lock if it is free; resolves to a token for {@link LockProvider.release}, or undefined if held. */
  acquire(name: string, ttl: number): Promise<string | undefined>;
  /** Releases the lock if the token still holds it (never someone else's lock that replaced an expired one). */
  release(name: string, token: string): Promise<void>;
  /**
   * Gives a lock the token still holds `ttl` more milliseconds; resolves false when it no longer holds
   * it. A holder renews its lock while it works, so the ttl only bounds how long a dead holder blocks.
   */
  extend?(name: string, token: string, ttl: number): Promise<boolean>;
}

/**
 * Read-only views of what a store holds, beneath its API, for checkers (verifyCache): nothing here
 * writes, prunes or touches anything, so a check never changes what it checks. Stores whose ordinary
 * reads already write (Redis prunes stale index members and registry entries as it reads) offer one.
 */
export interface StoreAudit {
  /** Every key that has a value, whether or not the namespace's registry lists it. */
  storedKeys(ns: string): AsyncIterable<string>;
  /** The keys the namespace's registry lists (iteration and counting follow it). */
  registeredKeys(ns: string): AsyncIterable<string>;
  /** The members of a parent's index as stored, dangling ones included. */
  indexMembers(ns: string, link: IndexLink): AsyncIterable<string>;
  indexHas(ns: string, link: IndexLink, key: string): Promise<boolean>;
  /** Entries with their expiry, undefined where there is none. */
  entries(ns: string, keys: readonly string[]): Promise<(StoredEntry | undefined)[]>;
}

/**
 * The contract every botcache store implements, and that `botcache/conformance` checks.
 * All operations are async; calls after {@link Store.close} reject with `ClosedClient`; bad arguments
 * reject with a TypeError or RangeError naming the argument; backend failures reject with `BackendError`.
 * Values must be JSON-compatible (plain objects, arrays, strings, finite numbers, booleans, null).
 * Values handed back must be treated as read-only: memory-backed stores return frozen objects.
 */
export interface Store {
  /** A short name for logs and errors, e.g. `'memory'` or `'redis'`. */
  readonly kind: string;
  /** True once {@link Store.close} has been called. */
  readonly closed: boolean;
  /** A lock shared across processes, on stores that can offer one (Redis); undefined on in-process stores. */
  readonly locks?: LockProvider;
  /** Read-only views for checkers, on stores whose reads may write (Redis); see {@link StoreAudit}. */
  readonly audit?: StoreAudit;

  /** Connects (if needed). Idempotent; other calls open the store on first use. */
  open(): Promise<void>;
  /** Releases every resource. Idempotent; afterwards every call rejects with `ClosedClient`. */
  close(): Promise<void>;

  /** Sets the limits of a namespace (before or after it holds data). */
  configure(ns: string, limits: NamespaceLimits): void;
  /** The limits in force for a namespace. */
  limitsOf(ns: string): NamespaceLimits;

  get<T = unknown>(ns: string, key: string): Promise<T | undefined>;
  /** Values in the order of `keys`, undefined for misses. One round trip on remote stores. */
  getMany<T = unknown>(ns: string, keys: readonly string[]): Promise<(T | undefined)[]>;
  /** The value with its absolute expiry, or undefined on a miss. */
  getEntry<T = unknown>(ns: string, key: string): Promise<StoredEntry<T> | undefined>;
  has(ns: string, key: string): Promise<boolean>;

  set(ns: string, key: string, value: unknown, options?: SetOptions): Promise<void>;
  setMany(
    ns: string,
    entries: ReadonlyArray<readonly [key: string, value: unknown, options?: SetOptions]>,
  ): Promise<void>;

  /** Deletes an entry and its index links. Resolves to whether it existed. */
  delete(ns: string, key: string): Promise<boolean>;
  /** Resolves to how many of the keys existed. */
  deleteMany(ns: string, keys: readonly string[]): Promise<number>;

  /** Removes every entry of the namespace, and its indexes. */
  clear(ns: string): Promise<void>;
  /** Live entries in the namespace. */
  count(ns: string): Promise<number>;
  /** Iterates the namespace's keys in windows. Keys written during iteration may or may not appear. */
  keys(ns: string, options?: IterateOptions): AsyncIterable<string>;
  /** Iterates the namespace's live entries in windows. */
  entries<T = unknown>(ns: string, options?: IterateOptions): AsyncIterable<[key: string, value: T]>;

  /** Links existing entries to a parent's index. Missing keys are ignored. Resolves to how many were linked anew. */
  link(ns: string, link: IndexLink, keys: readonly string[]): Promise<number>;
  /** Unlinks entries from a parent's index (the entries stay). Resolves to how many were unlinked. */
  unlink(ns: string, link: IndexLink, keys: readonly string[]): Promise<number>;
  /** Live entries linked to the parent, oldest link first. */
  indexKeys(ns: string, link: IndexLink, options?: IterateOptions): AsyncIterable<string>;
  /** Live entries (key and value) linked to the parent, oldest link first. */
  indexEntries<T = unknown>(
    ns: string,
    link: IndexLink,
    options?: IterateOptions,
  ): AsyncIterable<[key: string, value: T]>;
  indexCount(ns: string, link: IndexLink): Promise<number>;
  indexHas(ns: string, link: IndexLink, key: string): Promise<boolean>;
  /**
   * The parent indexes a live entry is linked to (empty for a missing entry), so a caller can read an
   * entity's parent without knowing candidate parents. Optional: undefined (the method or its answer)
   * means the store cannot tell, and callers fall back to what the payload says.
   */
  linksOf?(ns: string, key: string): Promise<readonly IndexLink[] | undefined>;
  /** Empties a parent's index; with `deleteEntries`, deletes its entries too. Resolves to how many it held. */
  clearIndex(ns: string, link: IndexLink, options?: ClearIndexOptions): Promise<number>;

  /** Applies several operations so that no reader sees some applied and others not. */
  batch(ops: readonly BatchOp[]): Promise<BatchResult>;

  /** This process's counters for a namespace. */
  stats(ns: string): NamespaceStats;

  on<E extends keyof StoreEventMap>(event: E, listener: StoreListener<E>): this;
  off<E extends keyof StoreEventMap>(event: E, listener: StoreListener<E>): this;
}
