import type { BotCache, CreateCacheOptions } from '../resources/create-cache.js';
import type { Store } from '../store/types.js';

/** Options of {@link resourceConformance}. */
export interface ResourceConformanceOptions {
  /** Creates a fresh, empty store isolated from every other store the suite creates. Called before each test. */
  readonly create: () => Store | Promise<Store>;
  /** Milliseconds added to every wait for an expiry, for stores whose clocks are coarse. Default 0. */
  readonly ttlSlack?: number;
}

/** What each group of resource conformance tests is given. */
export interface ResourceSuiteContext {
  /** The store of the running test. */
  store(): Store;
  /** A cache over the test's store, under a namespace prefix of its own. */
  cache(options?: Omit<CreateCacheOptions, 'store'>): BotCache;
  /** Waits long enough for something written now with `ttl` milliseconds to have expired. */
  waitPast(ttl: number): Promise<void>;
}
