import { type Codec, JsonCodec } from '../../codec/index.js';
import { InvalidDataFound } from '../../errors/index.js';
import { checkedJsonSize, OVERSIZED } from '../../util/json-value.js';
import { BaseStore } from '../base-store.js';
import type {
  BatchOp,
  BatchResult,
  IndexLink,
  LockProvider,
  NamespaceLimits,
  SetOptions,
  StoreAudit,
  StoredEntry,
} from '../types.js';
import { BatchRunner } from './batch-runner.js';
import { Clearing } from './clearing.js';
import { EntryReads } from './entry-reads.js';
import { IndexReads } from './index-reads.js';
import { assertPrefix, KeyLayout } from './key-layout.js';
import { NamespaceKeys } from './namespace-keys.js';
import { NamespaceRegistry } from './namespace-registry.js';
import { RedisAudit } from './redis-audit.js';
import { type Encoded, RedisConnection } from './redis-connection.js';
import { RedisLockProvider } from './redis-lock.js';
import { checkRedisOptions, type RedisStoreOptions } from './redis-options.js';
import { hasRegistry, type StoreContext } from './store-context.js';
import { newAftermath, WriteAftermath } from './write-aftermath.js';
import { WritePlan } from './write-plan.js';
import { type EntryReply, type PlannedWrite, WritePlanner } from './write-planner.js';

/**
 * The Redis and Redis Cluster store, on node-redis. Values are plain strings in the codec's format,
 * expiring natively; parent indexes are ZSETs in the parent's slot; only a namespace with a `max`
 * keeps a registry ZSET, ordering its entries for lru/fifo eviction (the others are counted and
 * iterated by SCAN over their values). docs/redis.md describes the key layout. The work is done by
 * one part per concern (reads, index reads, the write planner, the aftermath of writes, the registry,
 * clearing, batches); this class checks nothing itself and delegates.
 */
export class RedisStore extends BaseStore {
  readonly kind = 'redis';
  readonly prefix: string;
  readonly #layout: KeyLayout;
  readonly #codec: Codec;
  readonly #connection: RedisConnection;
  #opened = false;
  /** Tie-breaker so that writes within one millisecond keep their order. */
  #sequence = 0;
  readonly #context: StoreContext;
  readonly #reads: EntryReads;
  readonly #indexes: IndexReads;
  readonly #registry: NamespaceRegistry;
  readonly #keys: NamespaceKeys;
  readonly #planner: WritePlanner;
  readonly #aftermath: WriteAftermath;
  readonly #clearing: Clearing;
  readonly #batches: BatchRunner;

