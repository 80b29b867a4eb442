import { afterAll, beforeAll } from 'vitest';
import { resourceConformance } from '../../src/conformance/index.js';
import { RedisStore } from '../../src/store/redis/index.js';
import {
  type RedisClusterHandle,
  type RedisServer,
  startRedis,
  startRedisCluster,
} from '../support/redis-server.js';

let server: RedisServer;
let cluster: RedisClusterHandle;
let n = 0;

beforeAll(async () => {
  [server, cluster] = await Promise.all([startRedis(), startRedisCluster({ masters: 3 })]);
});
afterAll(async () => {
  await Promise.all([server?.stop(), cluster?.stop()]);
});

resourceConformance('RedisStore (standalone)', {
  create: () => new RedisStore({ url: server.url, prefix: `rs${++n}` }),
  ttlSlack: 20,
  propertyRuns: 30,
});

resourceConformance('RedisStore (cluster)', {
  create: () =>
    new RedisStore({ cluster: { rootNodes: cluster.rootNodes.map((node) => node.url) }, prefix: `rc${++n}` }),
  ttlSlack: 20,
  propertyRuns: 20,
});
