import { formatBytes, formatCount, table } from '../format.js';
import type { InspectReport } from './inspect-redis.js';
import { TTL_BUCKETS } from './ttl-buckets.js';

export function formatInspectReport(report: InspectReport, url: string): string {
  const where = report.cluster ? `Redis Cluster (${report.nodes.length} masters)` : 'Redis';
  const rows = report.namespaces.map((ns) => [
    ns.namespace,
    formatCount(ns.entries),
    formatCount(ns.indexes),
    formatCount(ns.keys),
    formatBytes(ns.memoryBytes),
    formatCount(ns.memorySampled),
  ]);
  const ttlRows = report.namespaces
    .filter((ns) => ns.ttlSampled > 0)
    .map((ns) => [
      ns.namespace,
      ...TTL_BUCKETS.map((b) =>
        ns.ttl[b.label] === 0 ? '-' : `${Math.round((ns.ttl[b.label] / ns.ttlSampled) * 100)}%`,
      ),
      formatCount(ns.ttlSampled),
    ]);
  const guildRows = report.largestGuilds.map((g) => [
    g.guildId,
    formatCount(g.entries),
    Object.entries(g.byNamespace)
      .sort(([, a], [, b]) => b - a)
      .map(([ns, n]) => `${ns} ${formatCount(n)}`)
      .join(', '),
  ]);
  return [
    `botcache inspect: ${url}, prefix '${report.prefix}', ${where}`,
    `  ${formatCount(report.totals.entries)} entries in ${formatCount(report.totals.keys)} keys, about ${formatBytes(report.totals.memoryBytes)}`,
    '',
    `memory and TTLs estimated from a sample of up to ${formatCount(report.sampleSize)} keys per namespace (--sample)`,
    table(['namespace', 'entries', 'indexes', 'keys', 'memory (sampled)', 'sampled keys'], rows),
    '',
    'remaining TTL of sampled entries',
    table(['namespace', ...TTL_BUCKETS.map((b) => b.label), 'sampled'], ttlRows),
    '',
    report.largestGuilds.length === 0 ? 'largest guilds: none (no guild indexes)' : 'largest guilds',
    ...(guildRows.length === 0 ? [] : [table(['guild', 'entries', 'by namespace'], guildRows, [0, 2])]),
  ].join('\n');
}
