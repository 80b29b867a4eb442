import type { IndexLink } from '../store/types.js';
import type { ResourceContext } from './resource-context.js';

/** How a view reads its parent's index and clears it with the resource's cascades. */
export interface ViewSource<K> {
  readonly ctx: ResourceContext;
  readonly ns: string;
  readonly link: IndexLink;
  /** Turns a store key into the id the view yields (a member's key into its user id). */
  readonly idOf: (key: string) => K;
  /** Deletes every entry of the view, with the same relations a delete of each would keep. */
  readonly clear: () => Promise<void>;
}

/**
 * The entries of one resource bound to one parent, e.g. `cache.members.forGuild(id)`: counts without
 * consuming, iterates `[id, value]` oldest link first, lists ids, clears with cascades.
 */
export class ResourceView<K, V> implements AsyncIterable<[K, V]> {
  constructor(private readonly source: ViewSource<K>) {}

  /** Live entries bound to the parent, now. */
  async count(): Promise<number> {
    this.source.ctx.guard();
    return this.source.ctx.store.indexCount(this.source.ns, this.source.link);
  }

  /** Whether the parent has any entry. */
  async isEmpty(): Promise<boolean> {
    return (await this.count()) === 0;
  }

  async *keys(): AsyncIterableIterator<K> {
    this.source.ctx.guard();
    for await (const key of this.source.ctx.store.indexKeys(this.source.ns, this.source.link)) {
      yield this.source.idOf(key);
    }
  }

  async *values(): AsyncIterableIterator<V> {
    for await (const [, value] of this) yield value;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<[K, V]> {
    this.source.ctx.guard();
    const { store } = this.source.ctx;
    for await (const [key, value] of store.indexEntries<V>(this.source.ns, this.source.link)) {
      yield [this.source.idOf(key), value];
    }
  }

  /** Deletes every entry bound to the parent (and what cascades from them). */
  async clear(): Promise<void> {
    this.source.ctx.guard();
    return this.source.clear();
  }
}
