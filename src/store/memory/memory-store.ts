import { type Duration, timerDuration } from '../../util/duration.js';
import { frozenJsonCopyWithin, OVERSIZED, sharingCopies } from '../../util/json-value.js';
import { assertKey, MAX_KEY_LENGTH } from '../../util/validate.js';
import { BaseStore, type LimitsInMs } from '../base-store.js';
import { keepAliveWanted, keptAliveTtl } from '../keep-alive.js';
import type {
  BatchOp,
  BatchResult,
  IndexLink,
  KeepAliveOp,
  NamespaceLimits,
  SetOptions,
  StoredEntry,
} from '../types.js';
import { type Clock, type MemoryEntry, NamespaceState, NO_LINKS } from './namespace-state.js';

/** Options of a {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Limits applied to every namespace that has none of its own. Default: unbounded, no TTL, `lru`. */
  readonly defaults?: NamespaceLimits;
  /** Limits per namespace. */
  readonly namespaces?: Readonly<Record<string, NamespaceLimits>>;
  /**
   * How often expired entries are purged, ms or `'30s'`-style (one timer for the whole store, which never
   * keeps the process alive). Expired entries are never returned, swept or not. Default 30 000 ms.
   */
  readonly sweepInterval?: Duration;
  /** The clock expiry is judged by, in epoch ms. Default `Date`; tests pass a manual clock. */
  readonly clock?: Clock;
  /** Most bytes of JSON one value may take; `Infinity` for no limit. Default 1 MiB. */
  readonly maxValueSize?: number;
}

const DEFAULT_SWEEP_INTERVAL = 30_000;

/**
 * The embedded default store, in this process: per namespace a Map (no `max`) or an lru-cache (a `max`
 * to evict by). Values are deep-copied
 * and frozen on write, so what it returns can be shared safely and read at memory speed.
 */
