/**
 * A botcache ingest worker: consumes the partition streams the gateway side publishes through
 * @discordjs/brokers, in the broker's consumer group and wire format, and applies them with a
 * DiscordEventManager to a shared store (Redis or Redis Cluster).
 *
 * - Per-guild order: a guild's dispatches are in one partition, and each partition has one owner at a
 *   time (a lease in the store); the owner hands its entries to the event manager in stream order.
 * - Shared entities: an entry waits until the partitions named in its `after` have applied that far
 *   (their owners record their applied prefix in the store), so a user ends with its latest copy.
 * - A worker that dies loses nothing: once its leases expire another worker takes its partitions,
 *   claims their pending entries (XAUTOCLAIM, which the broker's own consumer never does), skips
 *   those recorded as applied and applies the rest before new ones.
 * Why not the broker's own consumer loop: it reads only new entries (`>`), never claims a dead
 * consumer's, reads on without waiting for its listeners, and `unsubscribe` deletes the consumer with
 * its pending entries; a partition handed over must not lose or reorder any.
 */
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LockProvider, Store } from '../../../store/types.js';
import { type Duration, timerDuration } from '../../../util/duration.js';
import type { DiscordCache } from '../discord-types.js';
import { DiscordEventManager, type DiscordEventManagerOptions } from '../event-manager.js';
import {
  type IngestEnvelope,
  type IngestStreamOptions,
  isEnvelope,
  partitionStream,
  streamOptions,
} from './ingest-envelope.js';
import { PartitionProgress, parseProgress } from './partition-progress.js';
import { type IngestRedisLike, StreamCommands, type StreamEntry } from './stream-client.js';

export interface IngestWorkerOptions extends IngestStreamOptions {
  /** The ioredis client of the streams' Redis (the one given to `PubSubRedisBroker`). The worker duplicates it for its blocking reads. */
  readonly redis: IngestRedisLike;
  /** The broker's decoder (its `decode` option; `decode` of @msgpack/msgpack by default in the broker). */
  readonly decode: (data: Buffer) => unknown;
  /** The cache to keep (its store must offer locks: Redis, Cluster), or an event manager over it. */
  readonly cache: DiscordCache | DiscordEventManager;
  /** This worker's slot, 0 ≤ slot < slots: it prefers the partitions `p % slots === slot`. */
  readonly slot: number;
  /** How many worker slots there are. */
  readonly slots: number;
  /** Consumer group. Default `'botcache-ingest'`. */
  readonly group?: string;
  /** Consumer name in the group. Default `<host>-<pid>-<slot>`. */
  readonly consumer?: string;
  /** Lease time of a slot and a partition (ms or `'10s'`-style): a dead worker's partitions move after about twice this. Default 10 000 ms. */
  readonly leaseTtl?: Duration;
  /** Entries read or claimed per command. Default 256. */
  readonly readCount?: number;
  /** How long a read blocks waiting for new entries (ms or `'1s'`-style). Default 1000 ms. */
  readonly blockTimeout?: Duration;
  /** Most entries of one partition read but not yet recorded as applied. Default 4096. */
  readonly maxInFlight?: number;
  /** Options of the event manager the worker creates (when `cache` is a cache). */
  readonly events?: DiscordEventManagerOptions;
}

export interface IngestWorkerStats {
  /** Entries read or claimed. */
  read: number;
  /** Of them, pending entries claimed from another (or an earlier) consumer. */
  claimed: number;
  /** Entries handed to the event manager. */
  handed: number;
  /** Claimed entries skipped because their previous owner recorded them as applied. */
  duplicates: number;
  /** Entries without a decodable envelope (acked, not applied). */
  malformed: number;
  /** Entries acked. */
  acked: number;
  /** Times an entry waited for another partition's progress. */
  dependencyWaits: number;
  /** Partitions taken (at start, and from dead workers). */
  takeovers: number;
  /** Partitions given back to their slot's worker. */
  handedBack: number;
  /** Leases lost (this worker could not renew in time). */
  lost: number;
  /** Failed stream or store commands (retried). */
  errors: number;
}

export interface IngestWorker {
  readonly events: DiscordEventManager;
  readonly stats: IngestWorkerStats;
  /** The partitions this worker owns now. */
  readonly partitions: ReadonlySet<number>;
  /** Resolves once every entry read so far is applied, recorded and acked. */
  idle(): Promise<void>;
  /** Stops reading, finishes and acks what was handed over, gives up its leases. Entries read but not handed stay pending for the next owner. */
  stop(): Promise<void>;
}

