import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/redis/index.js';
import { type RedisClusterHandle, startRedisCluster } from '../support/redis-server.js';
import {
  batchAndIndexes,
  invalidationDelays,
  percentile,
  settle,
  writeReadDeleteClear,
} from './coherence-checks.js';
import { type Peer, startPeer } from './fixtures/peer-process.js';

let cluster: RedisClusterHandle;
let a: Peer;
let b: Peer;

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3 });
  const rootNodes = cluster.rootNodes.map((node) => node.url);
  // A publishes through another node than B subscribes to: the Cluster must forward the message.
  [a, b] = await Promise.all([
    startPeer({ rootNodes: [rootNodes[1]!, ...rootNodes], prefix: 'cc' }),
    startPeer({ rootNodes, prefix: 'cc', reconnectDelay: 400 }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await cluster?.stop();
});

describe('TieredStore across two processes on a Redis Cluster', () => {
  it('write, read, delete and clear in A are seen by B', async () => {
    await writeReadDeleteClear(a, b);
  });

  it('batches and clearIndex in A are seen by B', async () => {
    await batchAndIndexes(a, b);
  });

  it('measures the invalidation delay across Cluster nodes', async () => {
    const delays = await invalidationDelays(a, b, 100);
    const p50 = percentile(delays, 50);
    const p99 = percentile(delays, 99);
    console.log(
      `invalidation delay (cluster, ${delays.length} writes): p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`,
    );
    expect(p50).toBeLessThan(20);
    expect(p99).toBeLessThan(100);
  });

  it('a killed invalidation connection flushes B: what it missed meanwhile is never served stale', async () => {
    await a.call('set', 'users', 'k', 'v1');
    await settle(b, 'users', 'k', 'v1');
    // A write nobody announces stands for a message B misses while its subscription is down.
    const silent = new RedisStore({
      cluster: { rootNodes: cluster.rootNodes.map((node) => node.url) },
      prefix: 'cc',
    });
    await silent.set('users', 'k', 'v2');
    await silent.close();
    expect(await b.call('get', 'users', 'k')).toBe('v1'); // B's near copy answers, as expected

    const drops = await b.call<number>('drops');
    await cluster.node(0).cli('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await b.call('waitDrop', drops);
    await b.call('waitTrusted', true);
    expect(await b.call('get', 'users', 'k')).toBe('v2');

    await a.call('set', 'users', 'k', 'v3');
    await b.call('watch', 'users', 'k', 'v3');
  });
});
