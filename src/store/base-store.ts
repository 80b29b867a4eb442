import { EventEmitter } from 'node:events';
import { ClosedClient } from '../errors/index.js';
import { parseDuration } from '../util/duration.js';
import { DEFAULT_MAX_VALUE_SIZE, jsonSize } from '../util/json-size.js';
import {
  assertKey,
  assertKeys,
  assertNamespace,
  assertPositiveInteger,
  assertTimestamp,
  assertTtl,
  describe,
} from '../util/validate.js';
import type {
  BatchOp,
  BatchResult,
  ClearIndexOptions,
  IndexLink,
  IterateOptions,
  NamespaceLimits,
  NamespaceStats,
  SetOptions,
  Store,
  StoredEntry,
  StoreEventMap,
  StoreListener,
} from './types.js';
import { CHANGE_EVENTS } from './types.js';

/** Limits as a store keeps and reports them: `ttl` in milliseconds, whatever form it was given in. */
export type LimitsInMs = NamespaceLimits & { readonly ttl?: number };

/** The limits another {@link Store} reports, with a `'5m'`-style ttl (a store not built on BaseStore) in ms. */
export function limitsInMs(limits: NamespaceLimits): LimitsInMs {
  const { ttl } = limits;
  return ttl === undefined || typeof ttl === 'number'
    ? (limits as LimitsInMs)
    : { ...limits, ttl: parseDuration(ttl, 'limitsOf().ttl') };
}

/** Default number of keys fetched per round trip while iterating. */
export const DEFAULT_WINDOW = 1000;
const MAX_WINDOW = 100_000;

/** Builds a fresh counters object. */
export function emptyStats(): NamespaceStats {
  return { hits: 0, misses: 0, sets: 0, deletes: 0, evictions: 0, expirations: 0 };
}

/**
 * What every store shares: argument checks, the closed state, namespace limits, counters and events.
 * A backend implements the protected `do*` methods, which receive arguments already checked.
 */
export abstract class BaseStore extends EventEmitter implements Store {
  abstract readonly kind: string;
  #closed = false;
  #opening: Promise<void> | undefined;
  readonly #limits = new Map<string, LimitsInMs>();
  readonly #stats = new Map<string, NamespaceStats>();
  /** Namespaces already validated: a Set lookup is cheaper than the pattern test on hot paths. */
  readonly #knownNamespaces = new Set<string>();
  protected readonly defaultLimits: LimitsInMs;
  #maxValueSize = DEFAULT_MAX_VALUE_SIZE;
  /** Listeners of change events: writes announce themselves only while this is above zero. */
  #changeListeners = 0;

