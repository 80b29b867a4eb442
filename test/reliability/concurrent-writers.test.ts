import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCache } from '../../src/resources/create-cache.js';
import { verifyCache } from '../../src/resources/verify-cache.js';
import { RedisStore } from '../../src/store/redis/index.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';
import { runWriterProcess, type WorkerReport } from './support/writer-process.js';

const WORKER = fileURLToPath(new URL('./support/churn-worker.ts', import.meta.url));
const WORKERS = 4;
const OPS_PER_WORKER = 600;

/** Runs one writer process to its end; rejects on a non-zero exit. */
function runWorker(url: string, prefix: string, seed: number): Promise<WorkerReport> {
  return runWriterProcess(WORKER, [url, prefix, String(seed), String(OPS_PER_WORKER)]);
}

let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  await redis?.stop();
});

describe('concurrent writer processes on one guild', () => {
  // Guards two races that once left an entity missing from its index: clearIndex wiping members linked
  // meanwhile (it now removes only unlinked members), and index validation removing a member that another
  // process re-linked between check and removal (both now happen in one script).
  it('leave every entity and its indexes in agreement', { timeout: 120_000 }, async () => {
    const prefix = 'churn';
    const reports = await Promise.all(
      Array.from({ length: WORKERS }, (_, i) => runWorker(redis.url, prefix, 1000 + i)),
    );
    for (const report of reports) {
      expect(report.done).toBeGreaterThanOrEqual(OPS_PER_WORKER);
      expect(report.firstErrors).toEqual([]);
    }
    const store = new RedisStore({ url: redis.url, prefix });
    const cache = createCache({ store });
    try {
      // Orphans are the workload's own: a lane writes the guild's channels and roles whether or not
      // another lane's guild delete came first, so the run may end with the guild gone and some kept.
      expect(await verifyCache(cache, { references: false, orphans: false })).toEqual([]);
      // The check was not vacuous: the workload left data behind (users outlive a guild delete by their TTL).
      const touched =
        (await cache.users.count()) +
        (await cache.members.count()) +
        (await cache.messages.count()) +
        (await cache.channels.count());
      expect(touched).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });
});
