/**
 * Every store kind a differential test runs one stream on: MemoryStore, RedisStore on a standalone
 * server, RedisStore on a local Cluster, SqliteStore (in memory) and TieredStore (near copy over a
 * standalone RedisStore). The Redis servers are started here, on free ports, and stopped by `stop()`;
 * each `create()` gets a fresh key prefix so many stores share one server without seeing each other.
 */
import { randomUUID } from 'node:crypto';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { RedisStore } from '../../src/store/redis/index.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import { TieredStore } from '../../src/store/tiered/index.js';
import type { Store } from '../../src/store/types.js';
import { type RedisClusterHandle, type RedisServer, startRedis, startRedisCluster } from './redis-server.js';

export const STORE_KINDS = ['memory', 'redis', 'cluster', 'sqlite', 'tiered'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

export interface StoreMatrix {
  /** The kinds this matrix can create. */
  readonly kinds: readonly StoreKind[];
  /** A new, empty store of that kind (open). The matrix closes it in `stop()`. */
  create(kind: StoreKind): Promise<Store>;
  /** Closes every store created, then stops the servers. Idempotent. */
  stop(): Promise<void>;
}

export interface StoreMatrixOptions {
  /** Which kinds to offer (servers are only started for those). Default: all five. */
  readonly kinds?: readonly StoreKind[];
  /** Redis command timeout; generous by default because the machine may be loaded. */
  readonly commandTimeout?: number;
}

/** Starts the servers the kinds need. */
export async function startStoreMatrix(options: StoreMatrixOptions = {}): Promise<StoreMatrix> {
  const kinds = options.kinds ?? STORE_KINDS;
  const commandTimeout = options.commandTimeout ?? 20_000;
  const needsRedis = kinds.includes('redis') || kinds.includes('tiered');
  let redis: RedisServer | undefined;
  let cluster: RedisClusterHandle | undefined;
  try {
    if (needsRedis) redis = await startRedis();
    if (kinds.includes('cluster')) cluster = await startRedisCluster();
  } catch (error) {
    await redis?.stop();
    throw error;
  }
  const created: Store[] = [];
  let stopped = false;

  const make = (kind: StoreKind): Store => {
    const prefix = `m${randomUUID().slice(0, 8)}`;
    switch (kind) {
      case 'memory':
        return new MemoryStore();
      case 'sqlite':
        return new SqliteStore({ path: ':memory:' });
      case 'redis':
        return new RedisStore({ url: (redis as RedisServer).url, prefix, commandTimeout });
      case 'cluster':
        return new RedisStore({
          cluster: { rootNodes: (cluster as RedisClusterHandle).rootNodes.map((node) => node.url) },
          prefix,
          commandTimeout,
        });
      case 'tiered':
        return new TieredStore({
          far: new RedisStore({ url: (redis as RedisServer).url, prefix, commandTimeout }),
          invalidation: { url: (redis as RedisServer).url, channel: `${prefix}:tiered:invalidate` },
        });
    }
  };

  return {
    kinds,
    async create(kind) {
      if (!kinds.includes(kind)) throw new RangeError(`this matrix was started without '${kind}'`);
      if (stopped) throw new Error('the store matrix is stopped');
      const store = make(kind);
      created.push(store);
      await store.open();
      return store;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.allSettled(created.map((store) => store.close()));
      await Promise.allSettled([redis?.stop(), cluster?.stop()]);
    },
  };
}
