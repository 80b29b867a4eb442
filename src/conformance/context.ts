import type { Store } from '../store/types.js';

/** Options of {@link storeConformance}. */
export interface StoreConformanceOptions {
  /** Creates a fresh, empty store, isolated from every other store the suite creates. Called before each test. */
  readonly create: () => Store | Promise<Store>;
  /** Milliseconds added to every wait for an expiry, for stores whose clocks are coarse. Default 0. */
  readonly ttlSlack?: number;
}

/** What each group of conformance tests is given. */
export interface SuiteContext {
  /** The store of the running test. */
  store(): Store;
  /** Waits long enough for an entry written now with `ttl` milliseconds to have expired. */
  waitPast(ttl: number): Promise<void>;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Collects an async iterable into an array. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
