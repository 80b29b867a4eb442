/** What `botcache/discord` exports of the Seyfert cache adapter. */
export {
  BotcacheSeyfertAdapter,
  SEYFERT_RESOURCES,
  SEYFERT_SCOPE_INDEX,
  type SeyfertAdapterOptions,
  type SeyfertResourceLimits,
  type SeyfertResourceName,
  seyfertAdapter,
} from './seyfert-adapter.js';
export type {
  SeyfertAdapterLike,
  SeyfertAwaitable,
  SeyfertEntry,
  SeyfertRelationship,
} from './seyfert-adapter-types.js';
