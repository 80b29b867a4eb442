/** Counters of one fetcher (a resource or a group), kept by this process. */
export interface FetchStats {
  /** Answered from the cache, fresh. */
  hits: number;
  /** Not in the cache: a load was needed (or joined). */
  misses: number;
  /** Loader calls made by this process. */
  loads: number;
  /** Loader calls that failed (errors and timeouts, not "does not exist"). */
  loadErrors: number;
  /** Answers served from a stale copy (stale-while-revalidate or serve-stale-on-error). */
  staleServed: number;
  /** Answers served from a cached "does not exist". */
  negativeHits: number;
  /** Misses that joined a load already in flight instead of starting one. */
  coalesced: number;
}

export function emptyFetchStats(): FetchStats {
  return { hits: 0, misses: 0, loads: 0, loadErrors: 0, staleServed: 0, negativeHits: 0, coalesced: 0 };
}
