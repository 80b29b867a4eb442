import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Codec } from '../../codec/codec.js';
import { JsonCodec } from '../../codec/json-codec.js';
import { BackendError, CacheError } from '../../errors/index.js';
import { type Duration, timerDuration } from '../../util/duration.js';
import { assertJsonCompatible } from '../../util/json-value.js';
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
import { migrate } from './schema.js';
import { prepareStatements, type Statements } from './statements.js';

/** Options of a {@link SqliteStore}. */
export interface SqliteStoreOptions {
  /** The database file, created with its directory if missing, or `':memory:'` (the default) for a private in-memory database. */
  readonly path?: string;
  /** How values are stored. Default: {@link JsonCodec} (JSON text, readable with the `sqlite3` shell). */
  readonly codec?: Codec;
  /** Limits applied to every namespace that has none of its own. Default: unbounded, no TTL, `lru`. */
  readonly defaults?: NamespaceLimits;
  /** Limits per namespace. */
  readonly namespaces?: Readonly<Record<string, NamespaceLimits>>;
  /**
   * How often expired rows are deleted, ms or `'30s'`-style (one timer that never keeps the process alive).
   * Expired entries are never returned, swept or not. Default 30 000 ms.
   */
  readonly sweepInterval?: Duration;
  /**
   * SQLite's `synchronous` setting. `'normal'` (the default, with WAL) survives a crash of the process;
   * a power cut may lose the last commits. `'full'` survives power cuts too and writes more slowly.
   */
  readonly synchronous?: 'normal' | 'full';
  /** How long a write waits for another process holding the file's write lock, ms or `'5s'`-style (0: not at all). Default 5 000 ms. */
  readonly busyTimeout?: Duration | 0;
  /** Most bytes of JSON one value may take; `Infinity` for no limit. Default 1 MiB. */
  readonly maxValueSize?: number;
}

const DEFAULT_SWEEP_INTERVAL = 30_000;
const SWEEP_CHUNK = 500;
/** Encoded values as better-sqlite3 binds them: text, or a Buffer for a BLOB. */
type Encoded = string | Buffer;
type Row = [value: Encoded, expiresAt: number | null];
type RunInTransaction = Database.Transaction<(work: () => unknown) => unknown>;

/**
 * A store in one SQLite file (or in memory) through better-sqlite3, for a bot on one machine that must
 * keep its cache across restarts. Every write is one transaction: an entry, its index links and any
 * eviction it causes commit together or not at all, so a crash never leaves a half-written state.
 * Calls are synchronous underneath, so an operation never interleaves with another of this process.
 */
export class SqliteStore extends BaseStore {
  readonly kind = 'sqlite';
  /** The database file, or `':memory:'`. */
  readonly path: string;
  readonly #codec: Codec;
  readonly #sweepInterval: number;
  readonly #synchronous: 'normal' | 'full';
  readonly #busyTimeout: number;
  #db: Database.Database | undefined;
  #s: Statements | undefined;
  /** One transaction wrapper per connection: building it per call costs more than a small write. */
  #tx: RunInTransaction | undefined;
  #sweeper: NodeJS.Timeout | undefined;
  #lastSeq = 0;
  /** Merged limits per namespace, so the hot path does not rebuild them on every call. */
  readonly #limitsCache = new Map<string, LimitsInMs>();

