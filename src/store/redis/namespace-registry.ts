import type { StoreContext } from './store-context.js';
import { scanValueKeys } from './value-scan.js';

/** How many writes with an expiry a namespace takes between two prunes of its registry. */
const PRUNE_EVERY = 1000;
/** Registry members checked per prune window (the oldest first). */
const PRUNE_WINDOW = 1000;
/** At most this many windows per prune, so one prune stays short. */
const PRUNE_MAX_WINDOWS = 10;

/**
 * A namespace's registry (`<prefix>:<ns>:r`), a ZSET of its keys scored by last write (or read, lru),
 * kept only for namespaces with a `max` (eviction picks the lowest scores): seeded from the values
 * once per process, walked in windows, checked against the values that still live, and pruned of
 * expired members in the background.
 */
export class NamespaceRegistry {
  /** Writes with an expiry per namespace since its registry was last pruned. */
  readonly #expiringWrites = new Map<string, number>();
  /** The registry prune running in the background, if any (one at a time). */
  #pruning: Promise<unknown> | undefined;
  /** Namespaces whose registry this process has seeded (or is seeding). */
  readonly #seeding = new Map<string, Promise<void>>();

  constructor(
    private readonly context: StoreContext,
    private readonly host: { isClosed(): boolean; reportError(error: Error): void },
  ) {}

  /** Counts a write with an expiry, towards the next background prune. */
  noteExpiringWrite(ns: string): void {
    this.#expiringWrites.set(ns, (this.#expiringWrites.get(ns) ?? 0) + 1);
  }

  /** Resolves once no background prune runs. */
  async settled(): Promise<void> {
    await this.#pruning;
  }

  /**
   * Resolves once this process has added every stored entry of the namespace to its registry (once
   * per process and namespace). Entries written while the namespace had no `max` (here, or by a
   * process configured without one) are not registered; seeding lists them, with score 0, so they
   * count towards `max` and are evicted first (their age is unknown). A failed seed is tried again.
   */
  seeded(ns: string): Promise<void> {
    let seeding = this.#seeding.get(ns);
    if (!seeding) {
      seeding = this.#seed(ns);
      this.#seeding.set(ns, seeding);
      seeding.catch(() => this.#seeding.delete(ns));
    }
    return seeding;
  }

  async #seed(ns: string): Promise<void> {
    const { connection, layout } = this.context;
    const registry = layout.registry(ns);
    for await (const keys of scanValueKeys(this.context, ns, 1000)) {
      const args = ['ZADD', registry, 'NX'];
      for (const key of keys) args.push('0', key);
      await connection.send(ns, registry, args);
    }
  }

  /** The registry in ZSCAN windows, each key at most once (ZSCAN may repeat a key). */
  async *windows(ns: string, window: number): AsyncIterable<string[]> {
    await this.context.ready();
    await this.seeded(ns);
    const { connection, layout } = this.context;
    const registry = layout.registry(ns);
    const seen = new Set<string>();
    let cursor = '0';
    do {
      const reply = (await connection.send(
        ns,
        registry,
        ['ZSCAN', registry, cursor, 'COUNT', String(window)],
        true,
      )) as [string, unknown[]];
      cursor = String(reply[0]);
      const keys: string[] = [];
      const flat = reply[1];
      // ZSCAN answers member, score, member, score…
      for (let i = 0; i < flat.length; i += 2) {
        const key = String(flat[i]);
        if (!seen.has(key)) {
          seen.add(key);
          keys.push(key);
        }
      }
      if (keys.length > 0) yield keys;
    } while (cursor !== '0');
  }

  /** Which keys still have a value; registry members without one are dropped from the registry. */
  async liveKeys(ns: string, keys: readonly string[]): Promise<string[]> {
    const { connection, layout } = this.context;
    const exists = await Promise.all(
      keys.map((key) => {
        const valueKey = layout.value(ns, key);
        return connection.send(ns, valueKey, ['EXISTS', valueKey], true);
      }),
    );
    const live: string[] = [];
    const stale: string[] = [];
    keys.forEach((key, i) => {
      (Number(exists[i]) === 1 ? live : stale).push(key);
    });
    if (stale.length > 0) {
      this.context.statsOf(ns).expirations += stale.length;
      const registry = layout.registry(ns);
      await connection.send(ns, registry, ['ZREM', registry, ...stale]);
    }
    return live;
  }

  /**
   * Drops registry members whose entry expired, oldest first, in windows; stops at a window that is
   * mostly alive. Runs by itself every {@link PRUNE_EVERY} writes with an expiry to a namespace, so
   * the registry of a namespace with a TTL does not grow forever. Resolves to how many members it
   * dropped.
   */
  async prune(ns: string): Promise<number> {
    await this.context.ready();
    this.#expiringWrites.set(ns, 0);
    const { connection, layout } = this.context;
    const registry = layout.registry(ns);
    let dropped = 0;
    let from = 0;
    for (let round = 0; round < PRUNE_MAX_WINDOWS; round++) {
      const window = (
        ((await connection.send(
          ns,
          registry,
          ['ZRANGE', registry, String(from), String(from + PRUNE_WINDOW - 1)],
          true,
        )) as unknown[] | null) ?? []
      ).map(String);
      if (window.length === 0) break;
      const live = await this.liveKeys(ns, window);
      dropped += window.length - live.length;
      // Live members keep their place: the next window starts after them.
      from += live.length;
      if (window.length < PRUNE_WINDOW || live.length * 2 > window.length) break;
    }
    return dropped;
  }

  /** Starts a background registry prune when a namespace has taken enough writes with an expiry. */
  maybePrune(ns: string): void {
    const writes = this.#expiringWrites.get(ns) ?? 0;
    if (writes < PRUNE_EVERY || this.#pruning || this.host.isClosed()) return;
    this.#pruning = this.prune(ns)
      .catch((error: unknown) => {
        // A failed prune only delays the tidy-up; the store reports it and carries on.
        if (error instanceof Error && !this.host.isClosed()) this.host.reportError(error);
      })
      .finally(() => {
        this.#pruning = undefined;
      });
  }
}
