/** `botcache/redis`: the Redis and Redis Cluster store, on node-redis. */
export { hashTagOf, keySlot } from './key-slot.js';
export type {
  NodeRedisClientLike,
  NodeRedisClusterLike,
  RedisStoreOptions,
  RedisTlsOptions,
} from './redis-options.js';
export { RedisStore } from './redis-store.js';
