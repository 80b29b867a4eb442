/**
 * A drop-in for mezon-sdk's `CacheManager` (the type of `client.clans`, `client.channels`,
 * `client.users`, `clan.channels` and `channel.messages`) with a size bound, LRU order and an
 * optional TTL. The SDK's own manager has no TTL, evicts in insertion order and is unbounded for
 * clans, channels and users (mezon-sdk 2.8 `utils/CacheManager.js`).
 *
 * It keeps the SDK manager's `cache` Collection (a Map with the SDK's helpers), so code that reads
 * `client.channels.cache.filter(...)` keeps working. A miss in `fetch` first asks `fallback` (botcache),
 * then the SDK's own fetcher; concurrent misses of one id share one load.
 */

/** The Map-like Collection the SDK's manager keeps its entries in. */
export type SdkCollection<V> = Map<string, V> & {
  filter(fn: (value: V) => boolean): Map<string, V>;
  map<T>(fn: (value: V) => T): T[];
};

/** The SDK manager's surface, read structurally: its fields are private in the SDK's typings. */
export interface SdkManagerShape<V> {
  cache: SdkCollection<V>;
  get(id: string): V | undefined;
  set(id: string, value: V): void;
  fetch(id: string): Promise<V>;
  delete(id: string): boolean;
}

export interface BoundedManagerOptions<V> {
  /** Most entries kept; the least recently used go first. */
  readonly max: number;
  /** Milliseconds an entry stays after it was set; `Infinity` for ever. */
  readonly ttlMs: number;
  /** The SDK's loader (the replaced manager's private `fetcher`). */
  readonly fetcher: (id: string) => Promise<V>;
  /** Builds the value from botcache before the SDK's loader is tried; undefined when botcache lacks it. */
  readonly fallback?: (id: string) => Promise<V | undefined>;
  /** Called with every value stored, so nested managers (clan.channels, channel.messages) get bounded too. */
  readonly onSet?: (value: V) => void;
  /** Called with every value dropped by the bound or the TTL. */
  readonly onEvict?: (id: string) => void;
}

export class BoundedManager<V> {
  readonly cache: SdkCollection<V>;
  readonly #options: BoundedManagerOptions<V>;
  readonly #setAt = new Map<string, number>();
  readonly #loading = new Map<string, Promise<V>>();

  constructor(cache: SdkCollection<V>, options: BoundedManagerOptions<V>) {
    if (!Number.isInteger(options.max) || options.max < 1)
      throw new RangeError(`max must be a positive integer (got ${String(options.max)})`);
    this.cache = cache;
    this.#options = options;
    const now = Date.now();
    for (const [id, value] of [...cache]) {
      this.#setAt.set(id, now);
      options.onSet?.(value);
    }
    this.#trim();
  }

  get size(): number {
    return this.cache.size;
  }

  get(id: string): V | undefined {
    const value = this.cache.get(id);
    if (value === undefined) return undefined;
    if (this.#expired(id)) {
      this.#drop(id);
      return undefined;
    }
    // Re-insert: Map order is the LRU order, oldest first.
    this.cache.delete(id);
    this.cache.set(id, value);
    return value;
  }

  set(id: string, value: V): void {
    this.cache.delete(id);
    this.cache.set(id, value);
    this.#setAt.set(id, Date.now());
    this.#options.onSet?.(value);
    this.#trim();
  }

  async fetch(id: string): Promise<V> {
    const hit = this.get(id);
    if (hit !== undefined) return hit;
    const pending = this.#loading.get(id);
    if (pending) return pending;
    const load = this.#load(id).finally(() => this.#loading.delete(id));
    this.#loading.set(id, load);
    return load;
  }

  delete(id: string): boolean {
    this.#setAt.delete(id);
    return this.cache.delete(id);
  }

  clear(): void {
    this.cache.clear();
    this.#setAt.clear();
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  first(): V | undefined {
    return this.cache.values().next().value;
  }

  /** A snapshot: `get` re-inserts (LRU), and a live Map iterator would visit a re-inserted entry again. */
  values(): IterableIterator<V> {
    return [...this.cache.values()][Symbol.iterator]();
  }

  filter(fn: (value: V) => boolean): Map<string, V> {
    return this.cache.filter(fn);
  }

  map<T>(fn: (value: V) => T): T[] {
    return this.cache.map(fn);
  }

  async #load(id: string): Promise<V> {
    const fromBotcache = await this.#options.fallback?.(id);
    if (fromBotcache !== undefined) {
      this.set(id, fromBotcache);
      return fromBotcache;
    }
    const loaded = await this.#options.fetcher(id);
    this.set(id, loaded);
    return loaded;
  }

  #expired(id: string): boolean {
    if (this.#options.ttlMs === Number.POSITIVE_INFINITY) return false;
    const at = this.#setAt.get(id);
    return at !== undefined && Date.now() - at > this.#options.ttlMs;
  }

  #drop(id: string): void {
    this.delete(id);
    this.#options.onEvict?.(id);
  }

  #trim(): void {
    while (this.cache.size > this.#options.max) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) return;
      this.#drop(oldest);
    }
  }
}
