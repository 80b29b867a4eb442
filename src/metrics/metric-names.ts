/** The metric names `botcache/metrics` registers, without the prefix (default `botcache_`). */
export const METRIC_NAMES = {
  cacheHits: 'cache_hits_total',
  cacheMisses: 'cache_misses_total',
  cacheSets: 'cache_sets_total',
  cacheDeletes: 'cache_deletes_total',
  cacheEvictions: 'cache_evictions_total',
  cacheExpirations: 'cache_expirations_total',
  cacheEntries: 'cache_entries',
  fetchLoads: 'fetch_loads_total',
  fetchLoadErrors: 'fetch_load_errors_total',
  fetchCoalesced: 'fetch_coalesced_total',
  fetchHits: 'fetch_hits_total',
  fetchMisses: 'fetch_misses_total',
  fetchStaleServed: 'fetch_stale_served_total',
  fetchNegativeHits: 'fetch_negative_hits_total',
  fetchLoadDuration: 'fetch_load_duration_seconds',
  storeCommandDuration: 'store_command_duration_seconds',
  storeCommandErrors: 'store_command_errors_total',
  storeInFlight: 'store_in_flight_commands',
  storeBackendErrors: 'store_backend_errors_total',
  storeReconnects: 'store_reconnects_total',
  ingestEvents: 'ingest_events_total',
  ingestQueueDepth: 'ingest_queue_depth',
  ingestLag: 'ingest_lag_seconds',
} as const;

/** Buckets (seconds) for store commands and loads: 0.1 ms .. 5 s. */
export const LATENCY_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];
