/**
 * TieredStore hot-key reads against RedisStore, Keyv + @keyv/redis and lru-cache, in one run on one
 * private redis-server; then the invalidation delay between two processes, and what RESP3 client
 * tracking (BCAST) would cost instead of pub/sub.
 * Run: npx tsx bench/tiered.bench.ts [--quick]
 */
import KeyvRedis from '@keyv/redis';
import Keyv from 'keyv';
import { LRUCache } from 'lru-cache';
import { createClient } from 'redis';
import { RedisStore } from '../src/store/redis/index.js';
import { TieredStore } from '../src/store/tiered/index.js';
import { startRedis } from '../test/support/redis-server.js';
import { startPeer } from '../test/tiered/fixtures/peer-process.js';
import {
  formatOps,
  machineLine,
  measure,
  measureSync,
  ratioTable,
  shuffledIndexes,
  writeResults,
} from './harness.js';

const quick = process.argv.includes('--quick');
const HOT = 1000;
const LOCAL_OPS = quick ? 200_000 : 1_000_000;
const REMOTE_OPS = quick ? 5_000 : 20_000;
const DELAY_SAMPLES = quick ? 100 : 500;

const server = await startRedis();
try {
  const keys = Array.from({ length: HOT }, (_, i) => `${1_000_000_000_000_000_000n + BigInt(i)}`);
  const values = keys.map((id) => ({ id, username: `user${id.slice(-5)}`, avatar: null, bot: false }));
  const order = shuffledIndexes(HOT, LOCAL_OPS);
  const key = (i: number): string => keys[order[i % LOCAL_OPS]!]!;

  const lru = new LRUCache<string, object>({ max: HOT });
  const redis = new RedisStore({ url: server.url, prefix: 'benchr' });
  const tiered = new TieredStore({
    far: new RedisStore({ url: server.url, prefix: 'bencht' }),
    invalidation: { url: server.url },
  });
  const keyv = new Keyv({ store: new KeyvRedis(server.url), namespace: 'benchk' });
  keyv.on('error', (error: unknown) => console.error('keyv:', error));
  await tiered.open();
  for (let i = 0; i < HOT; i++) {
    lru.set(keys[i]!, values[i]!);
    await redis.set('users', keys[i]!, values[i]);
    await tiered.set('users', keys[i]!, values[i]);
    await keyv.set(keys[i]!, values[i]);
  }
  for (const k of keys) await tiered.get('users', k); // hot: every key in the near copy

  const lruSync = measureSync('lru-cache get (sync, raw ceiling)', LOCAL_OPS, (i) => lru.get(key(i)));
  const lruAwaited = await measure('lru-cache get (awaited)', LOCAL_OPS, (i) => lru.get(key(i)));
  const tieredGet = await measure('TieredStore get (awaited)', LOCAL_OPS, (i) => tiered.get('users', key(i)));
  const redisGet = await measure('RedisStore get (awaited)', REMOTE_OPS, (i) => redis.get('users', key(i)));
  const keyvGet = await measure('Keyv + @keyv/redis get (awaited)', REMOTE_OPS, (i) => keyv.get(key(i)));
  const rows = [lruSync, lruAwaited, tieredGet, redisGet, keyvGet];

  console.log('reads measured');
  // Invalidation delay: a write in process A returns -> process B reads the new value.
  const delays = await measureDelays(server.url);
  const p = (q: number): number =>
    delays[Math.min(delays.length - 1, Math.floor((q / 100) * delays.length))]!;

  const tracking = await measureTracking(server.url);

  const markdown = `
## TieredStore hot-key reads and invalidation delay

${machineLine()}. One private redis-server on loopback; ${HOT} hot keys (Discord-user-sized objects),
read in the same pseudo-random order by every case; each call awaited. The machine may be shared.

${ratioTable(rows, lruAwaited)}

- TieredStore hot reads vs Keyv + @keyv/redis: **${(tieredGet.opsPerSec / keyvGet.opsPerSec).toFixed(1)}x** (goal >= 10x).
- TieredStore hot reads vs RedisStore: **${(tieredGet.opsPerSec / redisGet.opsPerSec).toFixed(1)}x**.
- TieredStore vs lru-cache awaited (same calling convention): **${(tieredGet.opsPerSec / lruAwaited.opsPerSec).toFixed(2)}x**
  (goal >= 0.5x); vs the raw synchronous lru-cache call: ${(tieredGet.opsPerSec / lruSync.opsPerSec).toFixed(2)}x.

### Invalidation delay (write in A returns -> B reads the new value), two processes
| samples | p50 | p90 | p99 | max |
|---:|---:|---:|---:|---:|
| ${delays.length} | ${p(50).toFixed(2)} ms | ${p(90).toFixed(2)} ms | ${p(99).toFixed(2)} ms | ${delays[delays.length - 1]!.toFixed(2)} ms |

Goal: p99 <= 5 ms on loopback.

### Why pub/sub and not RESP3 client tracking
Measured on the same server: a \`CLIENT TRACKING ON BCAST PREFIX\` connection receives
**${tracking.pushesPerWrite.toFixed(1)} invalidation pushes per RedisStore.set** with an index link (one per Redis key the
write touches: value, link set, registry, index), against exactly one pub/sub message per TieredStore write;
a \`clear\` of ${tracking.cleared} entries sent **${tracking.clearPushes} pushes** (one pub/sub message for a TieredStore clear).
Tracking delay (write returns -> first push received, same process; 0 = the push came before the reply): p50 ${tracking.p50.toFixed(2)} ms, p99 ${tracking.p99.toFixed(2)} ms.
`;
  writeResults('tiered', markdown);
  console.log(`rows: ${rows.map((r) => `${r.name}=${formatOps(r.opsPerSec)}`).join(', ')}`);
  await Promise.all([tiered.close(), redis.close(), keyv.disconnect()]);
} finally {
  await server.stop();
}

