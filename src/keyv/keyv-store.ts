import { BackendError, CacheError } from '../errors/index.js';
import { BaseStore, checkLimits, type LimitsInMs } from '../store/base-store.js';
import type {
  BatchOp,
  BatchResult,
  IndexLink,
  NamespaceLimits,
  SetOptions,
  StoredEntry,
} from '../store/types.js';
import { assertJsonCompatible } from '../util/json-value.js';
import type { KeyvLike } from './keyv-like.js';
import { UnsupportedOperation } from './unsupported-operation.js';

/** Options of a {@link KeyvStore}. */
export interface KeyvStoreOptions {
  /**
   * Returns the Keyv that holds one botcache namespace; called once per namespace, on first use.
   * Give each namespace its own Keyv with its own Keyv store adapter and `namespace`: Keyv adapters keep
   * one namespace each, and `clear()` clears exactly that one.
   * Keyv 5 and Keyv 6 both fit. With Keyv 6, attach no `error` listener to it: Keyv 6 then rejects a
   * failed call (which KeyvStore reports as BackendError), where a listener turns it into a miss.
   * @example (ns) => new Keyv({ store: new KeyvRedis(url), namespace: ns })
   */
  readonly keyv: (ns: string) => KeyvLike;
  /** Limits of every namespace. Only `ttl` (and `policy`, which changes nothing without `max`) is accepted. */
  readonly defaults?: NamespaceLimits;
  /** Limits per namespace; same restriction. */
  readonly namespaces?: Readonly<Record<string, NamespaceLimits>>;
  /** Call `disconnect()` on every Keyv when the store closes. Default true. */
  readonly disconnectOnClose?: boolean;
}

const NO_INDEXES =
  'Keyv has no sets or ordered lists, so parent indexes cannot be kept correctly over it; ' +
  'use MemoryStore, RedisStore or SqliteStore for indexed resources';

/**
 * Any Keyv instance used as a botcache store, for the simple operations: get/getMany/getEntry/has,
 * set/setMany with TTLs, delete/deleteMany, clear, and — when Keyv offers `keyv.iterator()` for the
 * adapter — count, keys and entries. Values go through Keyv's own serialization.
 *
 * What Keyv cannot do correctly is refused with {@link UnsupportedOperation}: parent indexes
 * (link/unlink/index reads, `indexes` on writes), atomic `batch`, and `max`/`maxPerParent` limits.
 * `setMany`/`deleteMany` are not atomic: Keyv has no transactions.
 */
export class KeyvStore extends BaseStore {
  readonly kind = 'keyv';
  readonly #factory: (ns: string) => KeyvLike;
  readonly #disconnectOnClose: boolean;
  readonly #keyvs = new Map<string, KeyvLike>();

  constructor(options: KeyvStoreOptions) {
    if (typeof options !== 'object' || options === null || typeof options.keyv !== 'function') {
      throw new TypeError('options.keyv must be a function (namespace) => Keyv');
    }
    super(
      refuseUnenforceable(options.defaults ?? {}, 'defaults'),
      Object.fromEntries(
        Object.entries(options.namespaces ?? {}).map(([ns, limits]) => [
          ns,
          refuseUnenforceable(limits, `namespaces.${ns}`),
        ]),
      ),
    );
    this.#factory = options.keyv;
    this.#disconnectOnClose = options.disconnectOnClose !== false;
  }

  override configure(ns: string, limits: NamespaceLimits): void {
    this.guard();
    super.configure(ns, refuseUnenforceable(limits, 'limits'));
  }

