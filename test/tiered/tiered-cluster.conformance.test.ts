import { afterAll, beforeAll } from 'vitest';
import { storeConformance } from '../../src/conformance/index.js';
import { RedisStore } from '../../src/store/redis/index.js';
import { TieredStore } from '../../src/store/tiered/index.js';
import { type RedisClusterHandle, startRedisCluster } from '../support/redis-server.js';

let cluster: RedisClusterHandle;
let n = 0;
beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3 });
});
afterAll(async () => {
  await cluster.stop();
});

storeConformance('TieredStore over RedisStore (cluster)', {
  create: () => {
    const rootNodes = cluster.rootNodes.map((node) => node.url);
    return new TieredStore({
      far: new RedisStore({ cluster: { rootNodes }, prefix: `tc${++n}` }),
      invalidation: { cluster: { rootNodes } },
    });
  },
  ttlSlack: 20,
});
