import type { CacheSnapshot } from '../cache-snapshot.js';
import type { DashboardSample } from './dashboard-view.js';

/** The demo's own cache, as one dashboard sample: every number is this process's. */
export function demoSample(snapshot: CacheSnapshot, source: string): DashboardSample {
  const { heapUsed, rss } = snapshot.memory;
  return {
    mode: 'demo',
    source,
    at: snapshot.at,
    resources: snapshot.resources.map((r) => ({
      namespace: r.resource,
      entries: r.count,
      hits: r.hits,
      misses: r.misses,
    })),
    totals: snapshot.totals,
    processes: [
      {
        id: 'demo bot',
        host: 'this process',
        pid: process.pid,
        heapUsed,
        rss,
        age: 0,
        applied: null,
        queueDepth: null,
        lagP99: null,
      },
    ],
    operations: snapshot.resources.reduce((n, r) => n + r.hits + r.misses + r.sets, 0),
    lagP99Ms: null,
    storeBytes: null,
  };
}
