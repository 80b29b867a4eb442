/**
 * Applies raw gateway dispatches (from discord.js, @discordjs/ws or a broker) to a botcache cache.
 *
 * Ordering: every dispatch goes to a lane — its guild, else its channel (DMs), else the session — and
 * a lane applies its dispatches strictly in arrival order, even over a remote store; lanes run
 * concurrently. Throughput: consecutive write-only dispatches of a lane are applied as ONE atomic
 * store batch (one round trip on Redis), so a burst costs far less than one round trip per event.
 * Safety: a malformed dispatch or a store failure never throws into the emitter; it is counted and
 * reported through the `error` event (a process warning when nobody listens).
 * Outages: a guild whose dispatch could not be written because the store failed is marked stale; once
 * the store answers again, each stale guild is re-synced in its lane from the `resync` snapshot.
 */
import { EventEmitter } from 'node:events';
import { ClosedClient } from '../../errors/index.js';
import { type Duration, timerDuration } from '../../util/duration.js';
import type { DiscordCache } from './discord-types.js';
import { DiscordDispatchError, idsOf } from './dispatch-error.js';
import type { DiscordIdleReport, DispatchOutcome } from './dispatch-outcome.js';
import type { DispatchHandler, HandlerContext, MergeTarget } from './handlers/handler-types.js';
import { DISPATCH_HANDLERS } from './handlers/index.js';
import { assertDiscordResources, DISCORD_RESOURCES, type DiscordResource } from './intents.js';
import { conflicts, touchedKeys } from './merge-conflicts.js';
import { isObject, type JsonObject } from './payload-checks.js';
import { PendingGuildBuffer } from './pending-guild-buffer.js';
import { type GuildResync, ResyncScheduler } from './resync-scheduler.js';
import { held, SharedWriteOrder, Slot, sharedKeysOf } from './shared-write-order.js';

export interface DiscordEventManagerOptions {
  /** The resources to keep from events. Default: all. Others are never written. */
  readonly resources?: Iterable<DiscordResource>;
  /** How long dispatches wait for their guild's GUILD_CREATE before being dropped (ms or `'10s'`-style). Default 10 000 ms. */
  readonly bufferTimeout?: Duration;
  /** Most dispatches waiting for one guild; the oldest are dropped beyond it. Default 10 000. */
  readonly maxBufferedPerGuild?: number;
  /** Most write-only dispatches applied in one store batch. Default 512. */
  readonly maxBatch?: number;
  /**
   * A GUILD_CREATE with more members + presences than this writes them in batches of this size after
   * the guild (not in its atomic batch), so a huge guild does not block a shared Redis. Default 5000.
   */
  readonly largeGuildBatch?: number;
  /**
   * Where a stale guild's state comes from after a store outage: a GUILD_CREATE-shaped snapshot
   * (collections left out stay as cached), or undefined when the bot is no longer in the guild.
   * `discordResync(rest)` builds one over REST. Without it, stale guilds stay listed in `staleGuilds`
   * until their next GUILD_CREATE.
   */
  readonly resync?: GuildResync;
  /** First wait before re-syncing stale guilds (ms or `'1s'`-style); doubled after each failed attempt (to 30 s). Default 1000 ms. */
  readonly resyncDelay?: Duration;
}

/** Counters since the manager was created. */
export interface DiscordEventStats {
  /** Dispatches handed to the manager. */
  received: number;
  /** Dispatches applied to the cache. */
  applied: number;
  /** Dispatches that were malformed or whose write failed (each reported through `error`). */
  failed: number;
  /** Dispatches of events the cache does not track (TYPING_START, RESUMED…). */
  ignored: number;
  /** Dispatches dropped while waiting for a guild that never came (or left). */
  dropped: number;
  /** Store batches written. */
  batches: number;
  /** Stale guilds re-synced from a snapshot. */
  resynced: number;
  /** Re-sync attempts that failed (the store or the snapshot source still down); retried later. */
  resyncFailed: number;
}

export interface DiscordEventManagerEvents {
  error: [error: DiscordDispatchError];
  /** Dispatches waiting for a guild were dropped. */
  dropped: [info: { guildId: string; count: number; reason: 'expired' | 'overflow' | 'left' }];
  /** A guild missed a write (the store failed): its cached state may be behind until it is re-synced. */
  stale: [guildId: string];
  /** A stale guild was re-synced from its snapshot. */
  resynced: [guildId: string];
}

/** The minimum a dispatch needs: `{ t, d }`, with `s` when it came from a gateway. */
export interface RawDispatch {
  readonly t: string;
  readonly d: unknown;
  readonly s?: number | null;
}