  protected override async doClose(): Promise<void> {
    const keyvs = [...this.#keyvs.values()];
    this.#keyvs.clear();
    if (!this.#disconnectOnClose) return;
    await Promise.all(keyvs.map((keyv) => this.#call('disconnect', () => keyv.disconnect())));
  }

  #keyv(ns: string): KeyvLike {
    let keyv = this.#keyvs.get(ns);
    if (!keyv) {
      keyv = this.#factory(ns);
      if (typeof keyv !== 'object' || keyv === null || typeof keyv.getRaw !== 'function') {
        throw new TypeError(`options.keyv('${ns}') must return a Keyv instance`);
      }
      // Keyv 5 otherwise turns a failed read into a miss; a botcache store must reject with BackendError.
      keyv.throwOnErrors = true;
      this.#keyvs.set(ns, keyv);
    }
    return keyv;
  }

  /** Runs a Keyv call; a failure becomes a BackendError (emitted as 'error' too). */
  async #call<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof CacheError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      const wrapped = new BackendError(`keyv ${what} failed: ${reason}`, { cause: error });
      this.emit('error', wrapped);
      throw wrapped;
    }
  }

  // ---- reads -----------------------------------------------------------------------------------

  #count(ns: string, found: boolean): void {
    const stats = this.statsOf(ns);
    if (found) stats.hits++;
    else stats.misses++;
  }

  protected async doGet(ns: string, key: string): Promise<unknown> {
    const value = await this.#call('get', () => this.#keyv(ns).get(key));
    this.#count(ns, value !== undefined);
    return value;
  }

  protected async doGetMany(ns: string, keys: readonly string[]): Promise<unknown[]> {
    const values = await this.#call('getMany', () => this.#keyv(ns).getMany([...keys]));
    return keys.map((_, i) => {
      const value = values[i];
      this.#count(ns, value !== undefined);
      return value;
    });
  }

  protected async doGetEntry(ns: string, key: string): Promise<StoredEntry | undefined> {
    const raw = await this.#call('getEntry', () => this.#keyv(ns).getRaw(key));
    this.#count(ns, raw !== undefined);
    if (raw === undefined) return undefined;
    if (typeof raw !== 'object') return { value: raw, expiresAt: undefined };
    return { value: raw.value, expiresAt: typeof raw.expires === 'number' ? raw.expires : undefined };
  }

