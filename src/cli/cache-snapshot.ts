import { type BotCache, RESOURCE_NAMES, type ResourceName } from '../resources/index.js';
import type { ResourceValueTypes } from '../resources/value-types.js';

/** One resource's numbers at one moment. */
export interface ResourceSnapshot {
  readonly resource: ResourceName;
  /** Live entries in the store now. */
  readonly count: number;
  /** Reads answered by the store / not, by this process. */
  readonly hits: number;
  readonly misses: number;
  readonly sets: number;
  readonly evictions: number;
  readonly expirations: number;
}

/** Every resource's numbers at one moment, and this process's memory. */
export interface CacheSnapshot {
  /** Epoch milliseconds. */
  readonly at: number;
  readonly resources: readonly ResourceSnapshot[];
  readonly totals: { readonly entries: number; readonly hits: number; readonly misses: number };
  /** Bytes of JS heap and resident memory of this process. */
  readonly memory: { readonly heapUsed: number; readonly rss: number };
}

/** Reads counts from the store (the truth, across processes) and counters from this process. */
export async function takeSnapshot<T extends ResourceValueTypes>(cache: BotCache<T>): Promise<CacheSnapshot> {
  const resources = await Promise.all(
    RESOURCE_NAMES.map(async (resource): Promise<ResourceSnapshot> => {
      const stats = cache.store.stats(cache[resource].ns);
      return {
        resource,
        count: await cache[resource].count(),
        hits: stats.hits,
        misses: stats.misses,
        sets: stats.sets,
        evictions: stats.evictions,
        expirations: stats.expirations,
      };
    }),
  );
  const sum = (pick: (r: ResourceSnapshot) => number): number => resources.reduce((n, r) => n + pick(r), 0);
  const { heapUsed, rss } = process.memoryUsage();
  return {
    at: Date.now(),
    resources,
    totals: { entries: sum((r) => r.count), hits: sum((r) => r.hits), misses: sum((r) => r.misses) },
    memory: { heapUsed, rss },
  };
}