  constructor(options: SqliteStoreOptions = {}) {
    super(options.defaults, options.namespaces);
    if (options.maxValueSize !== undefined) this.maxValueSize = options.maxValueSize;
    const path = options.path ?? ':memory:';
    if (typeof path !== 'string' || path.length === 0) {
      throw new TypeError(`path must be a file path or ':memory:' (got ${String(path)})`);
    }
    this.path = path;
    this.#codec = options.codec ?? new JsonCodec();
    this.#sweepInterval = timerDuration(options.sweepInterval, 'sweepInterval', DEFAULT_SWEEP_INTERVAL);
    if (this.#sweepInterval < 10) {
      throw new RangeError(
        `sweepInterval must be a number of milliseconds >= 10 (got ${String(options.sweepInterval)})`,
      );
    }
    this.#synchronous = options.synchronous ?? 'normal';
    if (this.#synchronous !== 'normal' && this.#synchronous !== 'full') {
      throw new RangeError(`synchronous must be 'normal' or 'full' (got ${String(options.synchronous)})`);
    }
    this.#busyTimeout =
      options.busyTimeout === 0 ? 0 : Math.ceil(timerDuration(options.busyTimeout, 'busyTimeout', 5_000));
    if (!Number.isInteger(this.#busyTimeout) || this.#busyTimeout < 0) {
      throw new RangeError(
        `busyTimeout must be a non-negative integer of milliseconds (got ${String(options.busyTimeout)})`,
      );
    }
  }

  // ---- connection ------------------------------------------------------------------------------

  protected override async doOpen(): Promise<void> {
    this.#statements();
  }

  protected override async doClose(): Promise<void> {
    if (this.#sweeper) clearInterval(this.#sweeper);
    this.#sweeper = undefined;
    const db = this.#db;
    this.#db = undefined;
    this.#s = undefined;
    this.#tx = undefined;
    if (db) this.#backend('close', () => db.close());
  }

  /** The prepared statements, opening the database on first use (better-sqlite3 opens synchronously). */
  #statements(): Statements {
    if (this.#s) return this.#s;
    this.guard();
    let db: Database.Database | undefined;
    try {
      // A new database file in a directory not made yet (`./data/cache.db`): make the directory first.
      if (this.path !== ':memory:') mkdirSync(dirname(this.path), { recursive: true });
      db = new Database(this.path);
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${this.#synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
      db.pragma(`busy_timeout = ${this.#busyTimeout}`);
      migrate(db);
      this.#s = prepareStatements(db);
      this.#tx = db.transaction((work: () => unknown) => work());
    } catch (error) {
      db?.close();
      throw this.#backendError(`opening ${this.path}`, error);
    }
    this.#db = db;
    this.#sweeper = setInterval(() => this.#sweepInBackground(), this.#sweepInterval);
    this.#sweeper.unref();
    return this.#s;
  }

  /** Runs driver work; any failure that is not already a botcache error becomes a BackendError. */
  #backend<T>(what: string, work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw this.#backendError(what, error);
    }
  }

  #backendError(what: string, error: unknown): Error {
    if (error instanceof CacheError) return error;
    const reason = error instanceof Error ? error.message : String(error);
    const wrapped = new BackendError(`sqlite ${what} failed: ${reason}`, { cause: error });
    this.emit('error', wrapped);
    return wrapped;
  }

