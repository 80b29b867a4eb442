import type { GuildReport } from '../inspect/inspect-redis.js';
import type { TtlDistribution } from '../inspect/ttl-buckets.js';

/** One row of the resources table. */
export interface ResourceRow {
  /** The namespace (a resource, maybe behind a namespacePrefix, or a group). */
  readonly namespace: string;
  /** Live entries in the store. */
  readonly entries: number;
  /** Reads answered / not, summed over the processes that report (cumulative). */
  readonly hits: number;
  readonly misses: number;
}

/** One bot process, as it last reported itself. */
export interface ProcessRow {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly heapUsed: number;
  readonly rss: number;
  /** Milliseconds since its last report. */
  readonly age: number;
  readonly applied: number | null;
  readonly queueDepth: number | null;
  readonly lagP99: number | null;
}

/** One point of the charts. */
export interface HistoryPoint {
  /** Epoch ms. */
  readonly at: number;
  /** Hits / reads over the interval, 0..1 (null: no read). */
  readonly hitRate: number | null;
  /** Reads and writes per second over the interval, every process together (null: first point). */
  readonly opsPerSec: number | null;
  /** The worst process's p99 ingest lag over the interval, ms (null: no adapter reported). */
  readonly lagP99Ms: number | null;
  /** Bytes the store's server holds (Redis used_memory), or null where there is none. */
  readonly storeBytes: number | null;
  /** JS heap of every reporting process together. */
  readonly heapBytes: number;
}

/** What /api/view answers; the page draws only this. */
export interface DashboardView {
  readonly mode: 'demo' | 'attached';
  /** What the numbers come from, e.g. `RedisStore at redis://127.0.0.1:6379 (prefix botcache)`. */
  readonly source: string;
  readonly at: number;
  readonly resources: readonly ResourceRow[];
  readonly totals: { readonly entries: number; readonly hits: number; readonly misses: number };
  readonly processes: readonly ProcessRow[];
  readonly redis?: {
    readonly nodes: readonly string[];
    readonly keys: number;
    readonly usedMemory: number;
    readonly ttl: TtlDistribution;
    readonly ttlSampled: number;
    readonly largestGuilds: readonly GuildReport[];
  };
  readonly history: readonly HistoryPoint[];
}

/** A view without its history: what one sample produces. */
export type DashboardSample = Omit<DashboardView, 'history'> & {
  /** Cumulative reads and writes over every process, for the next point's rates. */
  readonly operations: number;
  readonly lagP99Ms: number | null;
  readonly storeBytes: number | null;
};

/** The last `capacity` samples turned into chart points (rates from consecutive samples). */
export class DashboardHistory {
  readonly #points: HistoryPoint[] = [];
  #previous: DashboardSample | undefined;

  constructor(private readonly capacity = 300) {}

  add(sample: DashboardSample): void {
    const before = this.#previous;
    const hits = sample.totals.hits - (before?.totals.hits ?? 0);
    const reads = hits + sample.totals.misses - (before?.totals.misses ?? 0);
    const seconds = before ? (sample.at - before.at) / 1000 : 0;
    const operations = sample.operations - (before?.operations ?? 0);
    this.#points.push({
      at: sample.at,
      hitRate: reads > 0 && hits >= 0 ? hits / reads : null,
      opsPerSec: before && seconds > 0 ? Math.max(0, operations) / seconds : null,
      lagP99Ms: sample.lagP99Ms,
      storeBytes: sample.storeBytes,
      heapBytes: sample.processes.reduce((sum, p) => sum + p.heapUsed, 0),
    });
    if (this.#points.length > this.capacity) this.#points.shift();
    this.#previous = sample;
  }

  view(): DashboardView | undefined {
    const latest = this.#previous;
    if (!latest) return undefined;
    const { operations: _o, lagP99Ms: _l, storeBytes: _s, ...rest } = latest;
    return { ...rest, history: this.#points };
  }
}
