import type { EntryReads } from './entry-reads.js';
import type { NamespaceRegistry } from './namespace-registry.js';
import { hasRegistry, type StoreContext } from './store-context.js';
import { scanValueKeys } from './value-scan.js';

/**
 * The keys of a namespace that still have a value: counted, listed, or listed with their values.
 * A namespace with a registry (one with `max`) is walked through it (ZSCAN, then EXISTS), which
 * reads only that namespace; any other is walked by SCAN over its value keys on every master.
 */
export class NamespaceKeys {
  constructor(
    private readonly context: StoreContext,
    private readonly registry: NamespaceRegistry,
    private readonly entries: EntryReads,
  ) {}

  async count(ns: string): Promise<number> {
    let count = 0;
    for await (const keys of this.#windows(ns, 1000)) count += keys.length;
    return count;
  }

  async *keys(ns: string, window: number): AsyncIterable<string> {
    for await (const keys of this.#windows(ns, window)) yield* keys;
  }

  async *entriesOf(ns: string, window: number): AsyncIterable<[string, unknown]> {
    // The MGET that reads the values also drops keys gone since the walk: no EXISTS needed first.
    const walk = hasRegistry(this.context, ns)
      ? this.registry.windows(ns, window)
      : scanValueKeys(this.context, ns, window);
    for await (const keys of walk) yield* await this.entries.values(ns, keys);
  }

  /** Windows of live keys. */
  async *#windows(ns: string, window: number): AsyncIterable<string[]> {
    if (!hasRegistry(this.context, ns)) {
      yield* scanValueKeys(this.context, ns, window);
      return;
    }
    for await (const keys of this.registry.windows(ns, window)) {
      const live = await this.registry.liveKeys(ns, keys);
      if (live.length > 0) yield live;
    }
  }
}