export class MemoryStore extends BaseStore {
  readonly kind = 'memory';
  readonly #namespaces = new Map<string, NamespaceState>();
  readonly #sweeper: NodeJS.Timeout;
  readonly #clock: Clock | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    super(options.defaults, options.namespaces);
    if (options.maxValueSize !== undefined) this.maxValueSize = options.maxValueSize;
    this.#clock = options.clock;
    const interval = timerDuration(options.sweepInterval, 'sweepInterval', DEFAULT_SWEEP_INTERVAL);
    if (interval < 10) {
      throw new RangeError(`sweepInterval must be a number of milliseconds >= 10 (got ${String(interval)})`);
    }
    this.#sweeper = setInterval(() => this.sweep(), interval);
    this.#sweeper.unref();
  }

  /** Purges every expired entry now (the periodic sweep calls this). */
  sweep(): void {
    for (const state of this.#namespaces.values()) state.purgeStale();
  }

  protected override async doClose(): Promise<void> {
    clearInterval(this.#sweeper);
    for (const state of this.#namespaces.values()) state.clear();
    this.#namespaces.clear();
  }

  protected override onConfigure(ns: string, limits: LimitsInMs): void {
    this.#namespaces.get(ns)?.reconfigure(limits);
  }

  /** The namespace's state, created on first write. */
  private state(ns: string): NamespaceState {
    let state = this.#namespaces.get(ns);
    if (!state) {
      state = new NamespaceState(this.limitsOf(ns), this.statsOf(ns), this.#clock);
      state.onRemoved = (key, reason) => this.announceRemoval(ns, key, reason);
      this.#namespaces.set(ns, state);
    }
    return state;
  }

  private read(ns: string, key: string): MemoryEntry | undefined {
    const state = this.#namespaces.get(ns);
    if (!state) {
      this.statsOf(ns).misses++;
      return undefined;
    }
    const entry = state.read(key);
    if (entry) state.stats.hits++;
    else state.stats.misses++;
    return entry;
  }

  // ---- reads -----------------------------------------------------------------------------------

  /**
   * The hot path: with arguments already known to be good, answer without the general checks.
   * Anything unusual (closed store, new namespace, odd key) takes the checked path, which throws properly.
   */
  override get<T = unknown>(ns: string, key: string): Promise<T | undefined> {
    if (
      this.closed ||
      typeof key !== 'string' ||
      key.length === 0 ||
      key.length > MAX_KEY_LENGTH ||
      !this.isKnownNamespace(ns)
    ) {
      return super.get(ns, key);
    }
    return Promise.resolve(this.read(ns, key)?.value as T | undefined);
  }

  /**
   * A synchronous read for code that knows it holds a MemoryStore (the tiered store's near copy, hot
   * loops): no promise at all. Same checks and counters as {@link get}; throws instead of rejecting.
   */
  getSync<T = unknown>(ns: string, key: string): T | undefined {
    if (
      this.closed ||
      typeof key !== 'string' ||
      key.length === 0 ||
      key.length > MAX_KEY_LENGTH ||
      !this.isKnownNamespace(ns)
    ) {
      this.guard();
      this.checkNamespace(ns);
      assertKey(key);
    }
    return this.read(ns, key)?.value as T | undefined;
  }

  protected doGet(ns: string, key: string): unknown {
    return this.read(ns, key)?.value;
  }

  protected doGetMany(ns: string, keys: readonly string[]): unknown[] {
    return keys.map((key) => this.read(ns, key)?.value);
  }

  protected doGetEntry(ns: string, key: string): StoredEntry | undefined {
    const entry = this.read(ns, key);
    if (!entry) return undefined;
    const remaining = this.#namespaces.get(ns)?.lru.getRemainingTTL(key) ?? 0;
    return { value: entry.value, expiresAt: Number.isFinite(remaining) ? this.now() + remaining : undefined };
  }

  protected override doLinksOf(ns: string, key: string): readonly IndexLink[] {
    const state = this.#namespaces.get(ns);
    if (!state?.isLive(key)) return [];
    return (state.lru.peek(key)?.links ?? []).map((link) => ({ by: link.by, parent: link.parent }));
  }

  protected doHas(ns: string, key: string): boolean {
    return this.#namespaces.get(ns)?.isLive(key) ?? false;
  }

  protected doCount(ns: string): number {
    const state = this.#namespaces.get(ns);
    if (!state) return 0;
    state.purgeStale();
    return state.lru.size;
  }

  protected *doKeys(ns: string): Iterable<string> {
    const state = this.#namespaces.get(ns);
    if (!state) return;
    // A snapshot: keys present for the whole iteration are yielded exactly once, whatever changes meanwhile.
    for (const key of [...state.lru.rkeys()]) if (state.isLive(key)) yield key;
  }

  protected *doEntries(ns: string): Iterable<[string, unknown]> {
    const state = this.#namespaces.get(ns);
    if (!state) return;
    for (const key of [...state.lru.rkeys()]) {
      const entry = state.lru.peek(key);
      if (entry) yield [key, entry.value];
    }
  }

  // ---- writes ----------------------------------------------------------------------------------

  /** Sizes are measured by the copy itself (one walk per value): nothing to do before it. */
  protected override checkValueSize(): void {}

  /** The frozen copy the store keeps; checks, measures and copies in one walk. */
  private copyOf(ns: string, key: string, value: unknown, name: string): unknown {
    const copy = frozenJsonCopyWithin(value, this.maxValueSize, name);
    // Only a refused value pays for the full message (key, both sizes).
    if (copy === OVERSIZED) super.checkValueSize(ns, key, value, name);
    return copy;
  }

  protected doSet(ns: string, key: string, value: unknown, options: SetOptions | undefined): void {
    this.write(ns, key, this.copyOf(ns, key, value, 'value'), options);
  }

  protected doSetMany(ns: string, entries: ReadonlyArray<readonly [string, unknown, SetOptions?]>): void {
    // Copy everything first so that a bad value rejects the call before anything is written.
    const copies = sharingCopies(() =>
      entries.map(([key, value], i) => this.copyOf(ns, key, value, `entries[${i}][1]`)),
    );
    for (let i = 0; i < entries.length; i++) {
      const [key, , options] = entries[i]!;
      this.write(ns, key, copies[i], options);
    }
  }

  /** Writes an already-frozen value; returns the previous value. */
  private write(ns: string, key: string, value: unknown, options: SetOptions | undefined): unknown {
    const state = this.state(ns);
    const ttl = this.ttlFor(state, options);
    const previous = state.lru.peek(key);
    if (options?.ifExists && !previous) return undefined;
    if (ttl <= 0) {
      // An absolute expiry already past: the write means "gone".
      if (previous) this.remove(state, key);
      return previous?.value;
    }
    const indexes = options?.indexes;
    // Without `indexes` the entry keeps its links: the array is the store's own, shared as it is.
    const links = indexes === undefined ? (previous?.links ?? NO_LINKS) : state.ownLinks(indexes);
    if (previous && indexes !== undefined) {
      for (const old of previous.links) {
        if (!links.some((l) => l.by === old.by && l.parent === old.parent)) state.removeLink(key, old);
      }
    }
    const finite = Number.isFinite(ttl);
    if (finite) state.hasTtl = true;
    state.lru.set(
      key,
      { value, links, expiresAt: Number.POSITIVE_INFINITY },
      { ttl: finite ? Math.ceil(ttl) : 0 },
    );
    this.statsOf(ns).sets++;
    for (const link of links) state.addLink(key, link);
    return previous?.value;
  }

  /** Milliseconds to live for a write: Infinity for never, <= 0 for "already expired". */
  private ttlFor(state: NamespaceState, options: SetOptions | undefined): number {
    if (options?.expiresAt !== undefined) return options.expiresAt - this.now();
    return options?.ttl ?? state.limits.ttl ?? Number.POSITIVE_INFINITY;
  }

  private now(): number {
    return this.#clock ? this.#clock.now() : Date.now();
  }

  private remove(state: NamespaceState, key: string): boolean {
    // lru-cache calls dispose('delete'), which removes the entry's links.
    return state.lru.delete(key);
  }

  protected doDelete(ns: string, key: string): boolean {
    const state = this.#namespaces.get(ns);
    if (!state) return false;
    const live = state.isLive(key);
    this.remove(state, key);
    if (live) this.statsOf(ns).deletes++;
    return live;
  }

  protected doDeleteMany(ns: string, keys: readonly string[]): number {
    let deleted = 0;
    for (const key of keys) if (this.doDelete(ns, key)) deleted++;
    return deleted;
  }

  protected doClear(ns: string): void {
    this.#namespaces.get(ns)?.clear();
  }

  // ---- indexes ---------------------------------------------------------------------------------

  protected doLink(ns: string, link: IndexLink, keys: readonly string[]): number {
    const state = this.#namespaces.get(ns);
    if (!state) return 0;
    let linked = 0;
    for (const key of keys) {
      const entry = state.lru.peek(key);
      if (!entry || entry.links.some((l) => l.by === link.by && l.parent === link.parent)) continue;
      entry.links = [...entry.links, { by: link.by, parent: link.parent }];
      if (state.addLink(key, link)) linked++;
    }
    return linked;
  }

  protected doUnlink(ns: string, link: IndexLink, keys: readonly string[]): number {
    const state = this.#namespaces.get(ns);
    if (!state) return 0;
    let unlinked = 0;
    for (const key of keys) {
      const entry = state.lru.peek(key);
      if (entry) entry.links = entry.links.filter((l) => l.by !== link.by || l.parent !== link.parent);
      if (state.removeLink(key, link)) unlinked++;
    }
    return unlinked;
  }

  protected doIndexKeys(ns: string, link: IndexLink): Iterable<string> {
    return this.#namespaces.get(ns)?.indexMembers(link) ?? [];
  }

  protected *doIndexEntries(ns: string, link: IndexLink): Iterable<[string, unknown]> {
    const state = this.#namespaces.get(ns);
    if (!state) return;
    for (const key of state.indexMembers(link)) {
      const entry = state.lru.peek(key);
      if (entry) yield [key, entry.value];
    }
  }

  protected doIndexCount(ns: string, link: IndexLink): number {
    return this.#namespaces.get(ns)?.indexCount(link) ?? 0;
  }

  protected doIndexHas(ns: string, link: IndexLink, key: string): boolean {
    return this.#namespaces.get(ns)?.indexHas(link, key) ?? false;
  }

  protected doClearIndex(ns: string, link: IndexLink, deleteEntries: boolean): number {
    const state = this.#namespaces.get(ns);
    if (!state) return 0;
    const members = state.indexMembers(link);
    if (deleteEntries) {
      for (const key of members) if (this.remove(state, key)) this.statsOf(ns).deletes++;
    } else {
      this.doUnlink(ns, link, members);
    }
    return members.length;
  }

  // ---- batch -----------------------------------------------------------------------------------

  /** Runs synchronously from start to end, so no other caller can observe a half-applied batch. */
  protected doBatch(ops: readonly BatchOp[]): BatchResult {
    // A member and its user arrive as the same object twice: one frozen copy serves both entries.
    const values = sharingCopies(() =>
      ops.map((op, i) =>
        op.type === 'set' ? this.copyOf(op.ns, op.key, op.value, `ops[${i}].value`) : undefined,
      ),
    );
    const results = ops.map((op, i) => (op.type === 'keepAlive' ? false : this.apply(op, values[i])));
    // keepAlive ops come last, reading the indexes as the rest of the batch left them.
    ops.forEach((op, i) => {
      if (op.type === 'keepAlive') results[i] = this.keepAlive(op);
    });
    return results;
  }

  /** The key whose references {@link #isReferenced} checks: one function for every keepAlive, no closure each. */
  #keptAlive = '';
  readonly #isReferenced = (ns: string, by: string): boolean =>
    this.#namespaces.get(ns)?.hasLiveMember(by, this.#keptAlive) ?? false;

  /** Settles an entry's expiry from its references (see {@link KeepAliveOp}); true if it changed. */
  private keepAlive(op: KeepAliveOp): boolean {
    const state = this.#namespaces.get(op.ns);
    const entry = state?.lru.peek(op.key);
    if (!state || !entry) return false;
    this.#keptAlive = op.key;
    const wanted = keepAliveWanted(op, this.#isReferenced);
    const ttl = keptAliveTtl(state.lru.getRemainingTTL(op.key), wanted);
    if (ttl === undefined) return false;
    const finite = Number.isFinite(ttl);
    if (finite) state.hasTtl = true;
    // The same entry object: lru-cache only resets its TTL (and its place, as a write does).
    state.lru.set(op.key, entry, { ttl: finite ? Math.ceil(ttl) : 0 });
    return true;
  }

  private apply(op: BatchOp, frozenValue: unknown): unknown {
    switch (op.type) {
      case 'set':
        return this.write(op.ns, op.key, frozenValue, op.options);
      case 'delete':
        return this.doDelete(op.ns, op.key);
      case 'link':
        return this.doLink(op.ns, op.link, [op.key]) > 0;
      case 'unlink':
        return this.doUnlink(op.ns, op.link, [op.key]) > 0;
      case 'clearIndex':
        return this.doClearIndex(op.ns, op.link, op.options?.deleteEntries === true);
      case 'clear':
        this.doClear(op.ns);
        return undefined;
      case 'keepAlive':
        return this.keepAlive(op);
    }
  }
}
