import { emptyFetchStats, type FetchStats } from '../fetch/index.js';
import type { IndexLink, SetOptions } from '../store/types.js';
import type { ResourceContext } from './resource-context.js';
import { ResourceFetching, type ResourceFetchOptions } from './resource-fetch.js';
import { ResourceView } from './resource-view.js';
import { WritePlan } from './write-plan.js';

/** A store that can answer a read synchronously (MemoryStore). */
interface SyncReader {
  getSync<T>(ns: string, key: string): T | undefined;
}

/** What a caller may pass as a shallow update. */
export type Patch<V> = Partial<V>;

/**
 * What every resource cache shares: its namespace, the write path through a {@link WritePlan} (one store
 * batch per change), counting, clearing, and the hooks subclasses override to cascade.
 *
 * The write path (`planWrite`, `commit`) is the one a fetch layer uses after a loader returns.
 */
export abstract class ResourceCore<V extends object> {
  /** The store namespace holding this resource. */
  readonly ns: string;
  #fetching: ResourceFetching<V, unknown[]> | undefined;

  protected constructor(
    /** @internal */ readonly ctx: ResourceContext,
    /** The resource or group name, e.g. `'members'` or `'player'`. */
    readonly name: string,
  ) {
    this.ns = ctx.namespace(name);
  }

  /** Live entries of the resource, now. Does not consume anything. */
  async count(): Promise<number> {
    this.ctx.guard();
    return this.ctx.store.count(this.ns);
  }

  /** Removes every entry of this resource (and releases what its entries kept alive). */
  async clear(): Promise<void> {
    await this.commit((plan) => this.planClear(plan));
  }

  // ---- the internal write path -------------------------------------------------------------------

  /** Runs `build` to fill one plan, commits it as one batch, returns the batch result. */
  async commit(build: (plan: WritePlan) => void | Promise<void>): Promise<readonly unknown[]> {
    this.ctx.guard();
    const plan = new WritePlan(this.ctx);
    await build(plan);
    return plan.commit();
  }

  /**
   * Adds the write of one entry to a plan. `indexes` given: they replace the entry's links; omitted:
   * the entry keeps its links. Returns the position of the write in the batch result (its previous value).
   */
  planWrite(
    plan: WritePlan,
    key: string,
    value: V,
    indexes: readonly IndexLink[] | undefined,
    expiry?: Pick<SetOptions, 'ttl' | 'expiresAt' | 'ifExists'>,
  ): number {
    // Most writes carry no expiry of their own: no default object and no spread for them.
    const options: SetOptions =
      expiry === undefined
        ? indexes === undefined
          ? {}
          : { indexes }
        : indexes === undefined
          ? { ...expiry }
          : { ...expiry, indexes };
    return plan.push({ type: 'set', ns: this.ns, key, value, options });
  }

  /** Adds the delete of one entry to a plan; subclasses add their cascades. Returns the op's position. */
  planDelete(plan: WritePlan, key: string): number | Promise<number> {
    return plan.push({ type: 'delete', ns: this.ns, key });
  }

  /** Adds the delete of every entry linked to a parent; subclasses add their cascades. */
  planClearIndex(plan: WritePlan, link: IndexLink): void | Promise<void> {
    plan.push({ type: 'clearIndex', ns: this.ns, link, options: { deleteEntries: true } });
  }

  /** Adds the clearing of the whole namespace; subclasses release references. */
  planClear(plan: WritePlan): void | Promise<void> {
    plan.push({ type: 'clear', ns: this.ns });
  }

  /** This process's fetch counters: hits, misses, loads, load errors, stale served, negative hits. */
  fetchStats(): FetchStats {
    return this.#fetching?.stats() ?? emptyFetchStats();
  }

  /**
   * The resource's fetch machinery, made on first use with the loader and policy from `createCache({ fetch })`.
   * `idsOf` turns a store key back into the loader's ids; `planLoaded` writes a loaded value with its relations.
   */
  protected fetchingWith<K extends unknown[]>(
    idsOf: (key: string) => K,
    planLoaded: (plan: WritePlan, ids: K, value: V) => number,
  ): ResourceFetching<V, K> {
    if (!this.#fetching) {
      const options = (this.ctx.fetchOptions(this.name) ?? {}) as ResourceFetchOptions<V, K>;
      const fetching = new ResourceFetching<V, K>(this, options, idsOf, planLoaded);
      this.#fetching = fetching as unknown as ResourceFetching<V, unknown[]>;
    }
    return this.#fetching as unknown as ResourceFetching<V, K>;
  }

