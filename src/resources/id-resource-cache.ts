import type { Loader } from '../fetch/loader.js';
import { assertId, assertIds } from './ids.js';
import { type Patch, ResourceCore } from './resource-core.js';
import type { ResourceFetchCall, ResourceFetching } from './resource-fetch.js';
import type { WritePlan } from './write-plan.js';

/**
 * A resource keyed by its own id (guilds, channels, roles, emojis, users, messages, invites, groups):
 * get, getMany, patch, delete, count, clear, and iteration as `[id, value]`. Subclasses add `set`
 * with the relations their entities carry.
 */
export abstract class IdResourceCache<V extends object>
  extends ResourceCore<V>
  implements AsyncIterable<[string, V]>
{
  /** The cached value, or undefined on a miss. Frozen (memory) or a fresh copy (remote stores). */
  get(id: string): Promise<V | undefined> {
    try {
      this.checkId(id, 'id');
    } catch (error) {
      return Promise.reject(error);
    }
    return this.readKey(id);
  }

  /**
   * The cached value now, synchronously, on a memory-backed store (MemoryStore): no promise. Throws a
   * TypeError on stores that cannot answer synchronously (use {@link get}).
   */
  peek(id: string): V | undefined {
    this.checkId(id, 'id');
    return this.peekKey(id);
  }

  /** Values in the order of `ids`, undefined for misses; one round trip on remote stores. */
  async getMany(ids: readonly string[]): Promise<(V | undefined)[]> {
    this.checkIds(ids, 'ids');
    return this.readKeys(ids);
  }

  /**
   * The cached value, else the loaded one: concurrent fetches of one id share one loader call, a
   * "does not exist" answer rejects with EntryNotFound (remembered for the negative TTL), a failing loader
   * rejects with LoaderError. The loader comes from the call, `setLoader`, or `createCache({ fetch })`.
   */
  async fetch(id: string, options?: ResourceFetchCall<V, [id: string]>): Promise<V> {
    this.checkId(id, 'id');
    this.ctx.guard();
    return this.fetching().fetch(id, [id], options);
  }

  /** Sets the loader `fetch` uses when a call gives none. */
  setLoader(loader: Loader<V, [id: string]>): void {
    this.fetching().setLoader(loader);
  }

  private fetching(): ResourceFetching<V, [id: string]> {
    return this.fetchingWith<[id: string]>(
      (key) => [key],
      (plan, [id], value) => this.planLoaded(plan, id, value),
    );
  }

  /** Adds the write of a value a loader returned (its relations read off the payload). */
  protected abstract planLoaded(plan: WritePlan, id: string, value: V): number;

  /** Whether the entry is cached. */
  async has(id: string): Promise<boolean> {
    this.checkId(id, 'id');
    this.ctx.guard();
    return this.ctx.store.has(this.ns, id);
  }

  /** Shallow-merges into the cached value (links and expiry kept); undefined and no write on a miss. */
  async patch(id: string, partial: Patch<V>): Promise<V | undefined> {
    this.checkId(id, 'id');
    return this.patchKey(id, partial);
  }

  /** Deletes the entry and what cascades from it; resolves to whether it was cached. */
  async delete(id: string): Promise<boolean> {
    this.checkId(id, 'id');
    return this.deleteKey(id);
  }

  /** @internal The transaction form of {@link delete}. */
  planDeleteId(plan: WritePlan, id: string): number | Promise<number> {
    this.checkId(id, 'id');
    return this.planDelete(plan, id);
  }

  /** Every cached id. */
  async *keys(): AsyncIterableIterator<string> {
    this.ctx.guard();
    yield* this.ctx.store.keys(this.ns);
  }

  async *values(): AsyncIterableIterator<V> {
    for await (const [, value] of this) yield value;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<[string, V]> {
    this.ctx.guard();
    yield* this.ctx.store.entries<V>(this.ns);
  }

  /** Platform ids are checked strictly; user-defined groups accept any store key. */
  protected checkId(id: unknown, name: string): asserts id is string {
    assertId(id, name);
  }

  protected checkIds(ids: unknown, name: string): asserts ids is readonly string[] {
    assertIds(ids, name);
  }
}
