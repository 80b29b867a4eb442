import { afterAll, beforeAll } from 'vitest';
import { storeConformance } from '../../src/conformance/index.js';
import { RedisStore } from '../../src/store/redis/index.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';

let server: RedisServer;
let n = 0;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server.stop();
});

// A fresh prefix per test isolates each test's data on the one server.
storeConformance('RedisStore (standalone)', {
  create: () => new RedisStore({ url: server.url, prefix: `t${++n}` }),
  ttlSlack: 20,
});