interface QueuedDispatch {
  readonly t: string;
  readonly d: unknown;
  readonly s: number | null;
  readonly handler: DispatchHandler;
  /** Resolves `apply()` with the first outcome (later ones are told through events). */
  settle: ((outcome: DispatchOutcome) => void) | undefined;
  /** Its place among the dispatches writing the same shared entities (users, me), if it writes any. */
  slot: Slot | undefined;
  /** Earlier dispatches writing the same shared entities: this one is applied after them. */
  after: readonly Slot[];
  /** Slots that must be released before this one is (buffered dispatches its GUILD_CREATE let in). */
  readonly holds: Slot[];
  /** Set on a re-sync item: called with whether it succeeded (it is not a dispatch and not counted as one). */
  readonly resynced?: (ok: boolean) => void;
}

interface BatchEntry {
  readonly item: QueuedDispatch;
  /** A merge dispatch's entity, read before the batch is written. */
  readonly target: MergeTarget | undefined;
}

interface Lane {
  readonly guildId: string | undefined;
  readonly items: QueuedDispatch[];
  /** The dispatch being applied, if any. */
  running: QueuedDispatch | undefined;
}

const GUILD_EVENTS = new Set(['GUILD_CREATE', 'GUILD_UPDATE', 'GUILD_DELETE']);

