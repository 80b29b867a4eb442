import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/redis/index.js';
import { TieredStore } from '../../src/store/tiered/index.js';
import { type RedisClusterHandle, startRedisCluster } from '../support/redis-server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Keys spread over many slots, so the killed master holds some of them. */
const KEYS = Array.from({ length: 24 }, (_, i) => `u${i}`);
/** The staleness bound under test (near.maxAge), short so the test stays short. */
const MAX_AGE = 3000;

function tiered(rootNodes: string[]): TieredStore {
  const store = new TieredStore({
    far: new RedisStore({ cluster: { rootNodes }, prefix: 'tfo', commandTimeout: 500 }),
    invalidation: { cluster: { rootNodes }, reconnect: { initialDelay: 20, maxDelay: 200 } },
    near: { maxAge: MAX_AGE },
  });
  store.on('error', () => {});
  return store;
}

/** Retries a call until it succeeds (failover in progress), for up to `ms`. */
async function eventually<T>(call: () => Promise<T>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(50);
    }
  }
}

/** TieredStore processes on a Cluster whose master dies while they write (issue 17, Cluster case). */
describe('TieredStore on a Cluster that fails over', () => {
  let cluster: RedisClusterHandle;
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3, replicas: 1 });
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('after a master is killed mid-traffic, no process serves a value older than the staleness bound', async () => {
    const rootNodes = cluster.rootNodes.map((node) => node.url);
    const a = tiered(rootNodes);
    const b = tiered(rootNodes);
    await Promise.all([a.open(), b.open()]);
    for (const key of KEYS) await a.set('users', key, 'v0');
    for (const key of KEYS) expect(await b.get('users', key)).toBe('v0'); // B's near copies filled

    let stop = false;
    let n = 0;
    const writes = (async () => {
      while (!stop) {
        const key = KEYS[n % KEYS.length] as string;
        await a.set('users', key, `v${++n}`).catch(() => sleep(20));
      }
    })();
    const reads = (async () => {
      while (!stop) {
        await Promise.all(KEYS.map((key) => b.get('users', key).catch(() => undefined)));
        await sleep(5);
      }
    })();
    await sleep(300);
    // Not the seed node: the invalidation connection stays up, so B keeps trusting its near copies
    // and only invalidation and the staleness bound keep it honest.
    await cluster.node(1).kill();
    await sleep(1500);
    stop = true;
    await Promise.all([writes, reads]);

    // Once every slot answers again, A writes a final value everywhere.
    for (const key of KEYS) await eventually(() => a.set('users', key, `final-${key}`));
    const acknowledged = Date.now();
    // B must serve the final value of every key within the bound (plus scheduling margin)...
    const pending = new Set(KEYS);
    while (pending.size > 0 && Date.now() - acknowledged < MAX_AGE + 3000) {
      for (const key of [...pending]) {
        if ((await b.get('users', key).catch(() => undefined)) === `final-${key}`) pending.delete(key);
      }
      await sleep(25);
    }
    const converged = Date.now() - acknowledged;
    console.log(
      `tiered failover: ${n} writes during the kill; B served every final value ${converged} ms after the last write`,
    );
    expect([...pending]).toEqual([]);
    expect(converged).toBeLessThan(MAX_AGE + 3000);
    // ...and never an older one afterwards.
    for (let round = 0; round < 10; round++) {
      for (const key of KEYS) expect(await b.get('users', key)).toBe(`final-${key}`);
      await sleep(50);
    }
    await Promise.all([a.close(), b.close()]);
  }, 90_000);
});
