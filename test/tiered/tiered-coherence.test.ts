import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/redis/index.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';
import {
  batchAndIndexes,
  eventually,
  invalidationDelays,
  percentile,
  settle,
  writeReadDeleteClear,
} from './coherence-checks.js';
import { type Peer, startPeer } from './fixtures/peer-process.js';

let server: RedisServer;
let a: Peer;
let b: Peer;

beforeAll(async () => {
  server = await startRedis();
  [a, b] = await Promise.all([
    startPeer({ url: server.url, prefix: 'co' }),
    startPeer({ url: server.url, prefix: 'co', reconnectDelay: 400 }),
  ]);
}, 30_000);
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await server?.stop();
});

describe('TieredStore across two processes on one Redis', () => {
  it('write, read, delete and clear in A are seen by B', async () => {
    await writeReadDeleteClear(a, b);
  });

  it('batches and clearIndex in A are seen by B', async () => {
    await batchAndIndexes(a, b);
  });

  it('measures the delay from a write in A returning to B reading the new value', async () => {
    const delays = await invalidationDelays(a, b, 150);
    const p50 = percentile(delays, 50);
    const p99 = percentile(delays, 99);
    console.log(
      `invalidation delay (standalone, ${delays.length} writes): p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`,
    );
    // Generous bounds: the machine running the tests may be busy; the bench records the real figures.
    expect(p50).toBeLessThan(20);
    expect(p99).toBeLessThan(100);
  });

  it('a killed invalidation connection flushes B: what it missed meanwhile is never served stale', async () => {
    await a.call('set', 'users', 'k', 'v1');
    await settle(b, 'users', 'k', 'v1');
    // A write nobody announces stands for a message B misses while its subscription is down.
    const silent = new RedisStore({ url: server.url, prefix: 'co' });
    await silent.set('users', 'k', 'v2');
    await silent.close();
    expect(await b.call('get', 'users', 'k')).toBe('v1'); // B's near copy answers, as expected

    const drops = await b.call<number>('drops');
    await server.cli('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await b.call('waitDrop', drops);
    await b.call('waitTrusted', true);
    expect(await b.call('get', 'users', 'k')).toBe('v2');

    await a.call('set', 'users', 'k', 'v3');
    await b.call('watch', 'users', 'k', 'v3');
  });

  it('after Redis restarts (and loses its data) B never serves its old near copy', async () => {
    await a.call('set', 'users', 'r', 'before');
    await settle(b, 'users', 'r', 'before');

    await server.restart();
    expect(await eventually(() => b.call('get', 'users', 'r'))).toBeUndefined();

    await b.call('waitTrusted', true);
    await eventually(() => a.call('set', 'users', 'r', 'after'));
    await b.call('watch', 'users', 'r', 'after');
    await eventually(() => a.call('set', 'users', 'r', 'again'));
    await b.call('watch', 'users', 'r', 'again');
  });
});
