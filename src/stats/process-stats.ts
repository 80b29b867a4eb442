import { hostname } from 'node:os';
import type { FetchStats } from '../fetch/fetch-stats.js';
import { RESOURCE_NAMES, type ResourceName } from '../resources/resource-names.js';
import type { NamespaceStats, Store } from '../store/types.js';
import type { IngestCounts } from './ingest-sources.js';

/** The namespace bot processes publish their stats under; the dashboard reads it. */
export const PROCESS_STATS_NAMESPACE = 'botcache.procs';

/** One resource's counters in one process (cumulative since the process started). */
export type ResourceCounters = NamespaceStats &
  Pick<FetchStats, 'loads' | 'loadErrors'> & {
    /** The resource's namespace in the store. */
    readonly ns: string;
  };

/** What one bot process publishes every interval (cumulative counters; the reader takes differences). */
export interface ProcessStats {
  readonly id: string;
  readonly pid: number;
  readonly host: string;
  readonly startedAt: number;
  /** When this snapshot was taken (epoch ms). */
  readonly at: number;
  readonly intervalMs: number;
  readonly memory: { readonly heapUsed: number; readonly rss: number };
  readonly resources: Readonly<Record<ResourceName, ResourceCounters>>;
  readonly ingest?: IngestCounts & {
    readonly adapter: string;
    /** Lag from receipt to application over the last interval (ms); absent when nothing was applied. */
    readonly lag?: {
      readonly p50: number;
      readonly p99: number;
      readonly max: number;
      readonly count: number;
    };
  };
}

/** The part of a resource cache the snapshot reads. */
export interface CountedResource {
  readonly ns: string;
  fetchStats(): FetchStats;
}

/** The part of a `createCache()` result the snapshot reads. */
export type CountedCache = { readonly store: Store } & { readonly [R in ResourceName]: CountedResource };

export function resourceCounters(cache: CountedCache): Record<ResourceName, ResourceCounters> {
  const out = {} as Record<ResourceName, ResourceCounters>;
  for (const name of RESOURCE_NAMES) {
    const { loads, loadErrors } = cache[name].fetchStats();
    const { ns } = cache[name];
    out[name] = { ns, ...cache.store.stats(ns), loads, loadErrors };
  }
  return out;
}

export function processIdentity(id: string | undefined): { id: string; host: string } {
  const host = hostname();
  return { id: id ?? `${host}:${process.pid}`, host };
}