  /** Runs `work` in one IMMEDIATE transaction: it takes the write lock first, so it never fails halfway. */
  #transaction<T>(what: string, work: () => T): T {
    this.#statements();
    const tx = this.#tx as RunInTransaction;
    return this.#backend(what, () => tx.immediate(work) as T);
  }

  /** A write order that increases across restarts and roughly across processes: time-based, never repeated. */
  #nextSeq(): number {
    this.#lastSeq = Math.max(this.#lastSeq + 1, Date.now() * 1000);
    return this.#lastSeq;
  }

  // ---- limits ----------------------------------------------------------------------------------

  #limits(ns: string): LimitsInMs {
    let limits = this.#limitsCache.get(ns);
    if (!limits) {
      limits = this.limitsOf(ns);
      this.#limitsCache.set(ns, limits);
    }
    return limits;
  }

  protected override onConfigure(ns: string, limits: LimitsInMs): void {
    this.#limitsCache.set(ns, limits);
    const { max } = limits;
    if (max !== undefined) this.#transaction('configure', () => this.#enforceMax(ns, max, Date.now()));
  }

  /** Reads refresh an entry's place only where it matters: a bounded `lru` namespace. */
  #tracksReads(ns: string): boolean {
    const limits = this.#limits(ns);
    return limits.max !== undefined && limits.policy !== 'fifo';
  }

  #enforceMax(ns: string, max: number, now: number): void {
    const s = this.#statements();
    let stored = s.stored.get(ns) as number;
    if (stored <= max) return;
    // Expired rows go before live ones are evicted.
    const stats = this.statsOf(ns);
    stats.expirations += s.removeExpiredChunk.run({ ns, now, limit: -1 }).changes;
    stored = s.stored.get(ns) as number;
    if (stored <= max) return;
    stats.evictions += s.removeOldest.run({ ns, limit: stored - max }).changes;
  }

  #enforcePerParent(ns: string, link: IndexLink, cap: number): void {
    const s = this.#statements();
    const linked = s.linkCount.get(ns, link.by, link.parent) as number;
    if (linked <= cap) return;
    this.statsOf(ns).evictions += s.removeOldestLinked.run({
      ns,
      by: link.by,
      parent: link.parent,
      limit: linked - cap,
    }).changes;
  }

  // ---- values ----------------------------------------------------------------------------------

  #encode(value: unknown, path: string): Encoded {
    assertJsonCompatible(value, path);
    const encoded = this.#codec.encode(value);
    if (typeof encoded === 'string' || Buffer.isBuffer(encoded)) return encoded;
    return Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  }

  #decode(data: Encoded, key: string): unknown {
    return this.#codec.decode(data, key);
  }

  // ---- expiry ----------------------------------------------------------------------------------

  /** Deletes entries found expired by a read (re-checked in SQL: a concurrent write may have renewed them). */
  #dropExpired(ns: string, keys: readonly string[]): void {
    if (keys.length === 0) return;
    const now = Date.now();
    let dropped = 0;
    this.#transaction('expire', () => {
      const s = this.#statements();
      for (const key of keys) dropped += s.removeIfExpired.run(ns, key, now).changes;
    });
    this.statsOf(ns).expirations += dropped;
  }

  /** Deletes every expired row now (the periodic sweep calls this). Resolves to how many it deleted. */
  async sweep(): Promise<number> {
    this.guard();
    return this.#sweepNow();
  }

  #sweepNow(): number {
    const s = this.#statements();
    let total = 0;
    for (const ns of this.#backend('sweep', () => s.namespaces.all() as string[])) {
      for (;;) {
        // Chunks keep each transaction short, so a large sweep never holds the write lock for long.
        const removed = this.#transaction(
          'sweep',
          () => s.removeExpiredChunk.run({ ns, now: Date.now(), limit: SWEEP_CHUNK }).changes,
        );
        this.statsOf(ns).expirations += removed;
        total += removed;
        if (removed < SWEEP_CHUNK) break;
      }
    }
    return total;
  }

  #sweepInBackground(): void {
    if (this.closed || !this.#db) return;
    try {
      this.#sweepNow();
    } catch {
      // already reported through the 'error' event; the next sweep tries again
    }
  }

  // ---- reads -----------------------------------------------------------------------------------

  /** Reads one live row, counting the hit or miss and refreshing its lru place. */
  #readLive(ns: string, key: string): Row | undefined {
    const s = this.#statements();
    const row = this.#backend('get', () => s.read.get(ns, key) as Row | undefined);
    const stats = this.statsOf(ns);
    if (row === undefined) {
      stats.misses++;
      return undefined;
    }
    if (row[1] !== null && row[1] <= Date.now()) {
      stats.misses++;
      this.#dropExpired(ns, [key]);
      return undefined;
    }
    stats.hits++;
    if (this.#tracksReads(ns)) this.#backend('touch', () => s.touch.run(this.#nextSeq(), ns, key));
    return row;
  }

  protected doGet(ns: string, key: string): unknown {
    const row = this.#readLive(ns, key);
    return row === undefined ? undefined : this.#decode(row[0], key);
  }

  protected doGetEntry(ns: string, key: string): StoredEntry | undefined {
    const row = this.#readLive(ns, key);
    if (row === undefined) return undefined;
    return { value: this.#decode(row[0], key), expiresAt: row[1] ?? undefined };
  }

  protected doGetMany(ns: string, keys: readonly string[]): unknown[] {
    const s = this.#statements();
    // One statement reads one snapshot, so no other process's transaction can be seen half-applied.
    const rows = this.#backend(
      'getMany',
      () => s.readMany.all(ns, JSON.stringify(keys)) as [string, Encoded, number | null][],
    );
    const now = Date.now();
    const found = new Map<string, [Encoded, number | null]>();
    const expired: string[] = [];
    for (const [key, value, expiresAt] of rows) {
      if (expiresAt !== null && expiresAt <= now) expired.push(key);
      else found.set(key, [value, expiresAt]);
    }
    this.#dropExpired(ns, expired);
    const stats = this.statsOf(ns);
    const decoded = new Map<string, unknown>();
    const values = keys.map((key) => {
      const row = found.get(key);
      if (row === undefined) {
        stats.misses++;
        return undefined;
      }
      stats.hits++;
      if (!decoded.has(key)) decoded.set(key, this.#decode(row[0], key));
      return decoded.get(key);
    });
    if (this.#tracksReads(ns) && found.size > 0) {
      this.#transaction('touch', () => {
        for (const key of found.keys()) s.touch.run(this.#nextSeq(), ns, key);
      });
    }
    return values;
  }

  protected doHas(ns: string, key: string): boolean {
    const s = this.#statements();
    const expiresAt = this.#backend('has', () => s.expiryOf.get(ns, key) as number | null | undefined);
    return expiresAt === null || (expiresAt !== undefined && expiresAt > Date.now());
  }

  protected doCount(ns: string): number {
    const s = this.#statements();
    return this.#backend('count', () => s.live.get({ ns, now: Date.now() }) as number);
  }

  /** Keyset pages by key: an entry present for the whole iteration is yielded exactly once. */
  protected *doKeys(ns: string, window: number): Iterable<string> {
    const s = this.#statements();
    let after = '';
    for (;;) {
      const keys = this.#backend(
        'keys',
        () => s.keysPage.all({ ns, after, now: Date.now(), limit: window }) as string[],
      );
      yield* keys;
      if (keys.length < window) return;
      after = keys[keys.length - 1] as string;
    }
  }

  protected *doEntries(ns: string, window: number): Iterable<[string, unknown]> {
    const s = this.#statements();
    let after = '';
    for (;;) {
      const rows = this.#backend(
        'entries',
        () => s.entriesPage.all({ ns, after, now: Date.now(), limit: window }) as [string, Encoded][],
      );
      for (const [key, data] of rows) {
        const value = this.#decodeForIteration(data, key);
        if (value !== SKIP) yield [key, value];
      }
      if (rows.length < window) return;
      after = (rows[rows.length - 1] as [string, Encoded])[0];
    }
  }

  /** Iteration skips data that does not decode and reports it, so one bad row does not end a scan. */
  #decodeForIteration(data: Encoded, key: string): unknown {
    try {
      return this.#decode(data, key);
    } catch (error) {
      if (!(error instanceof CacheError)) throw error;
      this.emit('invalidData', error);
      return SKIP;
    }
  }

  // ---- writes ----------------------------------------------------------------------------------

  protected doSet(ns: string, key: string, value: unknown, options: SetOptions | undefined): void {
    const encoded = this.#encode(value, 'value');
    this.#transaction('set', () => this.#write(ns, key, encoded, options, false));
  }

  protected doSetMany(ns: string, entries: ReadonlyArray<readonly [string, unknown, SetOptions?]>): void {
    // Encode everything first so that a bad value rejects the call before anything is written.
    const encoded = entries.map(([, value], i) => this.#encode(value, `entries[${i}][1]`));
    this.#transaction('setMany', () => {
      for (let i = 0; i < entries.length; i++) {
        const [key, , options] = entries[i]!;
        this.#write(ns, key, encoded[i]!, options, false);
      }
    });
  }

  /** Writes one entry inside the caller's transaction; returns the previous value when asked. */
  #write(
    ns: string,
    key: string,
    encoded: Encoded,
    options: SetOptions | undefined,
    wantPrevious: boolean,
  ): unknown {
    const s = this.#statements();
    const stats = this.statsOf(ns);
    const limits = this.#limits(ns);
    const now = Date.now();
    let previous: unknown;
    if (wantPrevious) {
      const row = s.read.get(ns, key) as Row | undefined;
      if (row && (row[1] === null || row[1] > now)) previous = this.#decodeForIteration(row[0], key);
      if (previous === SKIP) previous = undefined;
    }
    // An expired row is gone: drop it, with its links, so that "keep the links it had" cannot revive them.
    stats.expirations += s.removeIfExpired.run(ns, key, now).changes;
    if (options?.ifExists && s.read.get(ns, key) === undefined) return previous;
    const expiresAt = expiryFor(options, limits, now);
    if (expiresAt !== undefined && expiresAt <= now) {
      s.remove.get(ns, key); // an absolute expiry already past: the write means "gone"
      return previous;
    }
    s.upsert.run(ns, key, encoded, expiresAt ?? null, this.#nextSeq());
    stats.sets++;
    if (options?.indexes) {
      const wanted = options.indexes;
      for (const [by, parent] of s.linksOf.all(ns, key) as [string, string][]) {
        if (!wanted.some((l) => l.by === by && l.parent === parent)) s.removeLink.run(ns, by, parent, key);
      }
      for (const link of wanted) {
        const added = s.addLink.run(ns, link.by, link.parent, key, this.#nextSeq()).changes > 0;
        const cap = limits.maxPerParent?.[link.by];
        if (added && cap !== undefined) this.#enforcePerParent(ns, link, cap);
      }
    }
    if (limits.max !== undefined) this.#enforceMax(ns, limits.max, now);
    return previous;
  }

  protected doDelete(ns: string, key: string): boolean {
    return this.#transaction('delete', () => this.#remove(ns, key));
  }

  /** Deletes one entry (its links go with it, by trigger); true if it was live. */
  #remove(ns: string, key: string): boolean {
    const s = this.#statements();
    const expiresAt = s.remove.get(ns, key) as number | null | undefined;
    if (expiresAt === undefined) return false;
    const stats = this.statsOf(ns);
    if (expiresAt !== null && expiresAt <= Date.now()) {
      stats.expirations++;
      return false;
    }
    stats.deletes++;
    return true;
  }

  protected doDeleteMany(ns: string, keys: readonly string[]): number {
    return this.#transaction('deleteMany', () => {
      let deleted = 0;
      for (const key of keys) if (this.#remove(ns, key)) deleted++;
      return deleted;
    });
  }

  protected doClear(ns: string): void {
    this.#transaction('clear', () => this.#clear(ns));
  }

  #clear(ns: string): void {
    const s = this.#statements();
    s.clearLinks.run(ns); // first, so that the per-row trigger finds no links left to delete
    s.clearEntries.run(ns);
  }

  // ---- indexes ---------------------------------------------------------------------------------

  protected doLink(ns: string, link: IndexLink, keys: readonly string[]): number {
    return this.#transaction('link', () => this.#link(ns, link, keys));
  }

  #link(ns: string, link: IndexLink, keys: readonly string[]): number {
    const s = this.#statements();
    const now = Date.now();
    let linked = 0;
    for (const key of keys) {
      const params = { ns, by: link.by, parent: link.parent, key, seq: this.#nextSeq(), now };
      linked += s.addLinkIfLive.run(params).changes;
    }
    const cap = this.#limits(ns).maxPerParent?.[link.by];
    if (linked > 0 && cap !== undefined) this.#enforcePerParent(ns, link, cap);
    return linked;
  }

  protected doUnlink(ns: string, link: IndexLink, keys: readonly string[]): number {
    return this.#transaction('unlink', () => this.#unlink(ns, link, keys));
  }

  #unlink(ns: string, link: IndexLink, keys: readonly string[]): number {
    const s = this.#statements();
    let unlinked = 0;
    for (const key of keys) unlinked += s.removeLink.run(ns, link.by, link.parent, key).changes;
    return unlinked;
  }

  /** Keyset pages in link order (link age, then key): stable members are yielded exactly once. */
  protected *doIndexKeys(ns: string, link: IndexLink, window: number): Iterable<string> {
    for (const page of this.#indexPages(ns, link, window, false)) for (const [key] of page) yield key;
  }

  protected *doIndexEntries(ns: string, link: IndexLink, window: number): Iterable<[string, unknown]> {
    for (const page of this.#indexPages(ns, link, window, true)) {
      for (const [key, , data] of page) {
        const value = this.#decodeForIteration(data as Encoded, key);
        if (value !== SKIP) yield [key, value];
      }
    }
  }

  *#indexPages(
    ns: string,
    link: IndexLink,
    window: number,
    withValues: boolean,
  ): Iterable<[string, number, Encoded?][]> {
    const s = this.#statements();
    const statement = withValues ? s.indexPage : s.indexKeysPage;
    let seq = -1;
    let after = '';
    for (;;) {
      const params = { ns, by: link.by, parent: link.parent, seq, after, now: Date.now(), limit: window };
      const rows = this.#backend('index scan', () => statement.all(params) as [string, number, Encoded?][]);
      yield rows;
      if (rows.length < window) return;
      [after, seq] = rows[rows.length - 1] as [string, number];
    }
  }

  protected doIndexCount(ns: string, link: IndexLink): number {
    const s = this.#statements();
    return this.#backend(
      'indexCount',
      () => s.indexLiveCount.get({ ns, by: link.by, parent: link.parent, now: Date.now() }) as number,
    );
  }

  protected doIndexHas(ns: string, link: IndexLink, key: string): boolean {
    const s = this.#statements();
    const params = { ns, by: link.by, parent: link.parent, key, now: Date.now() };
    return this.#backend('indexHas', () => (s.indexHas.get(params) as number) > 0);
  }

  protected override doLinksOf(ns: string, key: string): IndexLink[] {
    const s = this.#statements();
    return this.#backend('linksOf', () => {
      const row = s.read.get(ns, key) as Row | undefined;
      if (row === undefined || (row[1] !== null && row[1] <= Date.now())) return [];
      return (s.linksOf.all(ns, key) as [string, string][]).map(([by, parent]) => ({ by, parent }));
    });
  }

  protected doClearIndex(ns: string, link: IndexLink, deleteEntries: boolean): number {
    return this.#transaction('clearIndex', () => this.#clearIndex(ns, link, deleteEntries));
  }

  #clearIndex(ns: string, link: IndexLink, deleteEntries: boolean): number {
    const s = this.#statements();
    const params = { ns, by: link.by, parent: link.parent, now: Date.now() };
    const held = s.indexLiveCount.get(params) as number;
    if (deleteEntries) {
      s.removeIndexEntries.run({ ns, by: link.by, parent: link.parent });
      this.statsOf(ns).deletes += held;
    } else {
      s.removeIndex.run(ns, link.by, link.parent);
    }
    return held;
  }

  // ---- batch -----------------------------------------------------------------------------------

  /** One transaction: other readers, in this process or another, see all of it or none of it. */
  protected doBatch(ops: readonly BatchOp[]): BatchResult {
    const encoded = ops.map((op, i) => (op.type === 'set' ? this.#encode(op.value, `ops[${i}].value`) : ''));
    return this.#transaction('batch', () => {
      const results = ops.map((op, i) =>
        op.type === 'keepAlive' ? false : this.#apply(op, encoded[i] as Encoded),
      );
      // keepAlive ops come last, reading the indexes as the rest of the batch left them.
      ops.forEach((op, i) => {
        if (op.type === 'keepAlive') results[i] = this.#keepAlive(op);
      });
      return results;
    });
  }

  /** Settles an entry's expiry from its references (see {@link KeepAliveOp}), inside the caller's transaction. */
  #keepAlive(op: KeepAliveOp): boolean {
    const s = this.#statements();
    const now = Date.now();
    const expiresAt = s.expiryOf.get(op.ns, op.key) as number | null | undefined;
    if (expiresAt === undefined || (expiresAt !== null && expiresAt <= now)) return false;
    const wanted = keepAliveWanted(
      op,
      (ns, by) => (s.indexHasLive.get({ ns, by, parent: op.key, now }) as number) === 1,
    );
    const ttl = keptAliveTtl(expiresAt === null ? Number.POSITIVE_INFINITY : expiresAt - now, wanted);
    if (ttl === undefined) return false;
    const at = Number.isFinite(ttl) ? now + Math.ceil(ttl) : null;
    s.setExpiry.run(at, op.ns, op.key);
    return true;
  }

  #apply(op: BatchOp, encoded: Encoded): unknown {
    switch (op.type) {
      case 'set':
        return this.#write(op.ns, op.key, encoded, op.options, true);
      case 'delete':
        return this.#remove(op.ns, op.key);
      case 'link':
        return this.#link(op.ns, op.link, [op.key]) > 0;
      case 'unlink':
        return this.#unlink(op.ns, op.link, [op.key]) > 0;
      case 'clearIndex':
        return this.#clearIndex(op.ns, op.link, op.options?.deleteEntries === true);
      case 'clear':
        this.#clear(op.ns);
        return undefined;
      case 'keepAlive':
        return this.#keepAlive(op);
    }
  }
}

/** Marks a row that did not decode during iteration. */
const SKIP: unique symbol = Symbol('skip');

/** The absolute expiry of a write in whole milliseconds, or undefined for never. */
function expiryFor(options: SetOptions | undefined, limits: LimitsInMs, now: number): number | undefined {
  if (options?.expiresAt !== undefined) return Math.ceil(options.expiresAt);
  const ttl = options?.ttl ?? limits.ttl;
  if (ttl === undefined || !Number.isFinite(ttl)) return undefined;
  return now + Math.ceil(ttl);
}
