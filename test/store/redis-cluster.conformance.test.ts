import { afterAll, beforeAll } from 'vitest';
import { storeConformance } from '../../src/conformance/index.js';
import { RedisStore } from '../../src/store/redis/index.js';
import { type RedisClusterHandle, startRedisCluster } from '../support/redis-server.js';

let cluster: RedisClusterHandle;
let n = 0;
beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3 });
});
afterAll(async () => {
  await cluster.stop();
});

storeConformance('RedisStore (cluster)', {
  create: () =>
    new RedisStore({ cluster: { rootNodes: cluster.rootNodes.map((node) => node.url) }, prefix: `c${++n}` }),
  ttlSlack: 20,
});
