import keyvTestSuite, { keyvIteratorTests } from '@keyv/test-suite';
import Keyv from 'keyv';
import * as test from 'vitest';
import { toKeyvStore } from '../../src/keyv/index.js';
import { RedisStore } from '../../src/store/redis/index.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';

// The real @keyv/test-suite, unchanged, against the adapter over a RedisStore on a server of our own.
let server: RedisServer;
let redis: RedisStore;
test.beforeAll(async () => {
  server = await startRedis();
  redis = new RedisStore({ url: server.url, prefix: 'keyv-suite' });
  await redis.open();
});
test.afterAll(async () => {
  await redis.close();
  await server.stop();
});
const store = () => toKeyvStore(redis);

keyvTestSuite(test, Keyv, store);
keyvIteratorTests(test, Keyv, store);
