/**
 * `botcache/keyv`: botcache stores as Keyv stores ({@link toKeyvStore}), and Keyv as a botcache store
 * ({@link KeyvStore}). Keyv is an optional peer dependency; this module only needs its types.
 * @packageDocumentation
 */

export type { KeyvLike, KeyvRawEntry } from './keyv-like.js';
export { KeyvStore, type KeyvStoreOptions } from './keyv-store.js';
export {
  type KeyvAdapterOptions,
  type KeyvAdapterOpts,
  type KeyvSetEntry,
  KeyvStoreAdapter,
  toKeyvStore,
} from './keyv-store-adapter.js';
export { UnsupportedOperation } from './unsupported-operation.js';
