import type { Duration } from '../../util/duration.js';
import type { Store } from '../types.js';

/** The default staleness bound of a near copy, in ms. */
export const DEFAULT_NEAR_MAX_AGE = 30_000;

/** Options of the near copy: a bounded MemoryStore inside this process. */
export interface NearCopyOptions {
  /** Most entries the near copy keeps per namespace (least recently used go first). Default 10 000. */
  readonly max?: number;
  /** Per-namespace overrides of `max`. */
  readonly namespaces?: Readonly<Record<string, { readonly max: number }>>;
  /**
   * Longest time an entry stays in the near copy (ms, or `'30s'`-style), whatever its TTL in the far store: the bound
   * on how stale a read can be when an invalidation is lost without the subscription dropping (a
   * writer that died or lost its connection between its write and its publish). Default 30 000 ms
   * ({@link DEFAULT_NEAR_MAX_AGE}); `Infinity` keeps entries for their own TTL.
   */
  readonly maxAge?: Duration;
  /** How often expired near entries are purged (ms, or `'30s'`-style). Default 30 000 ms. */
  readonly sweepInterval?: Duration;
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
  /** Reconnect backoff of the invalidation connections (each ms or `'1s'`-style). Default 50 ms doubling up to 1000 ms. */
  readonly reconnect?: { readonly initialDelay?: Duration; readonly maxDelay?: Duration };
  /**
   * How long a write waits for its invalidation to be published. Default 1000 ms. A publish that
   * fails or times out does not fail a write the far store applied: it is reported as an `error`
   * event, and other processes' copies are then bounded by `near.maxAge`.
   */
  readonly publishTimeout?: Duration;
  /** How long `open()` waits for the invalidation connection and subscription (ms or `'5s'`-style). Default 5000 ms. */
  readonly connectTimeout?: Duration;
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
