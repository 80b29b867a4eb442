/**
 * close() must not hang while a Cluster node is frozen (SIGSTOP): RedisStore with commands in flight to
 * the frozen master, and TieredStore whose invalidation channel lives on it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/redis/index.js';
import { keySlot } from '../../src/store/redis/key-slot.js';
import { TieredStore } from '../../src/store/tiered/index.js';
import { masterOf, sleep } from '../support/cluster-ops.js';
import { type RedisClusterHandle, startRedisCluster } from '../support/redis-server.js';

/** One command timeout for the driver to let go, plus margin for a loaded machine. */
const CLOSE_BOUND_MS = 3000;

let cluster: RedisClusterHandle;
beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3, replicas: 0 });
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

const rootNodes = () => cluster.rootNodes.map((n) => n.url);

describe('Redis Cluster: close() while a master is frozen', () => {
  it('RedisStore closes in bounded time with commands stuck on the frozen master', async () => {
    const store = new RedisStore({ cluster: { rootNodes: rootNodes() }, prefix: 'cl', commandTimeout: 500 });
    store.on('error', () => {});
    await store.set('members', '{g0}:1', { a: 1 });
    const frozen = (await masterOf(cluster, keySlot('{g0}'))).index;
    cluster.node(frozen).freeze();
    try {
      const stuck = Array.from({ length: 20 }, (_, i) =>
        store.set('members', `{g0}:${i}`, { i }).catch(() => 'failed'),
      );
      await sleep(100);
      const started = Date.now();
      await store.close();
      const closeMs = Date.now() - started;
      const outcomes = await Promise.all(stuck);
      console.log(
        `[cluster close] RedisStore: ${closeMs} ms, ${outcomes.filter((o) => o === 'failed').length} of 20 in-flight writes failed`,
      );
      expect(closeMs).toBeLessThan(CLOSE_BOUND_MS);
    } finally {
      cluster.node(frozen).thaw();
    }
  }, 60_000);

  it('TieredStore closes in bounded time with its invalidation channel on the frozen master', async () => {
    const store = new TieredStore({
      far: new RedisStore({ cluster: { rootNodes: rootNodes() }, prefix: 'cl2', commandTimeout: 500 }),
      invalidation: { cluster: { rootNodes: rootNodes() } },
    });
    store.on('error', () => {});
    await store.open();
    const frozen = (await masterOf(cluster, keySlot(store.invalidationChannel))).index;
    cluster.node(frozen).freeze();
    try {
      await sleep(1500); // past the heartbeat bound: the subscription is in doubt by now
      expect(store.nearCopyTrusted).toBe(false);
      const started = Date.now();
      await store.close();
      const closeMs = Date.now() - started;
      console.log(`[cluster close] TieredStore: ${closeMs} ms`);
      expect(closeMs).toBeLessThan(CLOSE_BOUND_MS);
    } finally {
      cluster.node(frozen).thaw();
    }
  }, 60_000);
});
