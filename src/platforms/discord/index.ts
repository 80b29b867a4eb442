/**
 * botcache/discord: keeps a botcache cache true from Discord gateway dispatches (discord.js,
 * @discordjs/ws or any broker), the intents that needs, and REST loaders for `fetch`.
 */
export {
  type AttachOptions,
  attachDiscordJs,
  attachDiscordWs,
  type DiscordAttachment,
  type DiscordJsClientLike,
  type DiscordWsManagerLike,
} from './attach.js';
export {
  type IngestEnvelope,
  type IngestStreamOptions,
  orderKeyOf,
  partitionOf,
  partitionStream,
} from './brokers/ingest-envelope.js';
export {
  createIngestPublisher,
  type DispatchBrokerLike,
  type IngestPublisher,
  type IngestPublisherOptions,
} from './brokers/ingest-publisher.js';
export {
  type IngestWorker,
  type IngestWorkerOptions,
  type IngestWorkerStats,
  PROGRESS_NAMESPACE,
  startIngestWorker,
} from './brokers/ingest-worker.js';
export type { IngestRedisLike } from './brokers/stream-client.js';
export type { CachedGuild, CachedMessage, DiscordCache, DiscordValueTypes } from './discord-types.js';
export {
  type DiscordJsPreset,
  type DiscordJsPresetClientOptions,
  type DiscordJsPresetOptions,
  type DiscordJsRecent,
  discordJsCacheLimits,
  discordJsPreset,
} from './discordjs-preset.js';
export { DiscordDispatchError, type DispatchIds } from './dispatch-error.js';
export type { DiscordIdleReport, DispatchOutcome } from './dispatch-outcome.js';
export {
  DiscordEventManager,
  type DiscordEventManagerEvents,
  type DiscordEventManagerOptions,
  type DiscordEventStats,
  type RawDispatch,
} from './event-manager.js';
export { HANDLED_EVENTS } from './handlers/index.js';
export { shardOf } from './handlers/session-handlers.js';
export {
  assertDiscordResources,
  DISCORD_RESOURCES,
  type DiscordResource,
  isDiscordResource,
  MissingIntentsWarning,
  missingIntents,
  requiredIntents,
  warnMissingIntents,
} from './intents.js';
export { MalformedDispatchError } from './payload-checks.js';
export { type DiscordLoaders, discordLoaders, type RestLike } from './rest-loaders.js';
export { type DiscordResyncOptions, discordResync, type RestGuildSnapshot } from './rest-resync.js';
export type { GuildResync } from './resync-scheduler.js';
export * from './seyfert-adapter-exports.js';
export { useDiscordLoaders } from './use-discord-loaders.js';
