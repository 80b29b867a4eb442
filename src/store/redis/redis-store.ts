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
import { assertPrefix, KeyLayout, linkId, parseLinkId } from './key-layout.js';
import { keySlot } from './key-slot.js';
import { APPLY, CLAIM, EVICT, GET_ENTRY, VALIDATE, VALIDATE_PRUNE } from './lua-scripts.js';
import { RedisAudit } from './redis-audit.js';
import { type Encoded, RedisConnection } from './redis-connection.js';
import { RedisLockProvider } from './redis-lock.js';
import { checkRedisOptions, type RedisStoreOptions } from './redis-options.js';
import { type Step, WritePlan } from './write-plan.js';

/** Where a write's reply sits in its plan's results, and what it wrote. */
interface PlannedWrite {
  readonly index: number;
  readonly deleted: boolean;
  readonly links?: readonly IndexLink[] | undefined;
}

/** A set's or delete's reply: the previous value (only when asked for), its links, whether it existed. */
type EntryReply = [previous: string | Buffer | null, links: unknown[], existed?: number];

/** How many writes with an expiry a namespace takes between two prunes of its registry. */
const PRUNE_EVERY = 1000;
/** Registry members checked per prune window (the oldest first). */
const PRUNE_WINDOW = 1000;
/** At most this many windows per prune, so one prune stays short. */
const PRUNE_MAX_WINDOWS = 10;

/** What a write left behind that must be tidied once it is applied (outside the atomic part). */
interface Aftermath {
  /** Index links an entry lost: remove the member from those indexes. */
  readonly unlinked: { ns: string; key: string; link: IndexLink }[];
  /** Indexes that gained members and have a per-parent cap. */
  readonly capped: Map<string, { ns: string; link: IndexLink; cap: number }>;
  /** Namespaces that gained entries and have a max. */
  readonly bounded: Set<string>;
}

/**
 * The Redis and Redis Cluster store, on node-redis. Values are plain strings in the codec's format,
 * expiring natively; parent indexes are ZSETs in the parent's slot; a per-namespace registry ZSET
 * orders entries for lru/fifo eviction and counting without KEYS. The README section "Redis and Redis Cluster" describes the layout.
 */
export class RedisStore extends BaseStore {
  readonly kind = 'redis';
  readonly prefix: string;
  readonly #layout: KeyLayout;
  readonly #codec: Codec;
  readonly #connection: RedisConnection;
  #opened = false;
  /** True when the codec writes bytes (values then travel and come back as Buffers). */
  readonly #binary: boolean;
  /** Tie-breaker so that writes within one millisecond keep their order. */
  #sequence = 0;
  /** Writes with an expiry per namespace since its registry was last pruned. */
  readonly #expiringWrites = new Map<string, number>();
  /** The registry prune running in the background, if any (one at a time). */
  #pruning: Promise<unknown> | undefined;

