import { afterAll, beforeAll } from 'vitest';
import { storeConformance } from '../../src/conformance/index.js';
import { RedisStore } from '../../src/store/redis/index.js';
import { TieredStore } from '../../src/store/tiered/index.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';

let server: RedisServer;
let n = 0;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server.stop();
});

// A fresh prefix per test isolates each test's data (and its invalidation channel) on the one server.
storeConformance('TieredStore over RedisStore (standalone)', {
  create: () =>
    new TieredStore({
      far: new RedisStore({ url: server.url, prefix: `tier${++n}` }),
      invalidation: { url: server.url },
    }),
  ttlSlack: 20,
});