/** The store namespace of the recorded progress. */
export const PROGRESS_NAMESPACE = 'ingest-progress';

interface QueuedEntry {
  readonly id: string;
  readonly envelope: IngestEnvelope | undefined;
  /** Claimed from a previous owner: it may have been applied without being recorded. */
  readonly claimed: boolean;
}

interface Partition {
  readonly index: number;
  readonly stream: string;
  token: string;
  state: 'claiming' | 'reading' | 'leaving' | 'lost';
  readonly queue: QueuedEntry[];
  readonly progress: PartitionProgress;
  pumping: boolean;
  flushing: Promise<void> | undefined;
  dirty: boolean;
  readonly unacked: string[];
}

function integer(value: number | undefined, fallback: number, name: string, min: number): number {
  const out = value ?? fallback;
  if (!Number.isInteger(out) || out < min)
    throw new RangeError(`${name} must be an integer ≥ ${min} (got ${String(value)})`);
  return out;
}

export async function startIngestWorker(options: IngestWorkerOptions): Promise<IngestWorker> {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const { redis, decode } = options;
  if (typeof redis?.callBuffer !== 'function' || typeof redis.duplicate !== 'function') {
    throw new TypeError('redis must be an ioredis client (the one the broker uses)');
  }
  if (typeof decode !== 'function') throw new TypeError('decode must be the broker’s decode function');
  const { stream, partitions: partitionCount } = streamOptions(options);
  const slots = integer(options.slots, 1, 'slots', 1);
  const slot = integer(options.slot, 0, 'slot', 0);
  if (slot >= slots) throw new RangeError(`slot must be below slots (got ${slot} of ${slots})`);
  const group = options.group ?? 'botcache-ingest';
  const consumer = options.consumer ?? `${hostname()}-${process.pid}-${slot}`;
  const leaseTtl = Math.ceil(timerDuration(options.leaseTtl, 'leaseTtl', 10_000));
  if (leaseTtl < 100)
    throw new RangeError(`leaseTtl must be at least 100 ms (got ${String(options.leaseTtl)})`);
  const readCount = integer(options.readCount, 256, 'readCount', 1);
  const blockTimeout = Math.ceil(timerDuration(options.blockTimeout, 'blockTimeout', 1000));
  const maxInFlight = integer(options.maxInFlight, 4096, 'maxInFlight', 1);
  const events =
    options.cache instanceof DiscordEventManager
      ? options.cache
      : new DiscordEventManager(options.cache, options.events);
  const store: Store = events.cache.store;
  const locks: LockProvider | undefined = store.locks;
  if (locks?.extend === undefined) {
    throw new TypeError(
      `the cache's store (${store.kind}) offers no renewable locks: use a RedisStore (standalone or Cluster)`,
    );
  }
  const extend = locks.extend.bind(locks);

  const commands = new StreamCommands(redis, group, consumer);
  const readerClient = redis.duplicate();
  const reader = new StreamCommands(readerClient, group, consumer);
  const lockName = (kind: string, n: number): string => `ingest:${group}:${stream}:${kind}:${n}`;
  const progressKey = (p: number): string => `${group}:${stream}:${p}`;
  const stats: IngestWorkerStats = {
    read: 0,
    claimed: 0,
    handed: 0,
    duplicates: 0,
    malformed: 0,
    acked: 0,
    dependencyWaits: 0,
    takeovers: 0,
    handedBack: 0,
    lost: 0,
    errors: 0,
  };
  const owned = new Map<number, Partition>();
  /** Other partitions' applied prefixes, per publisher, as last read from the store. */
  const known = new Map<number, Map<string, number>>();
  /** Slots seen dead since (ms): a slot counts as dead once it stayed so for a lease time. */
  const deadSince = new Map<number, number>();
  let running = true;
  let currentRead: { streams: Set<number>; done: Promise<void> } | undefined;
  let wake: (() => void) | undefined;
  const signal = (): void => {
    wake?.();
  };
  const report = (error: unknown): void => {
    stats.errors += 1;
    process.emitWarning(error instanceof Error ? error : new Error(String(error)), 'IngestWorkerWarning');
  };

  const decodeEntry = (entry: StreamEntry): IngestEnvelope | undefined => {
    if (entry.data === undefined) return undefined;
    try {
      const value = decode(entry.data);
      return isEnvelope(value) ? value : undefined;
    } catch {
      return undefined;
    }
  };

  // ---- dependencies between partitions -----------------------------------------------------------
  const progressOf = (q: number, publisher: string): number => {
    const mine = owned.get(q);
    const local =
      mine === undefined
        ? 0
        : Math.max(mine.progress.handed.get(publisher) ?? 0, mine.progress.prefixOf(publisher));
    return Math.max(local, known.get(q)?.get(publisher) ?? 0, handedBefore.get(q)?.get(publisher) ?? 0);
  };
  /** What this process handed of partitions it no longer owns: its event manager still orders them. */
  const handedBefore = new Map<number, Map<string, number>>();
  const unmet = (envelope: IngestEnvelope): number[] => {
    const out: number[] = [];
    for (const [q, seq] of Object.entries(envelope.after ?? {})) {
      if (progressOf(Number(q), envelope.publisher) < seq) out.push(Number(q));
    }
    return out;
  };
  const refresh = async (qs: readonly number[]): Promise<void> => {
    if (qs.length === 0) return;
    const values = await store.getMany(PROGRESS_NAMESPACE, qs.map(progressKey));
    qs.forEach((q, i) => {
      const map = known.get(q) ?? new Map<string, number>();
      for (const [publisher, { prefix }] of parseProgress(values[i])) {
        if (prefix > (map.get(publisher) ?? 0)) map.set(publisher, prefix);
      }
      known.set(q, map);
    });
  };

  /**
   * Whether a claimed, unrecorded entry was applied by the owner that died: only a MESSAGE_CREATE can
   * tell (its message is cached) and must not run twice (a second create moves the message to the
   * newest place of its channel, so the cap would later drop another one). Every other dispatch may
   * run twice (writes and merges of the same payload, deletes).
   */
  const appliedBefore = async (envelope: IngestEnvelope): Promise<boolean> => {
    const { t, d } = envelope.dispatch;
    if (t !== 'MESSAGE_CREATE' || typeof d !== 'object' || d === null) return false;
    const id = (d as { id?: unknown }).id;
    if (typeof id !== 'string') return false;
    try {
      return await events.cache.messages.has(id);
    } catch {
      return false;
    }
  };

  // ---- applying a partition ------------------------------------------------------------------------
  const active = (partition: Partition): boolean =>
    running && (partition.state === 'claiming' || partition.state === 'reading');

  const pump = async (partition: Partition): Promise<void> => {
    if (partition.pumping) return;
    partition.pumping = true;
    try {
      let delay = 1;
      while (active(partition) && partition.queue.length > 0 && partition.progress.inFlight < maxInFlight) {
        const { id, envelope, claimed } = partition.queue[0]!;
        if (envelope === undefined) {
          partition.queue.shift();
          stats.malformed += 1;
          partition.progress.track(id, undefined, 0, true);
          continue;
        }
        if (partition.progress.recordedApplied(envelope.publisher, envelope.seq)) {
          partition.queue.shift();
          stats.duplicates += 1;
          partition.progress.track(id, envelope.publisher, envelope.seq, true);
          continue;
        }
        const waiting = unmet(envelope);
        if (waiting.length > 0) {
          if (delay === 1) stats.dependencyWaits += 1;
          try {
            await refresh(waiting.filter((q) => !owned.has(q)));
          } catch (error) {
            report(error);
          }
          if (unmet(envelope).length > 0) {
            await sleep(delay);
            delay = Math.min(delay * 2, 10);
          }
          continue;
        }
        delay = 1;
        const skip = claimed && (await appliedBefore(envelope));
        // Handed back or lost during the read: the entry is the next owner's now.
        if (!active(partition) || partition.queue[0]?.id !== id) continue;
        if (skip) {
          partition.queue.shift();
          stats.duplicates += 1;
          partition.progress.track(id, envelope.publisher, envelope.seq, true);
          continue;
        }
        partition.queue.shift();
        const settle = partition.progress.track(id, envelope.publisher, envelope.seq, false);
        stats.handed += 1;
        void events.apply(envelope.dispatch).then(() => {
          settle();
          void flush(partition);
        });
      }
    } finally {
      partition.pumping = false;
    }
    void flush(partition);
  };

  /** Records the applied prefix, then acks the entries behind it. One at a time per partition. */
  const flush = (partition: Partition): Promise<void> => {
    if (partition.flushing) {
      partition.dirty = true;
      return partition.flushing;
    }
    const ids = partition.progress.advance();
    partition.unacked.push(...ids);
    if (partition.unacked.length === 0 && ids.length === 0) return Promise.resolve();
    partition.flushing = (async () => {
      try {
        if (partition.state !== 'lost') {
          await store.set(PROGRESS_NAMESPACE, progressKey(partition.index), partition.progress.record());
          const acking = partition.unacked.splice(0);
          try {
            await commands.ack(partition.stream, acking);
            stats.acked += acking.length;
          } catch (error) {
            partition.unacked.unshift(...acking);
            throw error;
          }
        }
      } catch (error) {
        report(error);
        await sleep(100);
        partition.dirty = true;
      } finally {
        partition.flushing = undefined;
      }
      if (partition.dirty) {
        partition.dirty = false;
        await flush(partition);
      }
      if (partition.queue.length > 0) void pump(partition);
      signal();
    })();
    return partition.flushing;
  };

  const settled = async (partition: Partition): Promise<void> => {
    while (!partition.progress.drained || partition.flushing || partition.unacked.length > 0) {
      await (partition.flushing ?? flush(partition));
      if (!partition.progress.drained) await sleep(5);
    }
  };

  // ---- leases ----------------------------------------------------------------------------------------
  const takeover = async (index: number, token: string): Promise<void> => {
    const partitionStreamName = partitionStream(stream, index);
    await commands.ensureGroup(partitionStreamName);
    const recorded = await store.get(PROGRESS_NAMESPACE, progressKey(index));
    const partition: Partition = {
      index,
      stream: partitionStreamName,
      token,
      state: 'claiming',
      queue: [],
      progress: new PartitionProgress(recorded),
      pumping: false,
      flushing: undefined,
      dirty: false,
      unacked: [],
    };
    // What this process handed of it before still counts (its event manager orders it).
    for (const [publisher, seq] of handedBefore.get(index) ?? [])
      partition.progress.handed.set(publisher, seq);
    owned.set(index, partition);
    stats.takeovers += 1;
    let cursor = '0-0';
    do {
      const { entries, next, deleted } = await commands.claim(partition.stream, cursor, readCount);
      if (deleted.length > 0) await commands.ack(partition.stream, deleted);
      for (const entry of entries)
        partition.queue.push({ id: entry.id, envelope: decodeEntry(entry), claimed: true });
      stats.read += entries.length;
      stats.claimed += entries.length;
      void pump(partition);
      while (active(partition) && partition.queue.length >= maxInFlight) await sleep(5);
      cursor = next;
    } while (cursor !== '0-0' && active(partition));
    if (partition.state === 'claiming') partition.state = 'reading';
    signal();
  };

  const remember = (partition: Partition): void => {
    handedBefore.set(partition.index, new Map(partition.progress.handed));
  };

  const release = async (partition: Partition, state: 'leaving' | 'lost'): Promise<void> => {
    partition.state = state;
    partition.queue.length = 0; // read but not handed: they stay pending in the group for the next owner
    remember(partition);
    if (state === 'lost') {
      owned.delete(partition.index);
      stats.lost += 1;
      return;
    }
    // A read still in flight may deliver more of it to this consumer: they must be pending before the lease goes.
    while (currentRead?.streams.has(partition.index)) await currentRead.done;
    await settled(partition);
    owned.delete(partition.index);
    await locks.release(lockName('partition', partition.index), partition.token);
  };

  const probeDead = async (s: number, now: number): Promise<boolean> => {
    const token = await locks.acquire(lockName('slot', s), leaseTtl);
    if (token === undefined) {
      deadSince.delete(s);
      return false;
    }
    await locks.release(lockName('slot', s), token);
    const since = deadSince.get(s) ?? now;
    deadSince.set(s, since);
    return now - since >= leaseTtl;
  };

  let slotToken = '';
  const started = Date.now();
  while (true) {
    const token = await locks.acquire(lockName('slot', slot), leaseTtl);
    if (token !== undefined) {
      slotToken = token;
      break;
    }
    // A previous worker of this slot died: its slot lease expires within leaseTtl.
    if (Date.now() - started > leaseTtl * 3)
      throw new Error(`slot ${slot} of group ${group} is held by a live worker`);
    await sleep(Math.min(200, leaseTtl / 4));
  }

  let ticking: Promise<void> | undefined;
  const tick = async (): Promise<void> => {
    if (!running) return;
    const now = Date.now();
    if (!(await extend(lockName('slot', slot), slotToken, leaseTtl))) {
      slotToken = (await locks.acquire(lockName('slot', slot), leaseTtl)) ?? slotToken;
    }
    for (const partition of [...owned.values()]) {
      if (partition.state === 'leaving') continue;
      if (!(await extend(lockName('partition', partition.index), partition.token, leaseTtl))) {
        await release(partition, 'lost');
      }
    }
    const dead = new Map<number, boolean>();
    const isDead = async (s: number): Promise<boolean> => {
      if (!dead.has(s)) dead.set(s, await probeDead(s, now));
      return dead.get(s)!;
    };
    for (let p = 0; p < partitionCount && running; p++) {
      const preferred = p % slots;
      const partition = owned.get(p);
      if (partition !== undefined) {
        if (preferred !== slot && partition.state === 'reading' && !(await isDead(preferred))) {
          stats.handedBack += 1;
          void release(partition, 'leaving').catch(report);
        }
        continue;
      }
      if (preferred !== slot && !(await isDead(preferred))) continue;
      const token = await locks.acquire(lockName('partition', p), leaseTtl);
      if (token !== undefined)
        void takeover(p, token).catch(async (error: unknown) => {
          report(error);
          // Not left half taken (leased but never read): give it up, a later tick takes it again.
          const partition = owned.get(p);
          if (partition?.token === token) {
            partition.state = 'lost';
            partition.queue.length = 0;
            owned.delete(p);
          }
          await locks.release(lockName('partition', p), token).catch(() => {});
        });
    }
  };
  const runTick = (): void => {
    if (ticking) return;
    ticking = tick()
      .catch(report)
      .finally(() => {
        ticking = undefined;
      });
  };
  runTick();
  const timer = setInterval(runTick, Math.max(50, Math.floor(leaseTtl / 3)));
  timer.unref?.();

  // ---- reading -----------------------------------------------------------------------------------------
  const readLoop = async (): Promise<void> => {
    while (running) {
      const readable = [...owned.values()].filter(
        (p) => p.state === 'reading' && p.queue.length < maxInFlight,
      );
      if (readable.length === 0) {
        await Promise.race([sleep(50), new Promise<void>((resolve) => (wake = resolve))]);
        continue;
      }
      let finish!: () => void;
      currentRead = {
        streams: new Set(readable.map((p) => p.index)),
        done: new Promise((resolve) => (finish = resolve)),
      };
      try {
        const byStream = await reader.readNew(
          readable.map((p) => p.stream),
          readCount,
          blockTimeout,
        );
        for (const partition of readable) {
          const entries = byStream.get(partition.stream);
          if (entries === undefined || entries.length === 0) continue;
          stats.read += entries.length;
          // Handed back or lost meanwhile: they stay pending for the next owner.
          if (!active(partition)) continue;
          for (const entry of entries)
            partition.queue.push({ id: entry.id, envelope: decodeEntry(entry), claimed: false });
          void pump(partition);
        }
      } catch (error) {
        if (running) {
          report(error);
          await sleep(100);
        }
      } finally {
        currentRead = undefined;
        finish();
      }
    }
  };
  const reading = readLoop();

  const idle = async (): Promise<void> => {
    while (true) {
      const busy = [...owned.values()].some(
        (p) => p.queue.length > 0 || !p.progress.drained || p.flushing !== undefined || p.unacked.length > 0,
      );
      if (!busy) return;
      await sleep(10);
    }
  };

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      running = false;
      clearInterval(timer);
      signal();
      readerClient.disconnect();
      await reading;
      await ticking;
      for (const partition of [...owned.values()]) {
        partition.queue.length = 0;
        partition.state = 'leaving';
      }
      await Promise.all(
        [...owned.values()].map(async (partition) => {
          await settled(partition);
          owned.delete(partition.index);
          await locks.release(lockName('partition', partition.index), partition.token);
        }),
      );
      await locks.release(lockName('slot', slot), slotToken);
      await events.idle();
    })();
    return stopping;
  };

  return {
    events,
    stats,
    get partitions() {
      return new Set(owned.keys());
    },
    idle,
    stop,
  };
}
