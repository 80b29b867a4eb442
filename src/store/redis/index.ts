/** `botcache/redis`: the Redis and Redis Cluster store, on node-redis. */
export { hashTagOf, keySlot } from './key-slot.js';
export type {
  NodeRedisClient,
  NodeRedisCluster,
  RedisStoreOptions,
  RedisTlsOptions,
} from './redis-options.js';
export { RedisStore } from './redis-store.js';
