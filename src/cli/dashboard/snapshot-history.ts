import type { CacheSnapshot } from '../cache-snapshot.js';

/** One point of the dashboard's charts. */
export interface HistoryPoint {
  readonly at: number;
  readonly entries: number;
  readonly heapUsed: number;
  readonly rss: number;
  /** Store hit rate over the interval since the previous point (null when nothing was read). */
  readonly hitRate: number | null;
}

/** The last `capacity` snapshots' headline numbers, oldest first: the "over time" of the page. */
export class SnapshotHistory {
  readonly #points: HistoryPoint[] = [];
  #previous: CacheSnapshot | undefined;

  constructor(private readonly capacity = 300) {}

  add(snapshot: CacheSnapshot): void {
    const before = this.#previous?.totals ?? { hits: 0, misses: 0 };
    const hits = snapshot.totals.hits - before.hits;
    const reads = hits + snapshot.totals.misses - before.misses;
    this.#points.push({
      at: snapshot.at,
      entries: snapshot.totals.entries,
      heapUsed: snapshot.memory.heapUsed,
      rss: snapshot.memory.rss,
      hitRate: reads > 0 ? hits / reads : null,
    });
    if (this.#points.length > this.capacity) this.#points.shift();
    this.#previous = snapshot;
  }

  get latest(): CacheSnapshot | undefined {
    return this.#previous;
  }

  points(): readonly HistoryPoint[] {
    return this.#points;
  }
}