async function measureDelays(url: string): Promise<number[]> {
  const [a, b] = await Promise.all([
    startPeer({ url, prefix: 'benchd' }),
    startPeer({ url, prefix: 'benchd' }),
  ]);
  try {
    const out: number[] = [];
    await a.call('set', 'latency', 'k', 0);
    for (let i = 1; i <= DELAY_SAMPLES; i++) {
      await b.call('watch', 'latency', 'k', i - 1);
      const seen = b.call<number>('watch', 'latency', 'k', i);
      await new Promise((resolve) => setTimeout(resolve, 2));
      const returned = await a.call<number>('set', 'latency', 'k', i);
      out.push(Math.max(0, (await seen) - returned));
    }
    return out.sort((x, y) => x - y);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
}

/** How many invalidations BCAST tracking delivers per store write, and how fast. */
async function measureTracking(url: string) {
  const tracker = createClient({ url, RESP: 3, emitInvalidate: true });
  tracker.on('error', (error: unknown) => console.error('tracker:', error));
  await tracker.connect();
  // node-redis turns default tracking on for emitInvalidate; BCAST needs it off first.
  await tracker.sendCommand(['CLIENT', 'TRACKING', 'OFF']);
  await tracker.sendCommand(['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'benchtrk:']);
  let pushes = 0;
  let lastPush = 0;
  tracker.on('invalidate', () => {
    pushes++;
    lastPush = performance.now();
  });
  const store = new RedisStore({ url, prefix: 'benchtrk' });
  const writes = 200;
  const delays: number[] = [];
  for (let i = 0; i < writes; i++) {
    const before = pushes;
    await store.set('messages', `{c}:m${i}`, { i }, { indexes: [{ by: 'channel', parent: 'c' }] });
    const returned = performance.now();
    while (pushes === before) await new Promise((resolve) => setImmediate(resolve));
    delays.push(Math.max(0, lastPush - returned));
    await new Promise((resolve) => setTimeout(resolve, 2)); // let the write's remaining pushes arrive
  }
  const pushesPerWrite = pushes / writes;
  const beforeClear = pushes;
  await store.clear('messages');
  await new Promise((resolve) => setTimeout(resolve, 100));
  const clearPushes = pushes - beforeClear;
  await store.close();
  await tracker.close();
  delays.sort((x, y) => x - y);
  const at = (q: number): number =>
    delays[Math.min(delays.length - 1, Math.floor((q / 100) * delays.length))]!;
  return { pushesPerWrite, clearPushes, cleared: writes, p50: at(50), p99: at(99) };
}
