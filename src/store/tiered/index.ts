/** `botcache/tiered`: a near in-process copy in front of a shared far store, kept coherent across processes. */
export type { InvalidationMessage } from './invalidation-message.js';
export type { InvalidationOptions, NearCopyOptions, TieredStoreOptions } from './tiered-options.js';
export { DEFAULT_NEAR_MAX_AGE } from './tiered-options.js';
export { TieredStore } from './tiered-store.js';