  protected constructor(
    defaults: NamespaceLimits = {},
    namespaces: Readonly<Record<string, NamespaceLimits>> = {},
  ) {
    super();
    this.defaultLimits = checkLimits(defaults, 'defaults');
    for (const [ns, limits] of Object.entries(namespaces)) {
      assertNamespace(ns, 'namespaces key');
      this.#limits.set(ns, checkLimits(limits, `namespaces.${ns}`));
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Most bytes of JSON one value may take (default 1 MiB; `Infinity` for no limit). A larger value is
   * refused with a RangeError before anything is written: one runaway payload must not fill the
   * server's memory or stall every other command behind it.
   */
  get maxValueSize(): number {
    return this.#maxValueSize;
  }

  set maxValueSize(bytes: number) {
    if (bytes !== Number.POSITIVE_INFINITY) assertPositiveInteger(bytes, 'maxValueSize');
    this.#maxValueSize = bytes;
  }

  /** Throws a RangeError naming the key and both sizes when a value is over {@link maxValueSize}. */
  protected checkValueSize(ns: string, key: string, value: unknown, name = 'value'): void {
    const limit = this.#maxValueSize;
    if (limit === Number.POSITIVE_INFINITY || jsonSize(value, limit) <= limit) return;
    // Only a refused value is measured in full (up to a bound, so a huge shared graph stays cheap).
    const bound = Math.min(limit * 64, 2 ** 40);
    const size = jsonSize(value, bound);
    throw new RangeError(
      `${name} of key '${key.slice(0, 80)}' in namespace '${ns}' is ${size > bound ? 'more than ' : ''}${Math.min(size, bound)} bytes of JSON, over maxValueSize (${limit} bytes)`,
    );
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  open(): Promise<void> {
    if (this.#closed) return Promise.reject(new ClosedClient(`the ${this.kind} store is closed`));
    if (!this.#opening) {
      this.#opening = this.doOpen().catch((error: unknown) => {
        this.#opening = undefined; // a failed open may be retried
        throw error;
      });
    }
    return this.#opening;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.doClose();
  }

  /** `await using store = new MemoryStore()`: closed when the scope ends. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  protected async doOpen(): Promise<void> {}
  protected async doClose(): Promise<void> {}

  /** Throws ClosedClient after close(). Call first in every operation. */
  protected guard(): void {
    if (this.#closed) throw new ClosedClient(`the ${this.kind} store is closed`);
  }

  // ---- limits and stats ------------------------------------------------------------------------

  configure(ns: string, limits: NamespaceLimits): void {
    this.guard();
    this.checkNamespace(ns);
    const checked = checkLimits(limits, 'limits');
    this.#limits.set(ns, checked);
    this.onConfigure(ns, this.limitsOf(ns));
  }

  /** Called after a namespace's limits change; a backend re-applies them to data it holds. */
  protected onConfigure(_ns: string, _limits: LimitsInMs): void {}

  limitsOf(ns: string): LimitsInMs {
    return { ...this.defaultLimits, ...this.#limits.get(ns) };
  }

  stats(ns: string): NamespaceStats {
    this.checkNamespace(ns);
    return { ...this.statsOf(ns) };
  }

  /** The live counters object of a namespace (mutable, for the backend to increment). */
  protected statsOf(ns: string): NamespaceStats {
    let stats = this.#stats.get(ns);
    if (!stats) {
      stats = emptyStats();
      this.#stats.set(ns, stats);
    }
    return stats;
  }

  /** Whether a namespace already passed its check (lets hot paths skip straight to the backend). */
  protected isKnownNamespace(ns: string): boolean {
    return this.#knownNamespaces.has(ns);
  }

  protected checkNamespace(ns: string): void {
    if (this.#knownNamespaces.has(ns)) return;
    assertNamespace(ns);
    this.#knownNamespaces.add(ns);
  }

  // ---- typed events ----------------------------------------------------------------------------

  override on<E extends keyof StoreEventMap>(event: E, listener: StoreListener<E>): this {
    super.on(event, listener as (...args: unknown[]) => void);
    this.#countChangeListeners();
    return this;
  }

  override off<E extends keyof StoreEventMap>(event: E, listener: StoreListener<E>): this {
    super.off(event, listener as (...args: unknown[]) => void);
    this.#countChangeListeners();
    return this;
  }

  #countChangeListeners(): void {
    let n = 0;
    for (const event of CHANGE_EVENTS) n += this.listenerCount(event);
    this.#changeListeners = n;
  }

  /**
   * For backends: an entry left by a size limit or its TTL. Told from inside a write, so the event is
   * emitted after it (a listener that throws must not interrupt the store half-way).
   */
  protected announceRemoval(ns: string, key: string, reason: 'evict' | 'expire'): void {
    if (this.#changeListeners > 0) queueMicrotask(() => this.emit(reason, ns, key));
  }

  /** Emits the change events of a batch that was applied. */
  #announceBatch(ops: readonly BatchOp[], results: BatchResult): void {
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i] as BatchOp;
      if (op.type === 'set') this.emit('set', op.ns, op.key);
      else if (op.type === 'delete') {
        if (results[i] === true) this.emit('delete', op.ns, op.key);
      } else if (op.type === 'clear') this.emit('clear', op.ns);
      else if (op.type === 'clearIndex' && op.options?.deleteEntries === true)
        this.emit('clear', op.ns, op.link);
    }
  }

  override emit<E extends keyof StoreEventMap>(event: E, ...args: StoreEventMap[E]): boolean {
    // An 'error' with no listener must not crash the process: the failing call rejects anyway.
    if (event === 'error' && this.listenerCount('error') === 0) return false;
    return super.emit(event, ...args);
  }

  // ---- reads -----------------------------------------------------------------------------------

  async get<T = unknown>(ns: string, key: string): Promise<T | undefined> {
    this.guard();
    this.checkNamespace(ns);
    assertKey(key);
    // No await: a synchronous backend's value resolves the promise without an extra tick.
    return this.doGet(ns, key) as T | undefined;
  }

  async getMany<T = unknown>(ns: string, keys: readonly string[]): Promise<(T | undefined)[]> {
    this.guard();
    this.checkNamespace(ns);
    assertKeys(keys);
    if (keys.length === 0) return [];
    return this.doGetMany(ns, keys) as (T | undefined)[];
  }

  async getEntry<T = unknown>(ns: string, key: string): Promise<StoredEntry<T> | undefined> {
    this.guard();
    this.checkNamespace(ns);
    assertKey(key);
    return this.doGetEntry(ns, key) as StoredEntry<T> | undefined;
  }

  async has(ns: string, key: string): Promise<boolean> {
    this.guard();
    this.checkNamespace(ns);
    assertKey(key);
    return this.doHas(ns, key);
  }

  async count(ns: string): Promise<number> {
    this.guard();
    this.checkNamespace(ns);
    return this.doCount(ns);
  }

  async *keys(ns: string, options?: IterateOptions): AsyncIterable<string> {
    this.guard();
    this.checkNamespace(ns);
    const window = checkWindow(options);
    for await (const key of this.doKeys(ns, window)) {
      yield key;
      this.guard(); // a close() while the caller held the iterator ends the iteration with ClosedClient
    }
  }

  async *entries<T = unknown>(ns: string, options?: IterateOptions): AsyncIterable<[key: string, value: T]> {
    this.guard();
    this.checkNamespace(ns);
    const window = checkWindow(options);
    for await (const entry of this.doEntries(ns, window)) {
      yield entry as [string, T];
      this.guard();
    }
  }

  // ---- writes ----------------------------------------------------------------------------------

  async set(ns: string, key: string, value: unknown, options?: SetOptions): Promise<void> {
    this.guard();
    this.checkNamespace(ns);
    assertKey(key);
    checkSetOptions(options, 'options');
    this.checkValueSize(ns, key, value);
    await this.doSet(ns, key, value, options);
    if (this.#changeListeners > 0) this.emit('set', ns, key);
  }

  async setMany(
    ns: string,
    entries: ReadonlyArray<readonly [key: string, value: unknown, options?: SetOptions]>,
  ): Promise<void> {
    this.guard();
    this.checkNamespace(ns);
    if (!Array.isArray(entries))
      throw new TypeError(`entries must be an array of [key, value, options?] (got ${describe(entries)})`);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      if (!Array.isArray(entry))
        throw new TypeError(`entries[${i}] must be a [key, value, options?] array (got ${describe(entry)})`);
      assertKey(entry[0], `entries[${i}][0]`);
      checkSetOptions(entry[2], `entries[${i}][2]`);
      this.checkValueSize(ns, entry[0], entry[1], `entries[${i}][1]`);
    }
    if (entries.length === 0) return;
    await this.doSetMany(ns, entries);
    if (this.#changeListeners > 0) for (const entry of entries) this.emit('set', ns, entry[0]);
  }

  async delete(ns: string, key: string): Promise<boolean> {
    this.guard();
    this.checkNamespace(ns);
    assertKey(key);
    const existed = await this.doDelete(ns, key);
    if (existed && this.#changeListeners > 0) this.emit('delete', ns, key);
    return existed;
  }

  async deleteMany(ns: string, keys: readonly string[]): Promise<number> {
    this.guard();
    this.checkNamespace(ns);
    assertKeys(keys);
    if (keys.length === 0) return 0;
    const deleted = await this.doDeleteMany(ns, keys);
    // Which of the keys existed is not known here; every requested key is announced.
    if (deleted > 0 && this.#changeListeners > 0) for (const key of keys) this.emit('delete', ns, key);
    return deleted;
  }

  async clear(ns: string): Promise<void> {
    this.guard();
    this.checkNamespace(ns);
    await this.doClear(ns);
    if (this.#changeListeners > 0) this.emit('clear', ns);
  }

  // ---- indexes ---------------------------------------------------------------------------------

  async link(ns: string, link: IndexLink, keys: readonly string[]): Promise<number> {
    this.guard();
    this.checkNamespace(ns);
    checkLink(link, 'link');
    assertKeys(keys);
    if (keys.length === 0) return 0;
    return this.doLink(ns, link, keys);
  }

  async unlink(ns: string, link: IndexLink, keys: readonly string[]): Promise<number> {
    this.guard();
    this.checkNamespace(ns);
    checkLink(link, 'link');
    assertKeys(keys);
    if (keys.length === 0) return 0;
    return this.doUnlink(ns, link, keys);
  }

  async *indexKeys(ns: string, link: IndexLink, options?: IterateOptions): AsyncIterable<string> {
    this.guard();
    this.checkNamespace(ns);
    checkLink(link, 'link');
    const window = checkWindow(options);
    for await (const key of this.doIndexKeys(ns, link, window)) {
      yield key;
      this.guard(); // a close() while the caller held the iterator ends the iteration with ClosedClient
    }
  }

  async *indexEntries<T = unknown>(
    ns: string,
    link: IndexLink,
    options?: IterateOptions,
  ): AsyncIterable<[key: string, value: T]> {
    this.guard();
    this.checkNamespace(ns);
    checkLink(link, 'link');
    const window = checkWindow(options);
    for await (const entry of this.doIndexEntries(ns, link, window)) {
      yield entry as [string, T];
      this.guard();
    }
  }

  async indexCount(ns: string, link: IndexLink): Promise<number> {
    this.guard();
    this.checkNamespace(ns);
    checkLink(link, 'link');
    return this.doIndexCount(ns, link);
  }

  async indexHas(ns: string, link: IndexLink, key: string): Promise<boolean> {
    this.guard();
    this.checkNamespace(ns);
    checkLink(link, 'link');
    assertKey(key);
    return this.doIndexHas(ns, link, key);
  }

  /** The parent indexes a live entry is linked to; undefined on stores that cannot tell. */
  async linksOf(ns: string, key: string): Promise<readonly IndexLink[] | undefined> {
    this.guard();
    this.checkNamespace(ns);
    assertKey(key);
    return this.doLinksOf(ns, key);
  }

  /** Stores that keep each entry's links answer here; the default cannot tell. */
  protected doLinksOf(
    _ns: string,
    _key: string,
  ): readonly IndexLink[] | undefined | Promise<readonly IndexLink[] | undefined> {
    return undefined;
  }

  async clearIndex(ns: string, link: IndexLink, options?: ClearIndexOptions): Promise<number> {
    this.guard();
    this.checkNamespace(ns);
    checkLink(link, 'link');
    checkClearIndexOptions(options, 'options');
    const held = await this.doClearIndex(ns, link, options?.deleteEntries === true);
    if (options?.deleteEntries === true && this.#changeListeners > 0) this.emit('clear', ns, link);
    return held;
  }

  // ---- batch -----------------------------------------------------------------------------------

  async batch(ops: readonly BatchOp[]): Promise<BatchResult> {
    this.guard();
    if (!Array.isArray(ops))
      throw new TypeError(`ops must be an array of batch operations (got ${describe(ops)})`);
    // Check everything first: a bad operation must reject the whole batch before anything is applied.
    try {
      for (let i = 0; i < ops.length; i++) this.checkBatchOp(ops[i], `ops[${i}]`);
    } finally {
      this.#checkedReferences = undefined;
    }
    if (ops.length === 0) return [];
    const results = await this.doBatch(ops);
    if (this.#changeListeners > 0) this.#announceBatch(ops, results);
    return results;
  }

  /** The whileReferenced array last checked in the batch being checked. */
  #checkedReferences: unknown;

  private checkBatchOp(op: unknown, name: string): void {
    if (typeof op !== 'object' || op === null)
      throw new TypeError(`${name} must be an object (got ${describe(op)})`);
    const o = op as Record<string, unknown>;
    if (typeof o.ns !== 'string' || !this.#knownNamespaces.has(o.ns)) assertNamespace(o.ns, `${name}.ns`);
    switch (o.type) {
      case 'set':
        assertKey(o.key, `${name}.key`);
        checkSetOptions(o.options, `${name}.options`);
        this.checkValueSize(o.ns, o.key, o.value, `${name}.value`);
        return;
      case 'delete':
        assertKey(o.key, `${name}.key`);
        return;
      case 'link':
      case 'unlink':
        assertKey(o.key, `${name}.key`);
        checkLink(o.link, `${name}.link`);
        return;
      case 'clearIndex':
        checkLink(o.link, `${name}.link`);
        checkClearIndexOptions(o.options, `${name}.options`);
        return;
      case 'clear':
        return;
      case 'keepAlive':
        assertKey(o.key, `${name}.key`);
        // A plan's keepAlives share one whileReferenced array: checked once per batch (nothing can
        // change it while the batch is checked synchronously).
        if (o.whileReferenced !== undefined && o.whileReferenced === this.#checkedReferences)
          assertTtl(o.ttl, `${name}.ttl`);
        else {
          checkKeepAlive(o, name);
          this.#checkedReferences = o.whileReferenced;
        }
        return;
      default:
        throw new TypeError(
          `${name}.type must be one of 'set', 'delete', 'link', 'unlink', 'clearIndex', 'clear', 'keepAlive' (got ${String(o.type)})`,
        );
    }
  }

  // ---- what a backend implements ---------------------------------------------------------------

  protected abstract doGet(ns: string, key: string): unknown | Promise<unknown>;
  protected abstract doGetMany(ns: string, keys: readonly string[]): unknown[] | Promise<unknown[]>;
  protected abstract doGetEntry(
    ns: string,
    key: string,
  ): StoredEntry | undefined | Promise<StoredEntry | undefined>;
  protected abstract doHas(ns: string, key: string): boolean | Promise<boolean>;
  protected abstract doCount(ns: string): number | Promise<number>;
  protected abstract doKeys(ns: string, window: number): AsyncIterable<string> | Iterable<string>;
  protected abstract doEntries(
    ns: string,
    window: number,
  ): AsyncIterable<[string, unknown]> | Iterable<[string, unknown]>;
  protected abstract doSet(
    ns: string,
    key: string,
    value: unknown,
    options: SetOptions | undefined,
  ): void | Promise<void>;
  protected abstract doSetMany(
    ns: string,
    entries: ReadonlyArray<readonly [string, unknown, SetOptions?]>,
  ): void | Promise<void>;
  protected abstract doDelete(ns: string, key: string): boolean | Promise<boolean>;
  protected abstract doDeleteMany(ns: string, keys: readonly string[]): number | Promise<number>;
  protected abstract doClear(ns: string): void | Promise<void>;
  protected abstract doLink(ns: string, link: IndexLink, keys: readonly string[]): number | Promise<number>;
  protected abstract doUnlink(ns: string, link: IndexLink, keys: readonly string[]): number | Promise<number>;
  protected abstract doIndexKeys(
    ns: string,
    link: IndexLink,
    window: number,
  ): AsyncIterable<string> | Iterable<string>;
  protected abstract doIndexEntries(
    ns: string,
    link: IndexLink,
    window: number,
  ): AsyncIterable<[string, unknown]> | Iterable<[string, unknown]>;
  protected abstract doIndexCount(ns: string, link: IndexLink): number | Promise<number>;
  protected abstract doIndexHas(ns: string, link: IndexLink, key: string): boolean | Promise<boolean>;
  protected abstract doClearIndex(
    ns: string,
    link: IndexLink,
    deleteEntries: boolean,
  ): number | Promise<number>;
  protected abstract doBatch(ops: readonly BatchOp[]): BatchResult | Promise<BatchResult>;
}

// ---- checks shared by the public methods ---------------------------------------------------------

function checkWindow(options: IterateOptions | undefined): number {
  if (options === undefined) return DEFAULT_WINDOW;
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`options must be an object (got ${describe(options)})`);
  }
  if (options.window === undefined) return DEFAULT_WINDOW;
  assertPositiveInteger(options.window, 'options.window', MAX_WINDOW);
  return options.window;
}

export function checkLink(link: unknown, name: string): asserts link is IndexLink {
  if (typeof link !== 'object' || link === null)
    throw new TypeError(`${name} must be { by, parent } (got ${describe(link)})`);
  const { by, parent } = link as Record<string, unknown>;
  assertNamespace(by, `${name}.by`);
  assertKey(parent, `${name}.parent`);
}

function checkKeepAlive(op: Record<string, unknown>, name: string): void {
  assertTtl(op.ttl, `${name}.ttl`);
  const refs = op.whileReferenced;
  if (!Array.isArray(refs))
    throw new TypeError(
      `${name}.whileReferenced must be an array of { ns, by, ttl } (got ${describe(refs)})`,
    );
  refs.forEach((ref: unknown, i) => {
    const at = `${name}.whileReferenced[${i}]`;
    if (typeof ref !== 'object' || ref === null)
      throw new TypeError(`${at} must be { ns, by, ttl } (got ${describe(ref)})`);
    const { ns, by, ttl } = ref as Record<string, unknown>;
    assertNamespace(ns, `${at}.ns`);
    assertNamespace(by, `${at}.by`);
    assertTtl(ttl, `${at}.ttl`);
  });
}

function checkSetOptions(options: unknown, name: string): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`${name} must be an object (got ${describe(options)})`);
  const { ttl, expiresAt, indexes, ifExists } = options as Record<string, unknown>;
  if (ifExists !== undefined && typeof ifExists !== 'boolean') {
    throw new TypeError(`${name}.ifExists must be a boolean (got ${describe(ifExists)})`);
  }
  if (ifExists === true && indexes !== undefined) {
    throw new TypeError(
      `${name} takes indexes or ifExists, not both (an ifExists write keeps the entry's links)`,
    );
  }
  if (ttl !== undefined) assertTtl(ttl, `${name}.ttl`);
  if (expiresAt !== undefined) assertTimestamp(expiresAt, `${name}.expiresAt`);
  if (ttl !== undefined && expiresAt !== undefined)
    throw new TypeError(`${name} takes ttl or expiresAt, not both`);
  if (indexes !== undefined) {
    if (!Array.isArray(indexes))
      throw new TypeError(`${name}.indexes must be an array (got ${describe(indexes)})`);
    for (let i = 0; i < indexes.length; i++) checkLink(indexes[i], `${name}.indexes[${i}]`);
  }
}

function checkClearIndexOptions(options: unknown, name: string): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`${name} must be an object (got ${describe(options)})`);
  const { deleteEntries } = options as Record<string, unknown>;
  if (deleteEntries !== undefined && typeof deleteEntries !== 'boolean') {
    throw new TypeError(`${name}.deleteEntries must be a boolean (got ${describe(deleteEntries)})`);
  }
}

/** Validates a limits object; returns it with its `ttl` in milliseconds. */
export function checkLimits(limits: unknown, name: string): LimitsInMs {
  if (typeof limits !== 'object' || limits === null)
    throw new TypeError(`${name} must be an object (got ${describe(limits)})`);
  const { max, ttl, policy, maxPerParent } = limits as Record<string, unknown>;
  if (max !== undefined) assertPositiveInteger(max, `${name}.max`);
  const ttlMs =
    ttl === undefined ? undefined : parseDuration(ttl as NamespaceLimits['ttl'] & {}, `${name}.ttl`);
  if (policy !== undefined && policy !== 'lru' && policy !== 'fifo') {
    throw new RangeError(`${name}.policy must be 'lru' or 'fifo' (got ${String(policy)})`);
  }
  if (maxPerParent !== undefined) {
    if (typeof maxPerParent !== 'object' || maxPerParent === null) {
      throw new TypeError(`${name}.maxPerParent must be an object (got ${describe(maxPerParent)})`);
    }
    for (const [by, cap] of Object.entries(maxPerParent)) {
      assertNamespace(by, `${name}.maxPerParent key`);
      assertPositiveInteger(cap, `${name}.maxPerParent.${by}`);
    }
  }
  return typeof ttl === 'number' || ttlMs === undefined
    ? (limits as LimitsInMs)
    : { ...(limits as NamespaceLimits), ttl: ttlMs };
}
