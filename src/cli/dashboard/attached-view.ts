import { PROCESS_STATS_NAMESPACE, type ProcessStats } from '../../stats/process-stats.js';
import { inspectRedis } from '../inspect/inspect-redis.js';
import type { RedisTopology } from '../inspect/redis-topology.js';
import { emptyDistribution, type TtlBucket } from '../inspect/ttl-buckets.js';
import type { DashboardSample, ProcessRow, ResourceRow } from './dashboard-view.js';
import { readProcessStats } from './process-stats-reader.js';

/** Keys asked about (MEMORY USAGE, PTTL) per namespace and sample: enough for a distribution, cheap. */
const SAMPLE = 50;

/**
 * One sample of a shared Redis: what it holds under the prefix (as `inspect` reads it) and what every
 * bot process using it last published. Read-only: SCAN, GET, PTTL, ZCARD, MEMORY USAGE, INFO.
 */
export async function attachedSample(
  topology: RedisTopology,
  prefix: string,
  source: string,
): Promise<DashboardSample> {
  const [report, processes, usedMemory] = await Promise.all([
    inspectRedis(topology, { prefix, sample: SAMPLE, top: 10 }),
    readProcessStats(topology, prefix),
    usedMemoryOf(topology),
  ]);
  const now = Date.now();
  const counters = countersByNamespace(processes);
  const resources: ResourceRow[] = report.namespaces
    .filter((ns) => ns.namespace !== PROCESS_STATS_NAMESPACE)
    .map((ns) => ({
      namespace: ns.namespace,
      entries: ns.entries,
      hits: counters.get(ns.namespace)?.hits ?? 0,
      misses: counters.get(ns.namespace)?.misses ?? 0,
    }));
  const ttl = emptyDistribution();
  let ttlSampled = 0;
  for (const ns of report.namespaces) {
    if (ns.namespace === PROCESS_STATS_NAMESPACE) continue;
    ttlSampled += ns.ttlSampled;
    for (const [bucket, n] of Object.entries(ns.ttl)) ttl[bucket as TtlBucket] += n;
  }
  const rows: ProcessRow[] = processes.map((p) => ({
    id: p.id,
    host: p.host,
    pid: p.pid,
    heapUsed: p.memory.heapUsed,
    rss: p.memory.rss,
    age: Math.max(0, now - p.at),
    applied: p.ingest?.applied ?? null,
    queueDepth: p.ingest?.queueDepth ?? null,
    lagP99: p.ingest?.lag?.p99 ?? null,
  }));
  const lags = processes.map((p) => p.ingest?.lag?.p99).filter((l): l is number => l !== undefined);
  return {
    mode: 'attached',
    source,
    at: now,
    resources,
    totals: {
      entries: resources.reduce((n, r) => n + r.entries, 0),
      hits: resources.reduce((n, r) => n + r.hits, 0),
      misses: resources.reduce((n, r) => n + r.misses, 0),
    },
    processes: rows,
    redis: {
      nodes: report.nodes,
      keys: report.totals.keys,
      usedMemory,
      ttl,
      ttlSampled,
      largestGuilds: report.largestGuilds,
    },
    operations: processes.reduce((n, p) => n + operationsOf(p), 0),
    lagP99Ms: lags.length > 0 ? Math.max(...lags) : null,
    storeBytes: usedMemory,
  };
}

function countersByNamespace(
  processes: readonly ProcessStats[],
): Map<string, { hits: number; misses: number }> {
  const out = new Map<string, { hits: number; misses: number }>();
  for (const p of processes) {
    for (const counters of Object.values(p.resources)) {
      const sum = out.get(counters.ns) ?? { hits: 0, misses: 0 };
      sum.hits += counters.hits;
      sum.misses += counters.misses;
      out.set(counters.ns, sum);
    }
  }
  return out;
}

function operationsOf(p: ProcessStats): number {
  let n = 0;
  for (const c of Object.values(p.resources)) n += c.hits + c.misses + c.sets + c.deletes;
  return n;
}

/** used_memory of every node together (INFO memory). */
async function usedMemoryOf(topology: RedisTopology): Promise<number> {
  const infos = await Promise.all(topology.nodes.map((node) => node.send(['INFO', 'memory'])));
  return infos.reduce<number>(
    (sum, info) => sum + Number(/used_memory:(\d+)/.exec(String(info))?.[1] ?? 0),
    0,
  );
}
