import { BackendError } from '../../errors/index.js';
import { parseDuration } from '../../util/duration.js';
import { MAX_KEY_LENGTH } from '../../util/validate.js';
import { BaseStore, type LimitsInMs, limitsInMs } from '../base-store.js';
import { MemoryStore } from '../memory/memory-store.js';
import type {
  BatchOp,
  BatchResult,
  IndexLink,
  LockProvider,
  NamespaceLimits,
  NamespaceStats,
  SetOptions,
  Store,
  StoreAudit,
  StoredEntry,
} from '../types.js';
import { entryId, FillGuard } from './fill-guard.js';
import type { InvalidationMessage } from './invalidation-message.js';
import { RedisInvalidationBus } from './redis-invalidation-bus.js';
import { DEFAULT_NEAR_MAX_AGE, type TieredStoreOptions } from './tiered-options.js';

const DEFAULT_NEAR_MAX = 10_000;

type EntryRef = readonly [ns: string, key: string];

/** Entries a write may change without knowing which before it runs (keepAlive expiries). */
interface MaybeChanged<T> {
  readonly candidates: readonly EntryRef[];
  /** The candidates the write did change, from its result. */
  changed(result: T): readonly EntryRef[];
}

/**
 * A bounded in-process copy (MemoryStore) in front of a shared far store (RedisStore, standalone or
 * Cluster). Reads answer from the near copy at memory speed, else from the far store (filling the
 * near copy with the entry's remaining TTL). Writes go to the far store first, then to the near copy,
 * then are announced over Redis pub/sub so that every other process drops its near copy of them.
 *
 * While the invalidation subscription is down the near copy is flushed and bypassed: every read goes
 * to the far store until the subscription is back, so a lost message can never leave a stale read.
 *
 * Iteration, counting and parent indexes are always served by the far store (they span entries
 * other processes write). Namespaces whose far store must see every read (a `max` with `lru`) skip
 * the near copy; namespaces whose far store evicts on writes (`max` fifo, `maxPerParent`) are flushed
 * everywhere when a write of this process makes it evict.
 */
export class TieredStore extends BaseStore {
  readonly kind = 'tiered';
  readonly #far: Store;
  readonly #near: MemoryStore;
  readonly #bus: RedisInvalidationBus;
  readonly #guard = new FillGuard();
  readonly #maxAge: number;
  /** Per namespace: whether reads may be answered from the near copy. */
  readonly #nearServes = new Map<string, boolean>();
  /** Namespaces the near copy has held anything of (a flush clears each). */
  readonly #nearNamespaces = new Set<string>();
  /** Set once open() succeeded: until then every call opens first (the bus must be up to write). */
  #opened = false;
  /** Re-invalidations scheduled after writes whose outcome is unknown (cleared on close). */
  readonly #lateInvalidations = new Set<NodeJS.Timeout>();

