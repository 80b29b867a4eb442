/**
 * botcache/metrics: a cache's counters, store latency and event-adapter ingest as Prometheus metrics,
 * on prom-client (an optional peer: install it to use this entry point).
 */

export type { DiscordManagerLike, IngestCounts, MezonAttachmentLike } from '../stats/ingest-sources.js';
export { LATENCY_BUCKETS, METRIC_NAMES } from './metric-names.js';
export {
  type CacheMetrics,
  type CacheMetricsOptions,
  type MeasurableCache,
  type MeasurableResource,
  registerCacheMetrics,
} from './register-cache-metrics.js';
