export type { DiscordManagerLike, IngestCounts, MezonAttachmentLike } from './ingest-sources.js';
export {
  type CountedCache,
  type CountedResource,
  PROCESS_STATS_NAMESPACE,
  type ProcessStats,
  type ResourceCounters,
} from './process-stats.js';
export { type PublishStatsOptions, publishStats, type StatsPublisher } from './publish-stats.js';