/** The outcome of every applied dispatch: one frozen object, not one per dispatch. */
const APPLIED: DispatchOutcome = Object.freeze({ status: 'applied' });

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer (got ${String(value)})`);
  }
  return value;
}

export class DiscordEventManager extends EventEmitter<DiscordEventManagerEvents> {
  readonly cache: DiscordCache;
  readonly resources: readonly DiscordResource[];
  readonly stats: DiscordEventStats = {
    received: 0,
    applied: 0,
    failed: 0,
    ignored: 0,
    dropped: 0,
    batches: 0,
    resynced: 0,
    resyncFailed: 0,
  };
  private readonly kept: ReadonlySet<DiscordResource>;
  private readonly maxBatch: number;
  private readonly lanes = new Map<string, Lane>();
  /** Guilds whose GUILD_CREATE this manager applied (or found cached): their children need no buffering. */
  private readonly knownGuilds = new Set<string>();
  private readonly buffer: PendingGuildBuffer<QueuedDispatch>;
  private idleWaiters: ((report: DiscordIdleReport) => void)[] = [];
  private readonly order = new SharedWriteOrder();
  private readonly context: HandlerContext;
  private readonly resyncs: ResyncScheduler;

  constructor(cache: DiscordCache, options: DiscordEventManagerOptions = {}) {
    super();
    if (typeof cache !== 'object' || cache === null || typeof cache.transaction !== 'function') {
      throw new TypeError('cache must be a botcache cache (from createCache())');
    }
    if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
    const resources = options.resources ?? DISCORD_RESOURCES;
    assertDiscordResources(resources, 'options.resources');
    this.cache = cache;
    this.resources = [...resources];
    this.kept = new Set(this.resources);
    this.maxBatch = positiveInteger(options.maxBatch, 512, 'options.maxBatch');
    this.buffer = new PendingGuildBuffer(
      timerDuration(options.bufferTimeout, 'options.bufferTimeout', 10_000),
      positiveInteger(options.maxBufferedPerGuild, 10_000, 'options.maxBufferedPerGuild'),
      (guildId, items, reason) => {
        this.stats.dropped += items.length;
        for (const item of items) this.finish(item, { status: 'dropped', guildId, reason });
        this.emit('dropped', { guildId, count: items.length, reason });
        this.settleIdle();
      },
    );
    this.context = {
      cache,
      largeGuildBatch: positiveInteger(options.largeGuildBatch, 5000, 'options.largeGuildBatch'),
      keeps: (resource) => this.kept.has(resource),
      guildAvailable: (guildId) => this.guildAvailable(guildId),
      guildGone: (guildId) => {
        this.knownGuilds.delete(guildId);
        this.resyncs.forget(guildId);
        this.buffer.drop(guildId, 'left');
      },
    };
    this.resyncs = new ResyncScheduler({
      resync: options.resync,
      delay: timerDuration(options.resyncDelay, 'options.resyncDelay', 1000),
      context: this.context,
      knownGuilds: () => [...this.knownGuilds],
      enqueue: (guildId, handler) =>
        new Promise<boolean>((resolve) => {
          const taken = this.order.take(sharedKeysOf('RESYNC', {}));
          this.push(`g:${guildId}`, {
            t: 'RESYNC',
            d: {},
            s: null,
            handler,
            settle: undefined,
            slot: taken?.slot,
            after: taken?.after ?? [],
            holds: [],
            resynced: resolve,
          });
        }),
      onStale: (guildId) => this.emit('stale', guildId),
      onResynced: (guildId) => {
        this.stats.resynced += 1;
        this.emit('resynced', guildId);
      },
      onFailed: (guildId, error) => {
        this.stats.resyncFailed += 1;
        this.report(new DiscordDispatchError('RESYNC', null, error, guildId));
      },
    });
  }

  /** Guilds that missed a write because the store failed, and are not re-synced yet. */
  get staleGuilds(): ReadonlySet<string> {
    return this.resyncs.stale;
  }

  /** Dispatches waiting for their guild right now. */
  get buffered(): number {
    return this.buffer.size;
  }

  /**
   * Queues a dispatch (a gateway payload with `op: 0`, or any `{ t, d }`). Never throws: malformed input
   * is counted and reported through `error`. Use {@link idle} to wait until it is applied.
   */
  handle(payload: unknown): void {
    this.enqueue(payload, undefined);
  }

  /**
   * Queues a dispatch and resolves with what happened to it: applied, ignored, failed, or buffered
   * (its guild's GUILD_CREATE has not come: it is applied right after it, or dropped). Never rejects.
   * Awaiting each `apply()` in arrival order ends in the same state as `handle()` for all and `idle()`.
   */
  apply(payload: unknown): Promise<DispatchOutcome> {
    return new Promise((resolve) => this.enqueue(payload, resolve));
  }

  /**
   * Resolves when every queued dispatch is applied, with the dispatches still waiting for their guild's
   * GUILD_CREATE (they are applied when it comes, or dropped after `bufferTimeout`).
   */
  idle(): Promise<DiscordIdleReport> {
    if (this.lanes.size === 0) return Promise.resolve(this.idleReport());
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private idleReport(): DiscordIdleReport {
    return { buffered: this.buffer.size, bufferedGuilds: this.buffer.guilds() };
  }

  /** Forgets buffered dispatches and known guilds (e.g. before re-identifying with a fresh session). */
  reset(): void {
    this.buffer.clear();
    this.knownGuilds.clear();
  }

  /** Stops re-sync timers (the cache and its store are left open). Queued dispatches are still applied. */
  close(): void {
    this.resyncs.close();
  }

  private enqueue(payload: unknown, settle: ((outcome: DispatchOutcome) => void) | undefined): void {
    this.stats.received += 1;
    const alone = (t: string, s: number | null): QueuedDispatch => ({
      t,
      d: undefined,
      s,
      handler: DISPATCH_HANDLERS.USER_UPDATE!,
      settle,
      slot: undefined,
      after: [],
      holds: [],
    });
    if (!isObject(payload) || typeof payload.t !== 'string') {
      this.fail(alone('UNKNOWN', null), new TypeError('a dispatch must be an object with a string `t`'));
      return;
    }
    const t = payload.t;
    const s = typeof payload.s === 'number' ? payload.s : null;
    const handler = DISPATCH_HANDLERS[t];
    if (handler === undefined) {
      this.stats.ignored += 1;
      settle?.({ status: 'ignored' });
      return;
    }
    const d = payload.d;
    if (!isObject(d)) {
      this.fail(alone(t, s), new TypeError(`${t} data must be an object`));
      return;
    }
    // Taken now, in arrival order, whatever lane the dispatch goes to.
    const taken = this.order.take(sharedKeysOf(t, d));
    this.push(laneKeyOf(t, d), {
      t,
      d,
      s,
      handler,
      settle,
      slot: taken?.slot,
      after: taken?.after ?? [],
      holds: [],
    });
  }

  private push(key: string, item: QueuedDispatch): void {
    const lane = this.lanes.get(key);
    if (lane) {
      lane.items.push(item);
      return;
    }
    const created: Lane = {
      guildId: key.startsWith('g:') ? key.slice(2) : undefined,
      items: [item],
      running: undefined,
    };
    this.lanes.set(key, created);
    void this.drain(key, created);
  }

  private async drain(key: string, lane: Lane): Promise<void> {
    while (lane.items.length > 0) {
      const first = lane.items[0]!;
      // Shared entities (users, me) are written in arrival order across lanes.
      if (held(first.after)) {
        await Promise.all(first.after.map((slot) => slot.done));
        continue;
      }
      // Most dispatches need no store read to know their guild is there: skip the await then.
      if (this.waitsForGuild(lane, first) && (await this.mustWaitForGuild(lane, first))) {
        lane.items.shift();
        this.park(lane.guildId!, first);
        continue;
      }
      if (this.waitsForGuild(lane, first)) {
        // Its guild could not be looked up (the store failed, or the id is not a valid id): apply it alone
        // now, so its own write reports what is wrong, instead of the lane asking again forever.
        lane.items.shift();
        await this.runSingle(first, lane.guildId);
        continue;
      }
      if (first.handler.mode === 'read-write') {
        lane.items.shift();
        await this.runAlone(first, lane.guildId);
        continue;
      }
      const batch: BatchEntry[] = [];
      const touched = new Set<string>();
      while (batch.length < this.maxBatch) {
        const next = lane.items[0];
        if (
          next === undefined ||
          next.handler.mode === 'read-write' ||
          this.waitsForGuild(lane, next) ||
          held(next.after)
        )
          break;
        let target: MergeTarget | undefined;
        if (next.handler.mode === 'merge') {
          try {
            target = next.handler.target(next.d, this.context);
          } catch (error) {
            lane.items.shift();
            this.fail(next, error, lane.guildId);
            continue;
          }
          // Its previous value is read before the batch: not after an earlier write to the same entity.
          if (target !== undefined && batch.length > 0 && conflicts(touched, target)) break;
        }
        lane.items.shift();
        batch.push({ item: next, target });
        for (const key of touchedKeys(next.t, next.d as JsonObject)) touched.add(key);
      }
      if (batch.length > 0) await this.runBatch(batch, lane.guildId);
    }
    this.lanes.delete(key);
    this.settleIdle();
  }

  /** Whether the dispatch belongs to a guild this manager has not seen yet (no store read). */
  private waitsForGuild(lane: Lane, item: QueuedDispatch): boolean {
    return (
      lane.guildId !== undefined &&
      item.handler.needsGuild &&
      this.kept.has('guilds') &&
      !this.knownGuilds.has(lane.guildId)
    );
  }

  /** As {@link waitsForGuild}, but first asks the store once: another process (or run) may have cached it. */
  private async mustWaitForGuild(lane: Lane, item: QueuedDispatch): Promise<boolean> {
    if (!this.waitsForGuild(lane, item)) return false;
    const guildId = lane.guildId!;
    if (this.buffer.has(guildId)) return true;
    try {
      if (await this.cache.guilds.has(guildId)) {
        this.knownGuilds.add(guildId);
        return false;
      }
    } catch {
      // The store is failing: apply the dispatch, whose own write reports the failure.
      return false;
    }
    return true;
  }

  /** A dispatch waits for its guild: `apply()` says so now; its shared-entity slot is released. */
  private park(guildId: string, item: QueuedDispatch): void {
    item.slot?.release();
    item.settle?.({ status: 'buffered', guildId });
    item.settle = undefined;
    this.buffer.add(guildId, item);
  }

  private guildAvailable(guildId: string): void {
    this.knownGuilds.add(guildId);
    this.resyncs.fresh(guildId);
    const waiting = this.buffer.take(guildId);
    if (waiting.length === 0) return;
    const lane = this.lanes.get(`g:${guildId}`);
    // They now come right after the dispatch that brought their guild (as they would awaiting each
    // apply()): that dispatch's slot is held until they are applied, so later writers wait for them.
    for (const item of waiting) {
      item.slot = new Slot();
      item.after = [];
      lane?.running?.holds.push(item.slot);
    }
    // Buffered dispatches go first: they arrived before anything still queued in the lane.
    lane?.items.unshift(...waiting);
  }

  /** Applies one dispatch of any mode on its own. */
  private async runSingle(item: QueuedDispatch, guildId: string | undefined): Promise<void> {
    if (item.handler.mode === 'read-write') return this.runAlone(item, guildId);
    let target: MergeTarget | undefined;
    try {
      if (item.handler.mode === 'merge') target = item.handler.target(item.d, this.context);
    } catch (error) {
      this.fail(item, error, guildId);
      return;
    }
    await this.runBatch([{ item, target }], guildId);
  }

  private async runAlone(item: QueuedDispatch, guildId: string | undefined): Promise<void> {
    const lane = guildId === undefined ? undefined : this.lanes.get(`g:${guildId}`);
    if (lane) lane.running = item;
    try {
      if (item.handler.mode === 'read-write') await item.handler.run(item.d, this.context);
      this.stats.batches += 1;
      if (item.resynced) {
        item.resynced(true);
        this.finish(item, undefined);
      } else this.succeed(item);
    } catch (error) {
      if (item.resynced) {
        item.resynced(false);
        this.finish(item, undefined);
      } else this.fail(item, error, guildId);
    } finally {
      if (lane) lane.running = undefined;
    }
  }

  private async runBatch(batch: readonly BatchEntry[], guildId: string | undefined): Promise<void> {
    try {
      const previous = await this.readTargets(batch);
      await this.cache.transaction((tx) => {
        batch.forEach(({ item }, i) => {
          const { handler } = item;
          if (handler.mode === 'write') handler.write(tx, item.d, this.context);
          else if (handler.mode === 'merge') handler.write(tx, item.d, this.context, previous[i]);
        });
      });
      this.stats.batches += 1;
      for (const { item } of batch) this.succeed(item);
    } catch (error) {
      // A store failure fails them all (nothing was applied); retrying one by one would only wait longer.
      if (batch.length === 1 || isStoreFailure(error)) {
        for (const { item } of batch) this.fail(item, error, guildId);
        return;
      }
      // One bad dispatch must not cost the others: nothing was applied, so retry them one by one, in order.
      for (const entry of batch) await this.runBatch([entry], guildId);
    }
  }

  /** The previous values of a batch's merge targets, by batch position: one read per kind and guild. */
  private async readTargets(batch: readonly BatchEntry[]): Promise<(object | undefined)[]> {
    const out: (object | undefined)[] = new Array(batch.length);
    const messages: number[] = [];
    const members = new Map<string, number[]>();
    batch.forEach(({ target }, i) => {
      if (target?.kind === 'message') messages.push(i);
      else if (target?.kind === 'member' && this.kept.has('members')) {
        const list = members.get(target.guildId) ?? [];
        list.push(i);
        members.set(target.guildId, list);
      }
    });
    const reads: Promise<void>[] = [];
    if (messages.length > 0) {
      const ids = messages.map((i) => (batch[i]!.target as { id: string }).id);
      reads.push(
        this.cache.messages.getMany(ids).then((values) => {
          messages.forEach((i, n) => {
            out[i] = values[n];
          });
        }),
      );
    }
    for (const [guildId, positions] of members) {
      const userIds = positions.map((i) => (batch[i]!.target as { userId: string }).userId);
      reads.push(
        this.cache.members.getMany(guildId, userIds).then((values) => {
          positions.forEach((i, n) => {
            out[i] = values[n];
          });
        }),
      );
    }
    await Promise.all(reads);
    return out;
  }

  private succeed(item: QueuedDispatch): void {
    this.stats.applied += 1;
    this.finish(item, APPLIED);
  }

  private fail(item: QueuedDispatch, cause: unknown, guildId?: string): void {
    this.stats.failed += 1;
    if (guildId !== undefined && isStoreFailure(cause)) this.resyncs.markStale(guildId);
    const error = new DiscordDispatchError(item.t, item.s, cause, guildId, idsOf(item.t, item.d));
    this.report(error);
    this.finish(item, { status: 'failed', error });
  }

  /**
   * Tells `apply()` and releases the dispatch's shared-entity slot. A GUILD_CREATE that let buffered
   * dispatches in does both once they are applied: they belong right after it.
   */
  private finish(item: QueuedDispatch, outcome: DispatchOutcome | undefined): void {
    const { settle, slot } = item;
    item.settle = undefined;
    if (item.holds.length === 0) {
      if (outcome !== undefined) settle?.(outcome);
      slot?.release();
      return;
    }
    void Promise.all(item.holds.map((held) => held.done)).then(() => {
      if (outcome !== undefined) settle?.(outcome);
      slot?.release();
    });
  }

  private report(error: DiscordDispatchError): void {
    try {
      if (this.listenerCount('error') > 0) this.emit('error', error);
      else process.emitWarning(error);
    } catch {
      // A throwing error listener must not break the lane.
    }
  }

  private settleIdle(): void {
    if (this.lanes.size > 0 || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    const report = this.idleReport();
    for (const resolve of waiters) resolve(report);
  }
}

/**
 * Whether a write failed because of the store (the data may be fine): a bad payload or value is a
 * TypeError/RangeError, and a closed cache will not come back.
 */
function isStoreFailure(error: unknown): boolean {
  return !(error instanceof TypeError || error instanceof RangeError || error instanceof ClosedClient);
}

/** The lane of a dispatch: its guild, else its channel, else the session's own lane. */
function laneKeyOf(t: string, d: Record<string, unknown>): string {
  if (GUILD_EVENTS.has(t) && typeof d.id === 'string') return `g:${d.id}`;
  if (typeof d.guild_id === 'string') return `g:${d.guild_id}`;
  if (typeof d.channel_id === 'string') return `c:${d.channel_id}`;
  if (t.startsWith('CHANNEL_') && typeof d.id === 'string') return `c:${d.id}`;
  return 'session';
}
