import type { Store } from '../types.js';

/** Options of the near copy: a bounded MemoryStore inside this process. */
export interface NearCopyOptions {
  /** Most entries the near copy keeps per namespace (least recently used go first). Default 10 000. */
  readonly max?: number;
  /** Per-namespace overrides of `max`. */
  readonly namespaces?: Readonly<Record<string, { readonly max: number }>>;
  /**
   * Longest time an entry stays in the near copy, in ms, whatever its TTL in the far store. A safety
   * net for an invalidation lost without the connection dropping (a writer that died between its
   * write and its publish). Default: the entry's own TTL.
   */
  readonly maxAge?: number;
  /** How often expired near entries are purged, in ms. Default 30 000. */
  readonly sweepInterval?: number;
}

/** Where the invalidation pub/sub runs: the Redis server (or Cluster) that holds the far store. */
export interface InvalidationOptions {
  /** A standalone server, `redis://…` or `rediss://…`. */
  readonly url?: string;
  /** A Cluster: seed nodes as URLs. Pub/sub runs through one of them; Redis forwards PUBLISH to all. */
  readonly cluster?: { readonly rootNodes: readonly string[] };
  readonly username?: string;
  /** Never appears in error messages. */
  readonly password?: string;
  /** The channel. Default `<far store prefix>:tiered:invalidate` (`botcache:…` without a prefix). */
  readonly channel?: string;
  /** Reconnect backoff of the invalidation connections. Default 50 ms doubling up to 1000 ms. */
  readonly reconnect?: { readonly initialDelay?: number; readonly maxDelay?: number };
  /** How long a write waits for its invalidation to be published before it fails. Default 1000 ms. */
  readonly publishTimeout?: number;
}

/** Options of a {@link TieredStore}. */
export interface TieredStoreOptions {
  /** The shared store every process reads and writes (a RedisStore). The tiered store owns it: close() closes it. */
  readonly far: Store;
  /** Where other processes' writes are announced. */
  readonly invalidation: InvalidationOptions;
  /** The near copy's bounds. */
  readonly near?: NearCopyOptions;
}