  constructor(options: TieredStoreOptions) {
    super();
    if (typeof options !== 'object' || options === null) {
      throw new TypeError('options must be an object with far and invalidation');
    }
    const { far, near = {}, invalidation } = options;
    if (typeof far !== 'object' || far === null || typeof far.getEntry !== 'function') {
      throw new TypeError('far must be a Store (for example a RedisStore)');
    }
    if (far instanceof TieredStore) throw new TypeError('far must not be another TieredStore');
    this.#far = far;
    this.#maxAge =
      near.maxAge === undefined ? DEFAULT_NEAR_MAX_AGE : parseDuration(near.maxAge, 'near.maxAge');
    const namespaces: Record<string, NamespaceLimits> = {};
    for (const [ns, limits] of Object.entries(near.namespaces ?? {})) namespaces[ns] = { max: limits.max };
    this.#near = new MemoryStore({
      defaults: { max: near.max ?? DEFAULT_NEAR_MAX },
      namespaces,
      ...(near.sweepInterval !== undefined ? { sweepInterval: near.sweepInterval } : {}),
    });
    const prefix = (far as { prefix?: unknown }).prefix;
    const channel = `${typeof prefix === 'string' ? prefix : 'botcache'}:tiered:invalidate`;
    this.#bus = new RedisInvalidationBus(invalidation, channel, {
      message: (message) => this.#onMessage(message),
      down: () => this.#flushNear(),
      // A far read that began while down may return a value whose invalidation was missed: void it.
      up: () => {
        this.#guard.voidAll();
        this.emit('ready');
      },
      error: (error) => this.emit('error', error),
    });
    far.on('error', (error) => this.emit('error', error));
    far.on('reconnecting', (info) => this.emit('reconnecting', info));
    far.on('invalidData', (error) => this.emit('invalidData', error));
  }

  /** The far store's read-only views for checkers: the near copy holds nothing the far store lacks. */
  get audit(): StoreAudit | undefined {
    return this.#far.audit;
  }

  /** The far store's cross-process lock, when it has one. */
  get locks(): LockProvider | undefined {
    return this.#far.locks;
  }

  /** The largest value accepted, in bytes of JSON; set here, it applies to the far store too. */
  override get maxValueSize(): number {
    return super.maxValueSize;
  }

  override set maxValueSize(bytes: number) {
    super.maxValueSize = bytes;
    const far = this.#far as Store & { maxValueSize?: number };
    if (typeof far.maxValueSize === 'number') far.maxValueSize = bytes;
  }

  /** Whether the near copy is in use: false while the invalidation subscription is down. */
  get nearCopyTrusted(): boolean {
    return this.#bus.live && !this.closed;
  }

  /** The staleness bound of the near copy, in ms: no entry is served from it for longer. */
  get nearMaxAge(): number {
    return this.#maxAge;
  }

  /** The pub/sub channel invalidations travel on. */
  get invalidationChannel(): string {
    return this.#bus.channel;
  }

  // ---- lifecycle and limits --------------------------------------------------------------------

  protected override async doOpen(): Promise<void> {
    await this.#far.open();
    await this.#bus.open();
    this.#opened = true;
  }

  /** Opens on first use, like the other stores; nothing is written before the bus is up. */
  #ready(): Promise<void> | undefined {
    return this.#opened ? undefined : this.open();
  }

  protected override async doClose(): Promise<void> {
    for (const timer of this.#lateInvalidations) clearTimeout(timer);
    this.#lateInvalidations.clear();
    await this.#bus.close();
    await this.#near.close();
    await this.#far.close();
  }

  /** Limits live in the far store, which enforces them; the near copy keeps its own bound. */
  override configure(ns: string, limits: NamespaceLimits): void {
    super.configure(ns, limits);
    this.#far.configure(ns, limits);
    this.#nearServes.delete(ns);
    // New limits may make the far store drop entries the near copy still holds.
    this.#dropNamespace(ns);
  }

  override limitsOf(ns: string): LimitsInMs {
    return limitsInMs(this.#far.limitsOf(ns));
  }

  /** Hits and misses as this store answered them (either tier); writes and evictions from the far store. */
  override stats(ns: string): NamespaceStats {
    const far = this.#far.stats(ns);
    const own = this.statsOf(ns);
    return { ...far, hits: own.hits, misses: own.misses };
  }

  /** Whether reads of a namespace may use the near copy (an lru `max` needs every read in the far store). */
  #servesFromNear(ns: string): boolean {
    let serves = this.#nearServes.get(ns);
    if (serves === undefined) {
      const limits = this.#far.limitsOf(ns);
      serves = limits.max === undefined || limits.policy === 'fifo';
      this.#nearServes.set(ns, serves);
    }
    return serves && this.#bus.live;
  }

  /** Whether the far store may drop entries of a namespace on its own during a write. */
  #farEvicts(ns: string): boolean {
    const limits = this.#far.limitsOf(ns);
    return limits.max !== undefined || limits.maxPerParent !== undefined;
  }

  // ---- invalidation ----------------------------------------------------------------------------

  #onMessage(message: InvalidationMessage): void {
    for (const ns of message.namespaces) this.#dropNamespace(ns);
    for (const [ns, key] of message.keys) this.#dropEntry(ns, key);
  }

  #dropEntry(ns: string, key: string): void {
    this.#guard.void(entryId(ns, key));
    // MemoryStore applies a delete synchronously; the promise only reports errors it cannot have here.
    this.#near.delete(ns, key).catch(() => {});
  }

  #dropNamespace(ns: string): void {
    this.#guard.voidAll();
    this.#near.clear(ns).catch(() => {});
  }

  /** The subscription dropped: anything may have been missed, so nothing near can be trusted. */
  #flushNear(): void {
    this.#guard.voidAll();
    for (const ns of this.#nearNamespaces) this.#near.clear(ns).catch(() => {});
  }

  #fillNear(ns: string, key: string, value: unknown, expiresAt: number | undefined): void {
    const now = Date.now();
    const deadline = Math.min(expiresAt ?? Number.POSITIVE_INFINITY, now + this.#maxAge);
    this.#nearNamespaces.add(ns);
    const options = Number.isFinite(deadline) ? { expiresAt: deadline } : { ttl: Number.POSITIVE_INFINITY };
    this.#near.set(ns, key, value, options).catch(() => this.#dropEntry(ns, key));
  }

  /** The absolute expiry a write gives its entry, judged before the far write so the near copy never outlives it. */
  #expiryOf(ns: string, options: SetOptions | undefined): number | undefined {
    if (options?.expiresAt !== undefined) return options.expiresAt;
    const ttl = options?.ttl ?? this.limitsOf(ns).ttl ?? Number.POSITIVE_INFINITY;
    return Number.isFinite(ttl) ? Date.now() + ttl : undefined;
  }

  /**
   * Runs a far write that changes `entries` and flushes `namespaces`: drops them here first, then
   * writes, drops anything filled meanwhile, and announces the change to the other processes.
   */
  async #write<T>(
    entries: readonly EntryRef[],
    namespaces: readonly string[],
    write: () => Promise<T>,
    refill?: () => void,
    maybe?: MaybeChanged<T>,
  ): Promise<T> {
    await this.#ready();
    const touched = new Set<string>([...entries.map(([ns]) => ns), ...namespaces]);
    const evicting = [...touched].filter((ns) => this.#farEvicts(ns));
    const evictionsBefore = evicting.map((ns) => this.#far.stats(ns).evictions);
    const tickets = entries.map(([ns, key]) => {
      this.#dropEntry(ns, key);
      return this.#guard.take(entryId(ns, key));
    });
    for (const ns of namespaces) this.#dropNamespace(ns);
    let result: T;
    let written = false;
    try {
      result = await write();
      written = true;
    } catch (error) {
      // The far store may have applied the write anyway (a timeout): its outcome is unknown, so the
      // other processes must drop their copies all the same, now and once more a moment later.
      // (A TypeError or RangeError was refused before anything was sent.)
      if (error instanceof BackendError) {
        const unknown = [...entries, ...(maybe?.candidates ?? [])];
        this.#invalidate(unknown, namespaces);
        this.#invalidateLater(unknown, namespaces);
      }
      throw error;
    } finally {
      // Reads that started during the write may hold the old value: void them, success or not.
      const fresh = entries.map(([ns, key], i) => this.#guard.redeem(entryId(ns, key), tickets[i]!));
      for (const [ns, key] of entries) this.#guard.void(entryId(ns, key));
      for (const ns of namespaces) this.#dropNamespace(ns);
      if (written && fresh.every(Boolean) && this.#bus.live) refill?.();
    }
    // Dropped after the write (which also voids reads in flight): a copy read before it is stale.
    const changed = maybe?.changed(result) ?? [];
    for (const [ns, key] of changed) this.#dropEntry(ns, key);
    const announced = changed.length > 0 ? [...entries, ...changed] : entries;
    const flushed = new Set(namespaces);
    evicting.forEach((ns, i) => {
      if (this.#far.stats(ns).evictions !== evictionsBefore[i]) {
        this.#dropNamespace(ns);
        flushed.add(ns);
      }
    });
    try {
      await this.#bus.publish(announced, [...flushed]);
    } catch (error) {
      // The write is applied: failing it now would tell the caller it was not. Others' copies stay
      // bounded by near.maxAge; the error is reported.
      this.emit('error', this.#undelivered(error));
    }
    return result;
  }

  /** Drops entries and namespaces here and announces it, without waiting; failures are reported. */
  #invalidate(entries: readonly EntryRef[], namespaces: readonly string[]): void {
    for (const [ns, key] of entries) this.#dropEntry(ns, key);
    for (const ns of namespaces) this.#dropNamespace(ns);
    if (!this.#bus.live) return; // nothing near is trusted anywhere we could reach
    this.#bus.publish(entries, namespaces).catch((error: unknown) => {
      this.emit('error', this.#undelivered(error));
    });
  }

  /**
   * A write that timed out may still be applied after its first invalidation went out (the server
   * was only slow): invalidating again one publish timeout later drops a copy read in between.
   */
  #invalidateLater(entries: readonly EntryRef[], namespaces: readonly string[]): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.#lateInvalidations.delete(timer);
      if (!this.closed) this.#invalidate(entries, namespaces);
    }, this.#bus.publishTimeout);
    timer.unref();
    this.#lateInvalidations.add(timer);
  }

  #undelivered(error: unknown): BackendError {
    const reason = error instanceof Error ? error.message : String(error);
    return new BackendError(
      `tiered invalidation not delivered (${reason}); other processes may serve their copy for up to near.maxAge (${this.#maxAge} ms)`,
      { cause: error },
    );
  }

  // ---- reads -----------------------------------------------------------------------------------

  /** The hot path: a near hit answers without touching the general checks or the far store. */
  override get<T = unknown>(ns: string, key: string): Promise<T | undefined> {
    if (
      this.closed ||
      typeof key !== 'string' ||
      key.length === 0 ||
      key.length > MAX_KEY_LENGTH ||
      !this.isKnownNamespace(ns) ||
      !this.#servesFromNear(ns)
    ) {
      return super.get(ns, key);
    }
    const value = this.#near.getSync<T>(ns, key);
    if (value === undefined) return super.get(ns, key);
    this.statsOf(ns).hits++;
    return Promise.resolve(value);
  }

  protected async doGet(ns: string, key: string): Promise<unknown> {
    await this.#ready();
    if (this.#servesFromNear(ns)) {
      const value = this.#near.getSync(ns, key);
      if (value !== undefined) {
        this.statsOf(ns).hits++;
        return value;
      }
      return (await this.#fetchFar(ns, key))?.value;
    }
    // Bypassing: a plain GET, which also lets an lru far store see the read.
    return this.#counted(ns, await this.#far.get(ns, key));
  }

  /**
   * Always the far store: the near copy's expiry may be cut short by `near.maxAge`, and an entry's
   * expiry is the far store's to tell. (The answer refills the near copy.)
   */
  protected async doGetEntry(ns: string, key: string): Promise<StoredEntry | undefined> {
    await this.#ready();
    if (!this.#servesFromNear(ns)) return this.#counted(ns, await this.#far.getEntry(ns, key));
    return this.#fetchFar(ns, key);
  }

  /** Counts a far answer as a hit or a miss of this store. */
  #counted<T>(ns: string, answer: T | undefined): T | undefined {
    const stats = this.statsOf(ns);
    if (answer === undefined) stats.misses++;
    else stats.hits++;
    return answer;
  }

  /** Reads one entry from the far store and copies it near unless something changed it meanwhile. */
  async #fetchFar(ns: string, key: string): Promise<StoredEntry | undefined> {
    const id = entryId(ns, key);
    const ticket = this.#guard.take(id);
    const entry = await this.#far.getEntry(ns, key);
    const stats = this.statsOf(ns);
    if (!entry) {
      this.#guard.redeem(id, ticket);
      stats.misses++;
      return undefined;
    }
    stats.hits++;
    if (this.#guard.redeem(id, ticket) && this.#bus.live)
      this.#fillNear(ns, key, entry.value, entry.expiresAt);
    return entry;
  }

  protected async doGetMany(ns: string, keys: readonly string[]): Promise<unknown[]> {
    await this.#ready();
    if (!this.#servesFromNear(ns)) {
      const values = await this.#far.getMany(ns, keys);
      for (const value of values) this.#counted(ns, value);
      return values;
    }
    const stats = this.statsOf(ns);
    const out = keys.map((key) => this.#near.getSync(ns, key));
    const missing: number[] = [];
    out.forEach((value, i) => {
      if (value === undefined) missing.push(i);
      else stats.hits++;
    });
    // One pipelined round trip: node-redis sends commands issued in the same tick together.
    const fetched = await Promise.all(missing.map((i) => this.#fetchFar(ns, keys[i]!)));
    missing.forEach((position, j) => {
      out[position] = fetched[j]?.value;
    });
    return out;
  }

  protected async doHas(ns: string, key: string): Promise<boolean> {
    await this.#ready();
    if (this.#servesFromNear(ns) && this.#near.getSync(ns, key) !== undefined) return true;
    return this.#far.has(ns, key);
  }

  protected doCount(ns: string): Promise<number> {
    return this.#far.count(ns);
  }

  protected doKeys(ns: string, window: number): AsyncIterable<string> {
    return this.#far.keys(ns, { window });
  }

  protected doEntries(ns: string, window: number): AsyncIterable<[string, unknown]> {
    return this.#far.entries(ns, { window });
  }

  // ---- writes ----------------------------------------------------------------------------------

  protected async doSet(ns: string, key: string, value: unknown, options: SetOptions | undefined) {
    const expiresAt = this.#expiryOf(ns, options);
    await this.#write(
      [[ns, key]],
      [],
      () => this.#far.set(ns, key, value, options),
      // An ifExists write may have been skipped by the far store: its key is only invalidated.
      () => {
        if (!options?.ifExists) this.#refill(ns, key, value, expiresAt);
      },
    );
  }

  /** Puts a value this process just wrote into the near copy (read-your-writes at memory speed). */
  #refill(ns: string, key: string, value: unknown, expiresAt: number | undefined): void {
    if (this.#servesFromNear(ns) && (expiresAt === undefined || expiresAt > Date.now())) {
      this.#fillNear(ns, key, value, expiresAt);
    }
  }

  protected async doSetMany(ns: string, entries: ReadonlyArray<readonly [string, unknown, SetOptions?]>) {
    const expiries = entries.map(([, , options]) => this.#expiryOf(ns, options));
    await this.#write(
      entries.map(([key]) => [ns, key] as const),
      [],
      () => this.#far.setMany(ns, entries),
      () => {
        entries.forEach(([key, value, options], i) => {
          if (!options?.ifExists) this.#refill(ns, key, value, expiries[i]);
        });
      },
    );
  }

  protected doDelete(ns: string, key: string): Promise<boolean> {
    return this.#write([[ns, key]], [], () => this.#far.delete(ns, key));
  }

  protected doDeleteMany(ns: string, keys: readonly string[]): Promise<number> {
    return this.#write(
      keys.map((key) => [ns, key] as const),
      [],
      () => this.#far.deleteMany(ns, keys),
    );
  }

  protected async doClear(ns: string): Promise<void> {
    await this.#write([], [ns], () => this.#far.clear(ns));
  }

  // ---- indexes: served by the far store; the near copy holds values only ------------------------

  protected doLink(ns: string, link: IndexLink, keys: readonly string[]): Promise<number> {
    // Linking can push a parent over its cap, which makes the far store evict.
    return this.#write([], [], () => this.#far.link(ns, link, keys));
  }

  protected doUnlink(ns: string, link: IndexLink, keys: readonly string[]): Promise<number> {
    return this.#far.unlink(ns, link, keys);
  }

  protected doIndexKeys(ns: string, link: IndexLink, window: number): AsyncIterable<string> {
    return this.#far.indexKeys(ns, link, { window });
  }

  protected doIndexEntries(ns: string, link: IndexLink, window: number): AsyncIterable<[string, unknown]> {
    return this.#far.indexEntries(ns, link, { window });
  }

  protected doIndexCount(ns: string, link: IndexLink): Promise<number> {
    return this.#far.indexCount(ns, link);
  }

  protected doIndexHas(ns: string, link: IndexLink, key: string): Promise<boolean> {
    return this.#far.indexHas(ns, link, key);
  }

  /** Links live in the far store only. */
  protected override async doLinksOf(ns: string, key: string): Promise<readonly IndexLink[] | undefined> {
    return this.#far.linksOf?.(ns, key);
  }

  /** Without deleteEntries only links change, which the near copy does not hold; with it, the namespace is flushed. */
  protected doClearIndex(ns: string, link: IndexLink, deleteEntries: boolean): Promise<number> {
    const options = { deleteEntries };
    return this.#write([], deleteEntries ? [ns] : [], () => this.#far.clearIndex(ns, link, options));
  }

  /**
   * keepAlive runs in the far store only. A near copy may outlive the far entry only when the far entry
   * had no expiry and takes one: so every keepAlive that changed an expiry to a finite one drops the
   * copies of it (here and, announced, in every process). One that can only remove the expiry (its own
   * ttl is Infinity) never does.
   */
  protected doBatch(ops: readonly BatchOp[]): Promise<BatchResult> {
    const entries: EntryRef[] = [];
    const namespaces: string[] = [];
    const expiries: number[] = [];
    ops.forEach((op, i) => {
      if (op.type === 'set' || op.type === 'delete') entries.push([op.ns, op.key]);
      else if (op.type === 'clear' || (op.type === 'clearIndex' && op.options?.deleteEntries === true))
        namespaces.push(op.ns);
      else if (op.type === 'keepAlive' && Number.isFinite(op.ttl)) expiries.push(i);
    });
    const refOf = (i: number): EntryRef => [ops[i]?.ns as string, (ops[i] as { key: string }).key];
    const maybe: MaybeChanged<BatchResult> = {
      candidates: expiries.map(refOf),
      changed: (results) => expiries.filter((i) => results[i] === true).map(refOf),
    };
    return this.#write(entries, namespaces, () => this.#far.batch(ops), undefined, maybe);
  }
}