  constructor(options: RedisStoreOptions = {}) {
    super(checkRedisOptions(options).defaults, options.namespaces);
    this.prefix = options.prefix ?? 'botcache';
    assertPrefix(this.prefix);
    this.#layout = new KeyLayout(this.prefix);
    this.#codec = options.codec ?? new JsonCodec();
    this.#connection = new RedisConnection(options, {
      error: (error) => this.emit('error', error),
      reconnecting: (info) => this.emit('reconnecting', info),
      ready: () => this.emit('ready'),
    });
    this.locks = new RedisLockProvider(this.#connection, this.prefix, () => {
      this.guard();
      return this.#ready();
    });
    this.#context = {
      connection: this.#connection,
      layout: this.#layout,
      binary: typeof this.#codec.encode(null) !== 'string',
      ready: () => this.#ready(),
      limitsOf: (ns) => this.limitsOf(ns),
      statsOf: (ns) => this.statsOf(ns),
      decode: (ns, key, data) => this.#decode(ns, key, data),
      decodeOrReport: (ns, key, data) => this.#decodeOrReport(ns, key, data),
      score: () => this.#score(),
    };
    this.#reads = new EntryReads(this.#context);
    this.#indexes = new IndexReads(this.#context, this.#reads);
    this.#registry = new NamespaceRegistry(this.#context, {
      isClosed: () => this.closed,
      reportError: (error) => this.emit('error', error),
    });
    this.#keys = new NamespaceKeys(this.#context, this.#registry, this.#reads);
    this.#planner = new WritePlanner(this.#context, (ns) => this.#registry.noteExpiringWrite(ns));
    this.#aftermath = new WriteAftermath(this.#context, this.#planner, this.#indexes, this.#registry);
    this.#clearing = new Clearing(this.#context, this.#planner, this.#aftermath, this.#indexes);
    this.#batches = new BatchRunner(this.#context, this.#planner, this.#aftermath, this.#clearing);
  }

  /** A lock shared by every process on this Redis, for cross-process single-flight loads. */
  readonly locks: LockProvider;

  /** Read-only views for checkers (verifyCache): nothing they send writes, prunes or touches. */
  get audit(): StoreAudit {
    return new RedisAudit(
      this.#connection,
      this.#layout,
      (ns, key, data) => this.#decode(ns, key, data),
      () => {
        this.guard();
        return this.#ready();
      },
      (ns) => hasRegistry(this.#context, ns),
    );
  }

  /** Whether this store talks to a Redis Cluster. */
  get isCluster(): boolean {
    return this.#connection.isCluster;
  }

  protected override async doOpen(): Promise<void> {
    await this.#connection.open();
    this.#opened = true;
  }

  protected override async doClose(): Promise<void> {
    await this.#registry.settled();
    await this.#connection.close();
  }

  /** Opens on first use; later calls skip straight to the command (a lost connection fails fast). */
  async #ready(): Promise<void> {
    if (!this.#opened) await this.open();
  }

  #score(): string {
    this.#sequence = (this.#sequence + 1) % 1000;
    return String(Date.now() * 1000 + this.#sequence);
  }

  #decode(ns: string, key: string, data: unknown): unknown {
    if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
      throw new InvalidDataFound(`the value at '${this.#layout.value(ns, key)}' is not a string`, {
        key: this.#layout.value(ns, key),
        resource: ns,
      });
    }
    return this.#codec.decode(data, this.#layout.value(ns, key));
  }

  #decodeOrReport(ns: string, key: string, data: unknown): { ok: boolean; value: unknown } {
    try {
      return { ok: true, value: this.#decode(ns, key, data) };
    } catch (error) {
      if (!(error instanceof InvalidDataFound)) throw error;
      this.emit('invalidData', error);
      return { ok: false, value: undefined };
    }
  }

  // ---- reads -----------------------------------------------------------------------------------

  // No async/await on the hot path when the store is open: one driver promise and one `then`.
  protected doGet(ns: string, key: string): Promise<unknown> {
    if (!this.#opened) return this.open().then(() => this.doGet(ns, key));
    return this.#reads.get(ns, key);
  }

  protected async doGetMany(ns: string, keys: readonly string[]): Promise<unknown[]> {
    await this.#ready();
    return this.#reads.getMany(ns, keys);
  }

  protected async doGetEntry(ns: string, key: string): Promise<StoredEntry | undefined> {
    await this.#ready();
    return this.#reads.getEntry(ns, key);
  }

  protected async doHas(ns: string, key: string): Promise<boolean> {
    await this.#ready();
    return this.#reads.has(ns, key);
  }

  protected doCount(ns: string): Promise<number> {
    return this.#keys.count(ns);
  }

  protected doKeys(ns: string, window: number): AsyncIterable<string> {
    return this.#keys.keys(ns, window);
  }

  protected doEntries(ns: string, window: number): AsyncIterable<[string, unknown]> {
    return this.#keys.entriesOf(ns, window);
  }

  // ---- writes ----------------------------------------------------------------------------------

  /**
   * Drops registry members whose entry expired, oldest first, in windows; stops at a window that is
   * mostly alive. Runs by itself every 1,000 writes with an expiry to a namespace. Resolves to how
   * many members it dropped.
   */
  async pruneRegistry(ns: string): Promise<number> {
    this.guard();
    this.checkNamespace(ns);
    return this.#registry.prune(ns);
  }

  /** Sizes are measured by the value check itself (one walk before the codec's): nothing to do before it. */
  protected override checkValueSize(): void {}

  #encode(ns: string, key: string, value: unknown, name: string): Encoded {
    // Only a refused value pays for the full message (key, both sizes).
    if (checkedJsonSize(value, this.maxValueSize, name) === OVERSIZED)
      super.checkValueSize(ns, key, value, name);
    const encoded = this.#codec.encode(value);
    if (typeof encoded === 'string') return encoded;
    // A view on the same memory: node-redis writes Buffers as they are.
    return Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  }

  protected async doSet(
    ns: string,
    key: string,
    value: unknown,
    options: SetOptions | undefined,
  ): Promise<void> {
    const encoded = this.#encode(ns, key, value, 'value');
    await this.#ready();
    await this.#write(ns, [[key, encoded, options]]);
  }

  protected async doSetMany(ns: string, entries: ReadonlyArray<readonly [string, unknown, SetOptions?]>) {
    // Encode everything first so that a bad value rejects the call before anything is written.
    const encoded = entries.map(
      ([key, value, options], i) => [key, this.#encode(ns, key, value, `entries[${i}][1]`), options] as const,
    );
    await this.#ready();
    await this.#write(ns, encoded);
  }

  async #write(ns: string, entries: ReadonlyArray<readonly [string, Encoded, SetOptions | undefined]>) {
    const plan = new WritePlan();
    const planned = entries.map(([key, encoded, options]) =>
      this.#planner.planSet(plan, ns, key, encoded, options, false),
    );
    const results = await this.#planner.run(ns, plan);
    const after = newAftermath();
    entries.forEach(([key], i) => {
      const step = planned[i] as PlannedWrite;
      this.#aftermath.noteWrite(after, ns, key, results[step.index] as EntryReply, step.links, step.deleted);
    });
    await this.#aftermath.tidy(after);
    this.#registry.maybePrune(ns);
  }

  protected async doDelete(ns: string, key: string): Promise<boolean> {
    return (await this.doDeleteMany(ns, [key])) === 1;
  }

  protected async doDeleteMany(ns: string, keys: readonly string[]): Promise<number> {
    await this.#ready();
    const existed = await this.#aftermath.removeEntries(ns, [...new Set(keys)]);
    this.statsOf(ns).deletes += existed;
    return existed;
  }

  protected async doClear(ns: string): Promise<void> {
    await this.#ready();
    await this.#clearing.clear(ns);
  }

  // ---- indexes ---------------------------------------------------------------------------------

  protected async doLink(ns: string, link: IndexLink, keys: readonly string[]): Promise<number> {
    await this.#ready();
    const plan = new WritePlan();
    const positions = [...new Set(keys)].map((key) => this.#planner.planLink(plan, ns, key, link));
    const results = await this.#planner.run(ns, plan);
    const linked = positions.filter((p) => Number(results[p]) === 1).length;
    const after = newAftermath();
    this.#aftermath.noteLinked(after, ns, link);
    await this.#aftermath.tidy(after);
    return linked;
  }

  protected async doUnlink(ns: string, link: IndexLink, keys: readonly string[]): Promise<number> {
    await this.#ready();
    const plan = new WritePlan();
    const positions = [...new Set(keys)].map((key) => this.#planner.planUnlink(plan, ns, key, link));
    const results = await this.#planner.run(ns, plan);
    return positions.filter((p) => Number(results[p]) === 1).length;
  }

  protected doIndexKeys(ns: string, link: IndexLink, window: number): AsyncIterable<string> {
    return this.#indexes.keys(ns, link, window);
  }

  protected doIndexEntries(ns: string, link: IndexLink, window: number): AsyncIterable<[string, unknown]> {
    return this.#indexes.entriesOf(ns, link, window);
  }

  protected doIndexCount(ns: string, link: IndexLink): Promise<number> {
    return this.#indexes.count(ns, link);
  }

  protected async doIndexHas(ns: string, link: IndexLink, key: string): Promise<boolean> {
    await this.#ready();
    return this.#indexes.has(ns, link, key);
  }

  protected override async doLinksOf(ns: string, key: string): Promise<IndexLink[]> {
    await this.#ready();
    return this.#indexes.linksOf(ns, key);
  }

  protected async doClearIndex(ns: string, link: IndexLink, deleteEntries: boolean): Promise<number> {
    return this.#clearing.clearIndex(ns, link, deleteEntries);
  }

  // ---- batch -----------------------------------------------------------------------------------

  protected async doBatch(ops: readonly BatchOp[]): Promise<BatchResult> {
    const encoded = ops.map(
      (op, i): Encoded => (op.type === 'set' ? this.#encode(op.ns, op.key, op.value, `ops[${i}].value`) : ''),
    );
    await this.#ready();
    return this.#batches.run(ops, encoded);
  }

  protected override onConfigure(_ns: string, _limits: NamespaceLimits): void {
    // Limits live in this process; a lowered max is applied by the next write to the namespace, and a
    // new max first seeds the registry from the stored values (NamespaceRegistry.seeded).
  }
}