  constructor(options: RedisStoreOptions = {}) {
    super(checkRedisOptions(options).defaults, options.namespaces);
    this.prefix = options.prefix ?? 'botcache';
    assertPrefix(this.prefix);
    this.#layout = new KeyLayout(this.prefix);
    this.#codec = options.codec ?? new JsonCodec();
    this.#binary = typeof this.#codec.encode(null) !== 'string';
    this.#connection = new RedisConnection(options, {
      error: (error) => this.emit('error', error),
      reconnecting: (info) => this.emit('reconnecting', info),
      ready: () => this.emit('ready'),
    });
    this.locks = new RedisLockProvider(this.#connection, this.prefix, () => {
      this.guard();
      return this.#ready();
    });
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
    await this.#pruning;
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

  /** Decodes for iteration: corrupt data is reported through 'invalidData' and skipped. */
  #decodeOrReport(ns: string, key: string, data: unknown): { ok: boolean; value: unknown } {
    try {
      return { ok: true, value: this.#decode(ns, key, data) };
    } catch (error) {
      if (!(error instanceof InvalidDataFound)) throw error;
      this.emit('invalidData', error);
      return { ok: false, value: undefined };
    }
  }

  #tracksAccess(ns: string): boolean {
    const limits = this.limitsOf(ns);
    return limits.max !== undefined && (limits.policy ?? 'lru') === 'lru';
  }

  // ---- reads -----------------------------------------------------------------------------------

  // No async/await on the hot path when the store is open: one driver promise and one `then`.
  protected doGet(ns: string, key: string): Promise<unknown> {
    if (!this.#opened) return this.open().then(() => this.doGet(ns, key));
    const valueKey = this.#layout.value(ns, key);
    return this.#connection
      .send(ns, valueKey, ['GET', valueKey], true, this.#binary)
      .then((reply) => this.#afterGet(ns, key, reply));
  }

  #afterGet(ns: string, key: string, reply: unknown): unknown {
    const stats = this.statsOf(ns);
    if (reply === null || reply === undefined) {
      stats.misses++;
      return undefined;
    }
    stats.hits++;
    const value = this.#decode(ns, key, reply);
    if (this.#tracksAccess(ns)) return this.#touch(ns, [key]).then(() => value);
    return value;
  }

  /** Marks keys as just read, for lru eviction. */
  async #touch(ns: string, keys: readonly string[]): Promise<void> {
    const registry = this.#layout.registry(ns);
    const args = ['ZADD', registry, 'XX'];
    for (const key of keys) args.push(this.#score(), key);
    await this.#connection.send(ns, registry, args);
  }

  protected async doGetMany(ns: string, keys: readonly string[]): Promise<unknown[]> {
    await this.#ready();
    const raw = await this.#mget(ns, keys);
    const stats = this.statsOf(ns);
    const out = new Array<unknown>(keys.length);
    const hit: string[] = [];
    for (let i = 0; i < keys.length; i++) {
      const data = raw[i];
      if (data === null || data === undefined) {
        stats.misses++;
        continue;
      }
      stats.hits++;
      hit.push(keys[i] as string);
      out[i] = this.#decode(ns, keys[i] as string, data);
    }
    if (hit.length > 0 && this.#tracksAccess(ns)) await this.#touch(ns, hit);
    return out;
  }

  /** Raw values of many keys: one MGET on standalone, one MGET per slot (in parallel) on Cluster. */
  async #mget(ns: string, keys: readonly string[]): Promise<unknown[]> {
    const positions = keys.map((key, i) => ({ full: this.#layout.value(ns, key), i }));
    const out = new Array<unknown>(keys.length);
    await Promise.all(
      this.#connection
        .groupBySlot(positions, (p) => p.full)
        .map(async (group) => {
          const first = group[0]?.full as string;
          const args = ['MGET'];
          for (const p of group) args.push(p.full);
          const reply = (await this.#connection.send(ns, first, args, true, this.#binary)) as
            | unknown[]
            | null;
          group.forEach((p, j) => {
            out[p.i] = reply?.[j] ?? null;
          });
        }),
    );
    return out;
  }

  protected async doGetEntry(ns: string, key: string): Promise<StoredEntry | undefined> {
    await this.#ready();
    const valueKey = this.#layout.value(ns, key);
    const reply = (await this.#connection.evalScript(ns, GET_ENTRY, [valueKey], [], this.#binary)) as
      | [string | Buffer, number]
      | null;
    const stats = this.statsOf(ns);
    if (!reply) {
      stats.misses++;
      return undefined;
    }
    stats.hits++;
    const expiresAt = Number(reply[1]);
    return { value: this.#decode(ns, key, reply[0]), expiresAt: expiresAt > 0 ? expiresAt : undefined };
  }

  protected async doHas(ns: string, key: string): Promise<boolean> {
    await this.#ready();
    const valueKey = this.#layout.value(ns, key);
    return Number(await this.#connection.send(ns, valueKey, ['EXISTS', valueKey], true)) === 1;
  }

  /** Which keys still have a value; registry members without one are dropped from the registry. */
  async #liveKeys(ns: string, keys: readonly string[]): Promise<string[]> {
    const exists = await Promise.all(
      keys.map((key) => {
        const valueKey = this.#layout.value(ns, key);
        return this.#connection.send(ns, valueKey, ['EXISTS', valueKey], true);
      }),
    );
    const live: string[] = [];
    const stale: string[] = [];
    keys.forEach((key, i) => {
      (Number(exists[i]) === 1 ? live : stale).push(key);
    });
    if (stale.length > 0) {
      this.statsOf(ns).expirations += stale.length;
      const registry = this.#layout.registry(ns);
      await this.#connection.send(ns, registry, ['ZREM', registry, ...stale]);
    }
    return live;
  }

  protected async doCount(ns: string): Promise<number> {
    let count = 0;
    for await (const window of this.#registryWindows(ns, 1000))
      count += (await this.#liveKeys(ns, window)).length;
    return count;
  }

  /** The registry in ZSCAN windows, each key at most once (ZSCAN may repeat a key). */
  async *#registryWindows(ns: string, window: number): AsyncIterable<string[]> {
    await this.#ready();
    const registry = this.#layout.registry(ns);
    const seen = new Set<string>();
    let cursor = '0';
    do {
      const reply = (await this.#connection.send(
        ns,
        registry,
        ['ZSCAN', registry, cursor, 'COUNT', String(window)],
        true,
      )) as [string, unknown[]];
      cursor = String(reply[0]);
      const keys: string[] = [];
      const flat = reply[1];
      // ZSCAN answers member, score, member, score…
      for (let i = 0; i < flat.length; i += 2) {
        const key = String(flat[i]);
        if (!seen.has(key)) {
          seen.add(key);
          keys.push(key);
        }
      }
      if (keys.length > 0) yield keys;
    } while (cursor !== '0');
  }

  protected async *doKeys(ns: string, window: number): AsyncIterable<string> {
    for await (const keys of this.#registryWindows(ns, window)) yield* await this.#liveKeys(ns, keys);
  }

  protected async *doEntries(ns: string, window: number): AsyncIterable<[string, unknown]> {
    for await (const keys of this.#registryWindows(ns, window)) yield* await this.#values(ns, keys);
  }

  /** Live [key, value] pairs of some keys, corrupt ones reported and skipped. */
  async #values(ns: string, keys: readonly string[]): Promise<[string, unknown][]> {
    const raw = await this.#mget(ns, keys);
    const out: [string, unknown][] = [];
    for (let i = 0; i < keys.length; i++) {
      if (raw[i] === null || raw[i] === undefined) continue;
      const decoded = this.#decodeOrReport(ns, keys[i] as string, raw[i]);
      if (decoded.ok) out.push([keys[i] as string, decoded.value]);
    }
    return out;
  }

  // ---- writes ----------------------------------------------------------------------------------

  /** Absolute expiry of a write: 0 for never, a past time for "delete instead". */
  #expiryOf(ns: string, options: SetOptions | undefined): number {
    if (options?.expiresAt !== undefined) return Math.max(1, Math.floor(options.expiresAt));
    const ttl = options?.ttl ?? this.limitsOf(ns).ttl ?? Number.POSITIVE_INFINITY;
    return Number.isFinite(ttl) ? Date.now() + Math.ceil(ttl) : 0;
  }

  /** Adds the steps of one set (or delete, for an expiry already past) to a plan. */
  #planSet(
    plan: WritePlan,
    ns: string,
    key: string,
    encoded: Encoded,
    options: SetOptions | undefined,
    wantOld: boolean,
  ): PlannedWrite {
    const pxat = this.#expiryOf(ns, options);
    if (pxat !== 0 && pxat <= Date.now())
      return { index: this.#planDelete(plan, ns, key, wantOld), deleted: true };
    if (pxat !== 0) this.#expiringWrites.set(ns, (this.#expiringWrites.get(ns) ?? 0) + 1);
    const links = options?.indexes ? dedupeLinks(options.indexes) : undefined;
    const valueKey = this.#layout.value(ns, key);
    const zadds: Step[] = (links ?? []).map((link) => {
      const index = this.#layout.index(ns, link);
      // An index in the entry's slot (always on standalone) is written in the entry's own script, right
      // after it ('auto' reads which links the entry had): no reader can run between the two halves,
      // and no failover can keep one without the other. Only an index in another slot goes first, alone.
      const together = this.#sameSlot(index, valueKey);
      return {
        op: 'zadd',
        keys: [index],
        args: [this.#score(), key, linkId(link), together ? 'auto' : 'nx'],
        phase: together ? 1 : 0,
      };
    });
    const setStep: Step = {
      op: 'set',
      keys: [valueKey, this.#layout.links(ns, key)],
      args: [
        encoded, // Buffers travel as they are
        String(pxat),
        options?.ifExists ? 'existing' : links ? 'replace' : 'keep',
        wantOld ? '1' : '0',
        String(links?.length ?? 0),
        ...(links ?? []).map(linkId),
      ],
      phase: 1,
    };
    // Plan order is script order within a slot: the set, then its zadds.
    const index = plan.add(setStep);
    for (const z of zadds) plan.add(z);
    plan.register(this.#layout.registry(ns), key, this.#score());
    return { index, deleted: false, links };
  }

  #planDelete(plan: WritePlan, ns: string, key: string, wantOld = false): number {
    const index = plan.add({
      op: 'del',
      keys: [this.#layout.value(ns, key), this.#layout.links(ns, key)],
      args: [wantOld ? '1' : '0'],
      phase: 1,
    });
    plan.unregister(this.#layout.registry(ns), key);
    return index;
  }

  /** Runs a plan: one atomic script on standalone, phase by phase and slot by slot on Cluster. */
  async #run(ns: string, plan: WritePlan): Promise<unknown[]> {
    if (plan.size === 0) return [];
    if (!this.#connection.isCluster) {
      const { keys, args } = plan.encode(plan.steps);
      return (await this.#connection.evalScript(ns, APPLY, keys, args, this.#binary)) as unknown[];
    }
    const results = new Array<unknown>(plan.size);
    for (const phase of [0, 1, 2] as const) {
      const steps = plan.steps.map((step, i) => ({ step, i })).filter(({ step }) => step.phase === phase);
      // One script call per slot and phase: a bulk write costs a few calls per slot, not one per step.
      const groups = this.#connection.groupBySlot(steps, ({ step }) => step.keys[0] as string);
      await Promise.all(
        groups.map(async (group) => {
          const { keys, args } = plan.encode(group.map(({ step }) => step));
          const reply = (await this.#connection.evalScript(ns, APPLY, keys, args, this.#binary)) as unknown[];
          group.forEach(({ i }, j) => {
            results[i] = reply[j];
          });
        }),
      );
    }
    return results;
  }

  #newAftermath(): Aftermath {
    return { unlinked: [], capped: new Map(), bounded: new Set() };
  }

  /** Notes what a set or delete changed, for the tidy-up that follows it. */
  #noteWrite(
    after: Aftermath,
    ns: string,
    key: string,
    reply: EntryReply,
    newLinks: readonly IndexLink[] | undefined,
    deleted: boolean,
  ): void {
    const oldLinks = (reply[1] ?? []).map((id) => parseLinkId(String(id)));
    if (deleted || newLinks) {
      for (const old of oldLinks) {
        if (deleted || !newLinks?.some((l) => l.by === old.by && l.parent === old.parent)) {
          after.unlinked.push({ ns, key, link: old });
        }
      }
    }
    if (deleted) return;
    this.statsOf(ns).sets++;
    const limits = this.limitsOf(ns);
    if (limits.max !== undefined) after.bounded.add(ns);
    for (const link of newLinks ?? []) this.#noteLinked(after, ns, link);
  }

  #noteLinked(after: Aftermath, ns: string, link: IndexLink): void {
    const cap = this.limitsOf(ns).maxPerParent?.[link.by];
    if (cap !== undefined) after.capped.set(this.#layout.index(ns, link), { ns, link, cap });
  }

  /** Removes lost links from indexes, then enforces per-parent caps and namespace maxima. */
  async #tidy(after: Aftermath): Promise<void> {
    if (after.unlinked.length === 0 && after.capped.size === 0 && after.bounded.size === 0) return;
    if (after.unlinked.length > 0) {
      // Through #validate, not a plain ZREM: a key that another process linked again since our write
      // must keep its index entry, so removal is checked against the link set in the same script.
      const byIndex = new Map<string, { ns: string; link: IndexLink; keys: string[] }>();
      for (const { ns, key, link } of after.unlinked) {
        const index = this.#layout.index(ns, link);
        const group = byIndex.get(index) ?? { ns, link, keys: [] };
        byIndex.set(index, group);
        group.keys.push(key);
      }
      await Promise.all([...byIndex.values()].map(({ ns, link, keys }) => this.#validate(ns, link, keys)));
    }
    for (const { ns, link, cap } of after.capped.values()) await this.#trimIndex(ns, link, cap);
    for (const ns of after.bounded) {
      const max = this.limitsOf(ns).max;
      if (max !== undefined) await this.#trimNamespace(ns, max);
    }
  }

  /** Drops the oldest members of an index above its cap: stale ones quietly, live ones as evictions. */
  async #trimIndex(ns: string, link: IndexLink, cap: number): Promise<void> {
    const index = this.#layout.index(ns, link);
    const size = Number(await this.#connection.send(ns, index, ['ZCARD', index], true));
    if (size <= cap) return;
    const oldest = (await this.#connection.send(
      ns,
      index,
      ['ZRANGE', index, '0', String(size - cap - 1)],
      true,
    )) as string[] | null;
    const valid = await this.#validate(ns, link, (oldest ?? []).map(String));
    const evicted = await this.#removeEntries(ns, valid);
    this.statsOf(ns).evictions += evicted;
  }

  /**
   * Drops the least recently written (fifo) or used (lru) entries above the namespace's max. An entry
   * picked here but rewritten (or read, under lru) by someone else before it is deleted stays: the
   * delete checks the registry score it was picked at, in the same script on standalone.
   */
  async #trimNamespace(ns: string, max: number): Promise<void> {
    const registry = this.#layout.registry(ns);
    const size = Number(await this.#connection.send(ns, registry, ['ZCARD', registry], true));
    if (size <= max) return;
    const picked = scoredPairs(
      (await this.#connection.send(
        ns,
        registry,
        ['ZRANGE', registry, '0', String(size - max - 1), 'WITHSCORES'],
        true,
      )) as unknown[] | null,
    );
    if (picked.length === 0) return;
    const pickedArgs: string[] = [];
    for (const [member, score] of picked) pickedArgs.push(member, score);
    const stats = this.statsOf(ns);
    if (this.#connection.isCluster) {
      // The registry and the entries live in different slots: claim in the registry's slot first
      // (only members still at their picked score), then delete what was claimed.
      const claimed = (
        (await this.#connection.evalScript(ns, CLAIM, [registry], pickedArgs)) as unknown[]
      ).map(String);
      const evicted = await this.#removeEntries(ns, claimed);
      stats.evictions += evicted;
      stats.expirations += claimed.length - evicted;
      return;
    }
    const keys = [registry];
    for (const [member] of picked) keys.push(this.#layout.value(ns, member), this.#layout.links(ns, member));
    const replies = (await this.#connection.evalScript(ns, EVICT, keys, pickedArgs)) as (EntryReply | null)[];
    const after = this.#newAftermath();
    picked.forEach(([member], i) => {
      const reply = replies[i];
      if (!reply) return; // touched since it was picked: it stays
      if (Number(reply[2]) === 1) stats.evictions++;
      else stats.expirations++;
      this.#noteWrite(after, ns, member, reply, undefined, true);
    });
    await this.#tidy(after);
  }

  /**
   * Drops registry members whose entry expired, oldest first, in windows; stops at a window that is
   * mostly alive. Runs by itself every {@link PRUNE_EVERY} writes with an expiry to a namespace, so
   * the registry of a namespace with a TTL and no max does not grow forever. Resolves to how many
   * members it dropped.
   */
  async pruneRegistry(ns: string): Promise<number> {
    this.guard();
    this.checkNamespace(ns);
    await this.#ready();
    this.#expiringWrites.set(ns, 0);
    const registry = this.#layout.registry(ns);
    let dropped = 0;
    let from = 0;
    for (let round = 0; round < PRUNE_MAX_WINDOWS; round++) {
      const window = (
        ((await this.#connection.send(
          ns,
          registry,
          ['ZRANGE', registry, String(from), String(from + PRUNE_WINDOW - 1)],
          true,
        )) as unknown[] | null) ?? []
      ).map(String);
      if (window.length === 0) break;
      const live = await this.#liveKeys(ns, window);
      dropped += window.length - live.length;
      // Live members keep their place: the next window starts after them.
      from += live.length;
      if (window.length < PRUNE_WINDOW || live.length * 2 > window.length) break;
    }
    return dropped;
  }

  /** Starts a background registry prune when a namespace has taken enough writes with an expiry. */
  #maybePrune(ns: string): void {
    const writes = this.#expiringWrites.get(ns) ?? 0;
    if (writes < PRUNE_EVERY || this.#pruning || this.closed) return;
    this.#pruning = this.pruneRegistry(ns)
      .catch((error: unknown) => {
        // A failed prune only delays the tidy-up; the store reports it and carries on.
        if (error instanceof Error && !this.closed) this.emit('error', error);
      })
      .finally(() => {
        this.#pruning = undefined;
      });
  }

  /** Deletes entries with their links and registry membership; resolves to how many existed. */
  async #removeEntries(ns: string, keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const plan = new WritePlan();
    const positions = keys.map((key) => this.#planDelete(plan, ns, key));
    const results = await this.#run(ns, plan);
    const after = this.#newAftermath();
    let existed = 0;
    keys.forEach((key, i) => {
      const reply = results[positions[i] as number] as EntryReply;
      if (Number(reply[2]) === 1) existed++;
      this.#noteWrite(after, ns, key, reply, undefined, true);
    });
    await this.#tidy(after);
    return existed;
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
      this.#planSet(plan, ns, key, encoded, options, false),
    );
    const results = await this.#run(ns, plan);
    const after = this.#newAftermath();
    entries.forEach(([key], i) => {
      const step = planned[i] as PlannedWrite;
      this.#noteWrite(after, ns, key, results[step.index] as EntryReply, step.links, step.deleted);
    });
    await this.#tidy(after);
    this.#maybePrune(ns);
  }

  protected async doDelete(ns: string, key: string): Promise<boolean> {
    return (await this.doDeleteMany(ns, [key])) === 1;
  }

  protected async doDeleteMany(ns: string, keys: readonly string[]): Promise<number> {
    await this.#ready();
    const existed = await this.#removeEntries(ns, [...new Set(keys)]);
    this.statsOf(ns).deletes += existed;
    return existed;
  }

  protected async doClear(ns: string): Promise<void> {
    await this.#ready();
    for await (const keys of this.#connection.scan(ns, this.#layout.namespacePattern(ns), 1000)) {
      await Promise.all(
        this.#connection
          .groupBySlot(keys, (key) => key)
          .map((group) => this.#connection.send(ns, group[0] as string, ['UNLINK', ...group])),
      );
    }
  }

  // ---- indexes ---------------------------------------------------------------------------------

  /**
   * Which of `keys` are valid members of the index (their entry lives and still has the link); the others
   * are dropped from the index in the same script that checked them, where the link sets share the
   * index's slot (always on standalone). Across slots (Cluster, an entry tagged apart from its parent)
   * check and removal are two steps, so a member re-linked in between can lose its index entry until
   * its next write.
   */
  async #validate(ns: string, link: IndexLink, keys: readonly string[]): Promise<string[]> {
    if (keys.length === 0) return [];
    const id = linkId(link);
    const index = this.#layout.index(ns, link);
    const indexSlot = this.isCluster ? keySlot(index) : 0;
    const flags = new Array<boolean>(keys.length).fill(false);
    const positions = keys.map((key, i) => ({ full: this.#layout.links(ns, key), key, i }));
    const crossSlotStale: string[] = [];
    await Promise.all(
      this.#connection
        .groupBySlot(positions, (p) => p.full)
        .map(async (group) => {
          const sameSlot = !this.isCluster || keySlot(group[0]?.full ?? '') === indexSlot;
          const reply = (
            sameSlot
              ? await this.#connection.evalScript(
                  ns,
                  VALIDATE_PRUNE,
                  [index, ...group.map((p) => p.full)],
                  [id, ...group.map((p) => p.key)],
                )
              : await this.#connection.evalScript(
                  ns,
                  VALIDATE,
                  group.map((p) => p.full),
                  [id],
                )
          ) as number[];
          group.forEach((p, j) => {
            flags[p.i] = Number(reply[j]) === 1;
            if (!sameSlot && !flags[p.i]) crossSlotStale.push(p.key);
          });
        }),
    );
    if (crossSlotStale.length > 0) await this.#connection.send(ns, index, ['ZREM', index, ...crossSlotStale]);
    return keys.filter((_, i) => flags[i]);
  }

  /** Valid members of an index in windows, oldest link first (pages by score, so removals skip nothing). */
  async *#indexWindows(ns: string, link: IndexLink, window: number): AsyncIterable<string[]> {
    await this.#ready();
    const index = this.#layout.index(ns, link);
    const seen = new Set<string>();
    let from = '-inf';
    for (;;) {
      const reply = (await this.#connection.send(
        ns,
        index,
        ['ZRANGE', index, from, '+inf', 'BYSCORE', 'LIMIT', '0', String(window), 'WITHSCORES'],
        true,
      )) as unknown[];
      const page = scoredPairs(reply);
      const fresh = page.filter(([member]) => !seen.has(member)).map(([member]) => member);
      for (const member of fresh) seen.add(member);
      if (fresh.length > 0) {
        const valid = await this.#validate(ns, link, fresh);
        if (valid.length > 0) yield valid;
      }
      const last = page[page.length - 1];
      if (page.length < window || !last || fresh.length === 0) return;
      from = String(last[1]); // inclusive: members sharing the last score are filtered by `seen`
    }
  }

  protected async doLink(ns: string, link: IndexLink, keys: readonly string[]): Promise<number> {
    await this.#ready();
    const plan = new WritePlan();
    const positions = [...new Set(keys)].map((key) => this.#planLink(plan, ns, key, link));
    const results = await this.#run(ns, plan);
    const linked = positions.filter((p) => Number(results[p]) === 1).length;
    const after = this.#newAftermath();
    this.#noteLinked(after, ns, link);
    await this.#tidy(after);
    return linked;
  }

  #planLink(plan: WritePlan, ns: string, key: string, link: IndexLink): number {
    const index = plan.add({
      op: 'link',
      keys: [this.#layout.value(ns, key), this.#layout.links(ns, key)],
      args: [linkId(link)],
      phase: 1,
    });
    const indexKey = this.#layout.index(ns, link);
    plan.add({
      op: 'zadd',
      keys: [indexKey],
      args: [this.#score(), key, '', 'nx'],
      phase: this.#sameSlot(indexKey, this.#layout.links(ns, key)) ? 1 : 0,
    });
    return index;
  }

  /** Whether two keys share a slot: always on standalone, where one script holds a whole plan. */
  #sameSlot(a: string, b: string): boolean {
    return !this.#connection.isCluster || keySlot(a) === keySlot(b);
  }

  #planUnlink(plan: WritePlan, ns: string, key: string, link: IndexLink): number {
    const index = plan.add({
      op: 'unlink',
      keys: [this.#layout.links(ns, key)],
      args: [linkId(link)],
      phase: 1,
    });
    const indexKey = this.#layout.index(ns, link);
    const together = this.#sameSlot(indexKey, this.#layout.links(ns, key));
    plan.add({ op: 'zrem', keys: [indexKey], args: [key], phase: together ? 1 : 2 });
    return index;
  }

  protected async doUnlink(ns: string, link: IndexLink, keys: readonly string[]): Promise<number> {
    await this.#ready();
    const plan = new WritePlan();
    const positions = [...new Set(keys)].map((key) => this.#planUnlink(plan, ns, key, link));
    const results = await this.#run(ns, plan);
    return positions.filter((p) => Number(results[p]) === 1).length;
  }

  protected async *doIndexKeys(ns: string, link: IndexLink, window: number): AsyncIterable<string> {
    for await (const keys of this.#indexWindows(ns, link, window)) yield* keys;
  }

  protected async *doIndexEntries(
    ns: string,
    link: IndexLink,
    window: number,
  ): AsyncIterable<[string, unknown]> {
    for await (const keys of this.#indexWindows(ns, link, window)) yield* await this.#values(ns, keys);
  }

  protected async doIndexCount(ns: string, link: IndexLink): Promise<number> {
    let count = 0;
    for await (const keys of this.#indexWindows(ns, link, 1000)) count += keys.length;
    return count;
  }

  protected async doIndexHas(ns: string, link: IndexLink, key: string): Promise<boolean> {
    await this.#ready();
    const index = this.#layout.index(ns, link);
    const score = await this.#connection.send(ns, index, ['ZSCORE', index, key], true);
    if (score === null || score === undefined) return false;
    return (await this.#validate(ns, link, [key])).length === 1;
  }

  /** The entry's link set (same slot as its value, expiring with it); empty once the value is gone. */
  protected override async doLinksOf(ns: string, key: string): Promise<IndexLink[]> {
    await this.#ready();
    const valueKey = this.#layout.value(ns, key);
    const linksKey = this.#layout.links(ns, key);
    const exists = Number(await this.#connection.send(ns, valueKey, ['EXISTS', valueKey], true));
    if (exists !== 1) return [];
    const ids = (await this.#connection.send(ns, linksKey, ['SMEMBERS', linksKey], true)) as unknown[] | null;
    return (ids ?? []).map((id) => parseLinkId(String(id)));
  }

  protected async doClearIndex(ns: string, link: IndexLink, deleteEntries: boolean): Promise<number> {
    const members: string[] = [];
    for await (const keys of this.#indexWindows(ns, link, 1000)) members.push(...keys);
    if (deleteEntries) {
      const existed = await this.#removeEntries(ns, members);
      this.statsOf(ns).deletes += existed;
    } else if (members.length > 0) {
      const plan = new WritePlan();
      for (const key of members) this.#planUnlink(plan, ns, key, link);
      await this.#run(ns, plan);
    }
    // Not DEL: a member another process linked after our read keeps its place; only unlinked ones go.
    for (let i = 0; i < members.length; i += 1000) await this.#validate(ns, link, members.slice(i, i + 1000));
    return members.length;
  }

  // ---- batch -----------------------------------------------------------------------------------

  /**
   * set/delete/link/unlink run as one script on standalone (atomic as a whole) and slot by slot on
   * Cluster. clearIndex and clear read before they write, so each runs as its own step, in order.
   */
  protected async doBatch(ops: readonly BatchOp[]): Promise<BatchResult> {
    const encoded = ops.map(
      (op, i): Encoded => (op.type === 'set' ? this.#encode(op.ns, op.key, op.value, `ops[${i}].value`) : ''),
    );
    await this.#ready();
    const results = new Array<unknown>(ops.length);
    const capBoundaries = await this.#capBoundaries(ops);
    let start = 0;
    while (start < ops.length) {
      const op = ops[start] as BatchOp;
      if (op.type === 'clear') {
        await this.doClear(op.ns);
        results[start++] = undefined;
        continue;
      }
      if (op.type === 'clearIndex') {
        results[start++] = await this.doClearIndex(op.ns, op.link, op.options?.deleteEntries === true);
        continue;
      }
      let end = start;
      while (end < ops.length && ops[end]?.type !== 'clear' && ops[end]?.type !== 'clearIndex') {
        end++;
        if (capBoundaries.has(end - 1)) break;
      }
      await this.#runSegment(ops, encoded, start, end, results);
      start = end;
    }
    return results;
  }

  /**
   * Where a batch must be cut so that per-parent caps apply at each insert, in order, as if the ops ran
   * one by one (MemoryStore, SQLite, discord.js's LimitedCollection): after an op that links into a
   * capped index which may overflow within the batch, when a later op touches the same namespace (a later
   * delete must not free room that the insert's eviction already took). The index size read here is an
   * upper bound (it may hold stale members), so an index that cannot overflow is never cut.
   */
  async #capBoundaries(ops: readonly BatchOp[]): Promise<Set<number>> {
    const adds = new Map<string, { ns: string; cap: number; positions: number[] }>();
    ops.forEach((op, i) => {
      const links = op.type === 'set' ? (op.options?.indexes ?? []) : op.type === 'link' ? [op.link] : [];
      for (const link of links) {
        const cap = this.limitsOf(op.ns).maxPerParent?.[link.by];
        if (cap === undefined) continue;
        const index = this.#layout.index(op.ns, link);
        const group = adds.get(index) ?? { ns: op.ns, cap, positions: [] };
        adds.set(index, group);
        group.positions.push(i);
      }
    });
    const boundaries = new Set<number>();
    if (adds.size === 0) return boundaries;
    const lastOfNs = new Map<string, number>();
    ops.forEach((op, i) => {
      lastOfNs.set(op.ns, i);
    });
    await Promise.all(
      [...adds].map(async ([index, { ns, cap, positions }]) => {
        const size = Number(await this.#connection.send(ns, index, ['ZCARD', index], true));
        if (size + positions.length <= cap) return;
        for (const i of positions) {
          if ((lastOfNs.get(ns) ?? -1) > i) boundaries.add(i);
        }
      }),
    );
    return boundaries;
  }

  async #runSegment(
    ops: readonly BatchOp[],
    encoded: readonly Encoded[],
    start: number,
    end: number,
    results: unknown[],
  ): Promise<void> {
    const plan = new WritePlan();
    const planned: PlannedWrite[] = [];
    for (let i = start; i < end; i++) {
      const op = ops[i] as Exclude<BatchOp, { type: 'clear' } | { type: 'clearIndex' }>;
      if (op.type === 'set')
        planned.push(this.#planSet(plan, op.ns, op.key, encoded[i] as Encoded, op.options, true));
      else if (op.type === 'delete')
        planned.push({ index: this.#planDelete(plan, op.ns, op.key, false), deleted: true });
      else if (op.type === 'link')
        planned.push({ index: this.#planLink(plan, op.ns, op.key, op.link), deleted: false });
      else planned.push({ index: this.#planUnlink(plan, op.ns, op.key, op.link), deleted: false });
    }
    const replies = await this.#run((ops[start] as BatchOp).ns, plan);
    const after = this.#newAftermath();
    for (let i = start; i < end; i++) {
      const op = ops[i] as Exclude<BatchOp, { type: 'clear' } | { type: 'clearIndex' }>;
      const step = planned[i - start] as (typeof planned)[number];
      const reply = replies[step.index];
      if (op.type === 'set' || op.type === 'delete') {
        const entry = reply as EntryReply;
        this.#noteWrite(after, op.ns, op.key, entry, step.links, step.deleted);
        const previous = entry[0];
        const existed =
          op.type === 'delete' ? Number(entry[2]) === 1 : previous !== null && previous !== undefined;
        if (op.type === 'delete') {
          if (existed) this.statsOf(op.ns).deletes++;
          results[i] = existed;
        } else {
          results[i] = existed ? this.#previousValue(op.ns, op.key, previous) : undefined;
        }
      } else {
        if (op.type === 'link') this.#noteLinked(after, op.ns, op.link);
        results[i] = Number(reply) === 1;
      }
    }
    await this.#tidy(after);
  }

  /** A set's previous value; a corrupt one is reported and read as absent rather than failing the write. */
  #previousValue(ns: string, key: string, data: unknown): unknown {
    return this.#decodeOrReport(ns, key, data).value;
  }

  protected override onConfigure(_ns: string, _limits: NamespaceLimits): void {
    // Limits live in this process; a lowered max is applied by the next write to the namespace.
  }
}

function dedupeLinks(links: readonly IndexLink[]): IndexLink[] {
  const seen = new Set<string>();
  const out: IndexLink[] = [];
  for (const link of links) {
    const id = linkId(link);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ by: link.by, parent: link.parent });
  }
  return out;
}

/** ZRANGE … WITHSCORES as [member, score] pairs, whether the reply is RESP3 pairs or a flat RESP2 list. */
function scoredPairs(reply: unknown[] | null): [member: string, score: string][] {
  if (!reply || reply.length === 0) return [];
  if (Array.isArray(reply[0])) return (reply as [unknown, unknown][]).map(([m, s]) => [String(m), String(s)]);
  const out: [string, string][] = [];
  for (let i = 0; i < reply.length; i += 2) out.push([String(reply[i]), String(reply[i + 1])]);
  return out;
}
