import type { IndexLink } from '../types.js';

/** What the memory store keeps per key: the frozen value and the indexes the entry belongs to. */
export interface MemoryEntry {
  readonly value: unknown;
  links: readonly IndexLink[];
  /**
   * Epoch ms after which the entry is stale, `Infinity` for never: kept here by {@link UnboundedEntries}
   * (lru-cache tracks its own). Always a double, so every entry keeps one shape.
   */
  expiresAt: number;
}

/** Why an entry left its table: lru-cache's reasons (`fetch` never happens here), so one dispose hook serves both tables. */
export type RemovalReason = 'set' | 'delete' | 'evict' | 'expire' | 'fetch';

/**
 * The part of lru-cache's API a namespace uses, so a namespace without `max` can use a plain Map.
 * `ttl: 0` means "no expiry"; a stale entry is one whose TTL has run out (now > written + ttl).
 */
export interface EntryTable {
  readonly size: number;
  /** The live entry; a stale one is removed (reason `expire`) and not returned. */
  get(key: string): MemoryEntry | undefined;
  /** The live entry, without touching anything. */
  peek(key: string): MemoryEntry | undefined;
  has(key: string): boolean;
  set(key: string, entry: MemoryEntry, options: { ttl: number }): unknown;
  delete(key: string): boolean;
  clear(): void;
  purgeStale(): unknown;
  /** ms left; Infinity without expiry, 0 when absent (negative once stale, as lru-cache). */
  getRemainingTTL(key: string): number;
  info(key: string): { value: MemoryEntry; ttl?: number } | undefined;
  /** Keys, oldest first. */
  rkeys(): Iterable<string>;
}

/**
 * The entries of a namespace with no `max`: nothing is ever evicted, so no recency list is needed and
 * a Map does, at a fraction of lru-cache's per-entry cost (its key, value, next, prev and size slots).
 * The expiry is a field of the entry: a TTL costs no second lookup, and setting or lifting one (as a
 * user's keepAlive does) no Map write.
 * Order is first-write order (a rewrite keeps the key's place: one Map write, no move), which is what
 * lowering `max` later drops by.
 */
export class UnboundedEntries implements EntryTable {
  readonly #entries = new Map<string, MemoryEntry>();
  /** Whether any entry was given a TTL: only then can there be anything to purge. */
  #timed = false;

  constructor(
    private readonly now: () => number,
    private readonly dispose: (entry: MemoryEntry, key: string, reason: RemovalReason) => void,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  #isStale(entry: MemoryEntry): boolean {
    return entry.expiresAt !== Number.POSITIVE_INFINITY && this.now() > entry.expiresAt;
  }

  get(key: string): MemoryEntry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined || !this.#isStale(entry)) return entry;
    this.#remove(key, entry, 'expire');
    return undefined;
  }

  peek(key: string): MemoryEntry | undefined {
    const entry = this.#entries.get(key);
    return entry === undefined || this.#isStale(entry) ? undefined : entry;
  }

  has(key: string): boolean {
    const entry = this.#entries.get(key);
    return entry !== undefined && !this.#isStale(entry);
  }

  set(key: string, entry: MemoryEntry, options: { ttl: number }): this {
    if (options.ttl > 0) {
      this.#timed = true;
      entry.expiresAt = this.now() + options.ttl;
    } else entry.expiresAt = Number.POSITIVE_INFINITY;
    // A replaced entry is not disposed: the namespace ignores `set` disposals (the writer moves links).
    this.#entries.set(key, entry);
    return this;
  }

  delete(key: string): boolean {
    const entry = this.#entries.get(key);
    if (entry === undefined) return false;
    this.#remove(key, entry, 'delete');
    return true;
  }

  #remove(key: string, entry: MemoryEntry, reason: RemovalReason): void {
    this.#entries.delete(key);
    this.dispose(entry, key, reason);
  }

  clear(): void {
    const entries = [...this.#entries];
    this.#entries.clear();
    for (const [key, entry] of entries) this.dispose(entry, key, 'delete');
  }

  purgeStale(): boolean {
    if (!this.#timed) return false;
    const now = this.now();
    let purged = false;
    for (const [key, entry] of this.#entries) {
      if (now <= entry.expiresAt) continue;
      this.#remove(key, entry, 'expire');
      purged = true;
    }
    return purged;
  }

  getRemainingTTL(key: string): number {
    const entry = this.#entries.get(key);
    if (entry === undefined) return 0;
    return entry.expiresAt === Number.POSITIVE_INFINITY
      ? Number.POSITIVE_INFINITY
      : entry.expiresAt - this.now();
  }

  info(key: string): { value: MemoryEntry; ttl?: number } | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    return value.expiresAt === Number.POSITIVE_INFINITY
      ? { value }
      : { value, ttl: value.expiresAt - this.now() };
  }

  rkeys(): Iterable<string> {
    return this.#entries.keys();
  }
}
