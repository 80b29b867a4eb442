import type { EntryReads } from './entry-reads.js';
import type { NamespaceRegistry } from './namespace-registry.js';

/** The keys of a namespace that still have a value: counted, listed, or listed with their values. */
export class NamespaceKeys {
  constructor(
    private readonly registry: NamespaceRegistry,
    private readonly entries: EntryReads,
  ) {}

  async count(ns: string): Promise<number> {
    let count = 0;
    for await (const window of this.registry.windows(ns, 1000))
      count += (await this.registry.liveKeys(ns, window)).length;
    return count;
  }

  async *keys(ns: string, window: number): AsyncIterable<string> {
    for await (const keys of this.registry.windows(ns, window)) yield* await this.registry.liveKeys(ns, keys);
  }

  async *entriesOf(ns: string, window: number): AsyncIterable<[string, unknown]> {
    for await (const keys of this.registry.windows(ns, window)) yield* await this.entries.values(ns, keys);
  }
}