  // ---- helpers for subclasses -------------------------------------------------------------------

  /** The store's read, its promise handed on as it is (no async layer here: reads are the hot path). */
  protected readKey(key: string): Promise<V | undefined> {
    try {
      this.ctx.guard();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.ctx.store.get<V>(this.ns, key);
  }

  /** A synchronous read, for stores that can answer one (MemoryStore's `getSync`). */
  protected peekKey(key: string): V | undefined {
    this.ctx.guard();
    const store = this.ctx.store as Partial<SyncReader>;
    if (typeof store.getSync !== 'function')
      throw new TypeError(
        `${this.name}.peek() reads synchronously and needs a memory-backed store (MemoryStore); this cache uses a ${this.ctx.store.kind} store, use get()`,
      );
    return store.getSync<V>(this.ns, key);
  }

  /**
   * The parent an entry is linked to through index `by` (its guild, its channel), read from the store's
   * links; on a store that cannot tell, what `fromPayload` reads off the value. Undefined when the entry
   * is not cached or has no such parent.
   */
  protected async parentOf(
    key: string,
    by: string,
    fromPayload: (value: Readonly<Record<string, unknown>>) => string | undefined,
  ): Promise<string | undefined> {
    this.ctx.guard();
    const links = await this.ctx.store.linksOf?.(this.ns, key);
    if (links !== undefined) return links.find((link) => link.by === by)?.parent;
    const value = await this.ctx.store.get<Readonly<Record<string, unknown>>>(this.ns, key);
    return value === undefined ? undefined : fromPayload(value);
  }

  protected async readKeys(keys: readonly string[]): Promise<(V | undefined)[]> {
    this.ctx.guard();
    return this.ctx.store.getMany<V>(this.ns, keys);
  }

  /** Writes through one plan; resolves to the previous value. */
  protected async writeKey(
    key: string,
    value: V,
    indexes: readonly IndexLink[] | undefined,
    expiry?: Pick<SetOptions, 'ttl' | 'expiresAt'>,
    extra?: (plan: WritePlan, opIndex: number) => void,
  ): Promise<V | undefined> {
    checkValue(value);
    let index = -1;
    const results = await this.commit((plan) => {
      index = this.planWrite(plan, key, value, indexes, expiry);
      extra?.(plan, index);
    });
    return results[index] as V | undefined;
  }

  /**
   * Shallow-merges `partial` into the cached value, keeping the entry's links and expiry. Resolves to
   * the merged value, or undefined (and writes nothing) when the entry is not cached. Two concurrent
   * patches of one entry may lose one update: a patch reads, then writes.
   */
  protected async patchKey(key: string, partial: Patch<V>): Promise<V | undefined> {
    this.ctx.guard();
    if (typeof partial !== 'object' || partial === null || Array.isArray(partial))
      throw new TypeError(`partial must be an object (got ${partial === null ? 'null' : typeof partial})`);
    const entry = await this.ctx.store.getEntry<V>(this.ns, key);
    if (!entry) return undefined;
    const merged = { ...entry.value, ...partial } as V;
    // ifExists: if another writer deleted the entry since our read, the patch must not bring it back
    // (without its links it would sit outside every index).
    const expiry =
      entry.expiresAt === undefined
        ? { ttl: Number.POSITIVE_INFINITY, ifExists: true }
        : { expiresAt: entry.expiresAt, ifExists: true };
    await this.commit((plan) => {
      this.planWrite(plan, key, merged, undefined, expiry);
    });
    return Object.freeze(merged);
  }

  protected async deleteKey(key: string): Promise<boolean> {
    let index = -1;
    const results = await this.commit(async (plan) => {
      index = await this.planDelete(plan, key);
    });
    return results[index] === true;
  }

  /** A view of the entries linked to one parent. */
  protected view<K>(link: IndexLink, idOf: (key: string) => K): ResourceView<K, V> {
    return new ResourceView<K, V>({
      ctx: this.ctx,
      ns: this.ns,
      link,
      idOf,
      clear: async () => {
        await this.commit((plan) => this.planClearIndex(plan, link));
      },
    });
  }
}

/** Values are the platform's JSON payloads: plain objects. */
export function checkValue(value: unknown, name = 'value'): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new TypeError(
      `${name} must be a plain object payload (got ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value})`,
    );
}

/** Collects an async iterable (index keys read before a cascade). */
export async function collectKeys(iterable: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const key of iterable) out.push(key);
  return out;
}
