/**
 * The resource standard: typed caches for guilds (clans), channels, roles, emojis, members, users,
 * messages, presences, voice states, invites and the bot's own user, plus user-defined groups.
 */
export { ChannelCache } from './channel-cache.js';
export {
  BotCache,
  type CreateCacheOptions,
  createCache,
  type GroupOptions,
  type LoaderIds,
  type ResourceFetchConfig,
} from './create-cache.js';
export { GroupCache } from './group-cache.js';
export { GuildBoundCache, type GuildRelation } from './guild-bound-cache.js';
export { GuildCache } from './guild-cache.js';
export { GuildUserCache, type GuildUserId } from './guild-user-cache.js';
export { IdResourceCache } from './id-resource-cache.js';
export { InviteCache, type InviteRelation } from './invite-cache.js';
export {
  type CacheLimitOptions,
  DEFAULT_LIMITS,
  type MessageLimitOptions,
  type ResolvedLimits,
  type ResourceLimitOptions,
} from './limits.js';
export { MeCache } from './me-cache.js';
export { MemberCache } from './member-cache.js';
export { MessageCache, type MessageRelation } from './message-cache.js';
export type { ResourceCaches } from './resource-caches.js';
export { type Patch, ResourceCore } from './resource-core.js';
export type { CacheEventMap, DisposeReason, LoadEvent, ResourceEvent } from './resource-events.js';
export type { ResourceFetchCall, ResourceFetchOptions } from './resource-fetch.js';
export { RESOURCE_NAMES, type ResourceName } from './resource-names.js';
export { ResourceView } from './resource-view.js';
export type { GuildBoundWrites, GuildUserWrites, TransactionResources } from './transaction.js';
export { UserCache, type UserDeleteOptions } from './user-cache.js';
export type { Payload, ResourceValueTypes, ValueOf } from './value-types.js';
export {
  type CacheViolation,
  type CacheViolationKind,
  type VerifiableCache,
  type VerifyCacheOptions,
  verifyCache,
} from './verify-cache.js';
export { VoiceStateCache, type VoiceStateRelation } from './voice-state-cache.js';
export { WritePlan } from './write-plan.js';