  /** Through `getRaw`, which checks the expiry: some adapters' own `has` reports expired rows. */
  protected async doHas(ns: string, key: string): Promise<boolean> {
    return (await this.#call('has', () => this.#keyv(ns).getRaw(key))) !== undefined;
  }

  /** A snapshot of the namespace: Keyv adapters page with offsets, which skip rows when others change. */
  async #snapshot(ns: string, operation: string): Promise<[string, unknown][]> {
    const keyv = this.#keyv(ns);
    const iterate = keyv.iterator;
    if (typeof iterate !== 'function') {
      throw new UnsupportedOperation(
        operation,
        `KeyvStore cannot ${operation} namespace '${ns}': Keyv offers no iterator for this store adapter ` +
          '(Keyv 5 iterates Map, sqlite, postgres, mysql, mongo, redis, valkey and etcd adapters)',
        { resource: ns },
      );
    }
    return this.#call(operation, async () => {
      const entries: [string, unknown][] = [];
      for await (const [key, value] of iterate.call(keyv, undefined) as AsyncIterable<[string, unknown]>) {
        entries.push([key, value]);
      }
      return entries;
    });
  }

  protected async doCount(ns: string): Promise<number> {
    return (await this.#snapshot(ns, 'count')).length;
  }

  protected async *doKeys(ns: string): AsyncIterable<string> {
    for (const [key] of await this.#snapshot(ns, 'keys')) yield key;
  }

  protected async *doEntries(ns: string): AsyncIterable<[string, unknown]> {
    yield* await this.#snapshot(ns, 'entries');
  }

  // ---- writes ----------------------------------------------------------------------------------

  /** The TTL handed to Keyv: 0 means "never" there, and wins over a Keyv default TTL. Negative: already past. */
  #ttlFor(ns: string, options: SetOptions | undefined): number {
    if (options?.expiresAt !== undefined) {
      const remaining = options.expiresAt - Date.now();
      return remaining > 0 ? remaining : -1;
    }
    const ttl = options?.ttl ?? this.limitsOf(ns).ttl;
    return ttl === undefined || !Number.isFinite(ttl) ? 0 : ttl;
  }

  #refuseIndexes(options: SetOptions | undefined): void {
    if (options?.indexes && options.indexes.length > 0) {
      throw new UnsupportedOperation('indexes', `KeyvStore cannot keep options.indexes: ${NO_INDEXES}`);
    }
  }

  async #write(ns: string, key: string, value: unknown, options: SetOptions | undefined): Promise<void> {
    const ttl = this.#ttlFor(ns, options);
    const keyv = this.#keyv(ns);
    if (ttl < 0) {
      await this.#call('set', () => keyv.delete(key)); // a deadline already past: the write means "gone"
      return;
    }
    // Keyv has no conditional write: ifExists is a read then a write here, not one atomic step.
    if (options?.ifExists && (await this.#call('set', () => keyv.getRaw(key))) === undefined) return;
    await this.#call('set', () => keyv.set(key, value, ttl));
    this.statsOf(ns).sets++;
  }

  protected async doSet(
    ns: string,
    key: string,
    value: unknown,
    options: SetOptions | undefined,
  ): Promise<void> {
    this.#refuseIndexes(options);
    assertJsonCompatible(value);
    await this.#write(ns, key, value, options);
  }

  protected async doSetMany(
    ns: string,
    entries: ReadonlyArray<readonly [string, unknown, SetOptions?]>,
  ): Promise<void> {
    // Check everything first so that a bad entry rejects the call before anything is written.
    entries.forEach(([, value, options], i) => {
      this.#refuseIndexes(options);
      assertJsonCompatible(value, `entries[${i}][1]`);
    });
    await Promise.all(entries.map(([key, value, options]) => this.#write(ns, key, value, options)));
  }

  protected async doDelete(ns: string, key: string): Promise<boolean> {
    const keyv = this.#keyv(ns);
    // Some adapters report deleting an expired row as a success; only a live entry "existed".
    const live = (await this.#call('delete', () => keyv.getRaw(key))) !== undefined;
    const deleted = await this.#call('delete', () => keyv.delete(key));
    if (live && deleted) this.statsOf(ns).deletes++;
    return live && deleted;
  }

  protected async doDeleteMany(ns: string, keys: readonly string[]): Promise<number> {
    const results = await Promise.all(keys.map((key) => this.doDelete(ns, key)));
    return results.filter(Boolean).length;
  }

  protected async doClear(ns: string): Promise<void> {
    await this.#call('clear', () => this.#keyv(ns).clear());
  }

  // ---- what Keyv cannot do ---------------------------------------------------------------------

  #noIndexes(operation: string): never {
    throw new UnsupportedOperation(operation, `KeyvStore cannot ${operation}: ${NO_INDEXES}`);
  }

  protected doLink(_ns: string, _link: IndexLink): number {
    return this.#noIndexes('link');
  }
  protected doUnlink(_ns: string, _link: IndexLink): number {
    return this.#noIndexes('unlink');
  }
  protected doIndexKeys(_ns: string, _link: IndexLink): Iterable<string> {
    return this.#noIndexes('indexKeys');
  }
  protected doIndexEntries(_ns: string, _link: IndexLink): Iterable<[string, unknown]> {
    return this.#noIndexes('indexEntries');
  }
  protected doIndexCount(_ns: string, _link: IndexLink): number {
    return this.#noIndexes('indexCount');
  }
  protected doIndexHas(_ns: string, _link: IndexLink): boolean {
    return this.#noIndexes('indexHas');
  }
  protected doClearIndex(_ns: string, _link: IndexLink): number {
    return this.#noIndexes('clearIndex');
  }

  protected doBatch(_ops: readonly BatchOp[]): BatchResult {
    throw new UnsupportedOperation(
      'batch',
      'KeyvStore cannot batch: Keyv has no transactions, so other readers could see a batch half-applied',
    );
  }
}

/** Checks limits, then refuses those Keyv cannot enforce rather than ignoring them. */
function refuseUnenforceable(limits: NamespaceLimits, name: string): LimitsInMs {
  const checked = checkLimits(limits, name);
  if (limits.max !== undefined) {
    throw new UnsupportedOperation(
      'configure',
      `KeyvStore cannot enforce ${name}.max: Keyv has no eviction order; give the Keyv adapter its own bound`,
    );
  }
  if (limits.maxPerParent !== undefined) {
    throw new UnsupportedOperation(
      'configure',
      `KeyvStore cannot enforce ${name}.maxPerParent: ${NO_INDEXES}`,
    );
  }
  return checked;
}
