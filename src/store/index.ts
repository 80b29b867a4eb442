export { BaseStore, DEFAULT_WINDOW, emptyStats, type LimitsInMs, limitsInMs } from './base-store.js';
export { MemoryStore, type MemoryStoreOptions } from './memory/memory-store.js';
export type {
  BatchOp,
  BatchResult,
  ClearIndexOptions,
  EvictionPolicy,
  IndexLink,
  IterateOptions,
  KeepAliveOp,
  KeepAliveReference,
  LockProvider,
  NamespaceLimits,
  NamespaceStats,
  SetOptions,
  Store,
  StoredEntry,
  StoreEventMap,
  StoreListener,
} from './types.js';
