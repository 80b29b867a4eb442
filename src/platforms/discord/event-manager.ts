/**
 * Applies raw gateway dispatches (from discord.js, @discordjs/ws or a broker) to a botcache cache.
 *
 * Ordering: every dispatch goes to a lane — its guild, else its channel (DMs), else the session — and
 * a lane applies its dispatches strictly in arrival order, even over a remote store; lanes run
 * concurrently. Throughput: consecutive write-only dispatches of a lane are applied as ONE atomic
 * store batch (one round trip on Redis), so a burst costs far less than one round trip per event.
 * Safety: a malformed dispatch or a store failure never throws into the emitter; it is counted and
 * reported through the `error` event (a process warning when nobody listens).
 */
import { EventEmitter } from 'node:events';
import type { DiscordCache } from './discord-types.js';
import { DiscordDispatchError } from './dispatch-error.js';
import type { DispatchHandler, HandlerContext } from './handlers/handler-types.js';
import { DISPATCH_HANDLERS } from './handlers/index.js';
import { assertDiscordResources, DISCORD_RESOURCES, type DiscordResource } from './intents.js';
import { isObject } from './payload-checks.js';
import { PendingGuildBuffer } from './pending-guild-buffer.js';

export interface DiscordEventManagerOptions {
  /** The resources to keep from events. Default: all. Others are never written. */
  readonly resources?: Iterable<DiscordResource>;
  /** How long dispatches wait for their guild's GUILD_CREATE before being dropped, ms. Default 10 000. */
  readonly bufferTimeout?: number;
  /** Most dispatches waiting for one guild; the oldest are dropped beyond it. Default 10 000. */
  readonly maxBufferedPerGuild?: number;
  /** Most write-only dispatches applied in one store batch. Default 512. */
  readonly maxBatch?: number;
  /**
   * A GUILD_CREATE with more members + presences than this writes them in batches of this size after
   * the guild (not in its atomic batch), so a huge guild does not block a shared Redis. Default 5000.
   */
  readonly largeGuildBatch?: number;
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
}

export interface DiscordEventManagerEvents {
  error: [error: DiscordDispatchError];
  /** Dispatches waiting for a guild were dropped. */
  dropped: [info: { guildId: string; count: number; reason: 'expired' | 'overflow' | 'left' }];
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
  readonly done: (() => void) | undefined;
}

interface Lane {
  readonly guildId: string | undefined;
  readonly items: QueuedDispatch[];
}

const GUILD_EVENTS = new Set(['GUILD_CREATE', 'GUILD_UPDATE', 'GUILD_DELETE']);

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
  };
  private readonly kept: ReadonlySet<DiscordResource>;
  private readonly maxBatch: number;
  private readonly lanes = new Map<string, Lane>();
  /** Guilds whose GUILD_CREATE this manager applied (or found cached): their children need no buffering. */
  private readonly knownGuilds = new Set<string>();
  private readonly buffer: PendingGuildBuffer<QueuedDispatch>;
  private idleWaiters: (() => void)[] = [];
  private readonly context: HandlerContext;

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
      positiveInteger(options.bufferTimeout, 10_000, 'options.bufferTimeout'),
      positiveInteger(options.maxBufferedPerGuild, 10_000, 'options.maxBufferedPerGuild'),
      (guildId, items, reason) => {
        this.stats.dropped += items.length;
        for (const item of items) item.done?.();
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
        this.buffer.drop(guildId, 'left');
      },
    };
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

  /** Queues a dispatch and resolves once it is applied, dropped or reported as failed. Never rejects. */
  apply(payload: unknown): Promise<void> {
    return new Promise((resolve) => this.enqueue(payload, resolve));
  }

  /** Resolves when every queued dispatch is applied (dispatches waiting for their guild excepted). */
  idle(): Promise<void> {
    if (this.lanes.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Forgets buffered dispatches and known guilds (e.g. before re-identifying with a fresh session). */
  reset(): void {
    this.buffer.clear();
    this.knownGuilds.clear();
  }

  private enqueue(payload: unknown, done: (() => void) | undefined): void {
    this.stats.received += 1;
    if (!isObject(payload) || typeof payload.t !== 'string') {
      this.fail('UNKNOWN', null, new TypeError('a dispatch must be an object with a string `t`'), done);
      return;
    }
    const t = payload.t;
    const s = typeof payload.s === 'number' ? payload.s : null;
    const handler = DISPATCH_HANDLERS[t];
    if (handler === undefined) {
      this.stats.ignored += 1;
      done?.();
      return;
    }
    const d = payload.d;
    if (!isObject(d)) {
      this.fail(t, s, new TypeError(`${t} data must be an object`), done);
      return;
    }
    const key = laneKeyOf(t, d);
    let lane = this.lanes.get(key);
    const item: QueuedDispatch = { t, d, s, handler, done };
    if (lane) {
      lane.items.push(item);
      return;
    }
    lane = { guildId: key.startsWith('g:') ? key.slice(2) : undefined, items: [item] };
    this.lanes.set(key, lane);
    void this.drain(key, lane);
  }

  private async drain(key: string, lane: Lane): Promise<void> {
    while (lane.items.length > 0) {
      const first = lane.items[0]!;
      if (await this.mustWaitForGuild(lane, first)) {
        lane.items.shift();
        this.buffer.add(lane.guildId!, first);
        continue;
      }
      if (first.handler.mode === 'read-write') {
        lane.items.shift();
        await this.runAlone(first);
        continue;
      }
      const batch: QueuedDispatch[] = [];
      while (batch.length < this.maxBatch) {
        const next = lane.items[0];
        if (next === undefined || next.handler.mode !== 'write' || this.waitsForGuild(lane, next)) break;
        batch.push(lane.items.shift()!);
      }
      await this.runBatch(batch);
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

  private guildAvailable(guildId: string): void {
    this.knownGuilds.add(guildId);
    const waiting = this.buffer.take(guildId);
    // Buffered dispatches go first: they arrived before anything still queued in the lane.
    if (waiting.length > 0) this.lanes.get(`g:${guildId}`)?.items.unshift(...waiting);
  }

  private async runAlone(item: QueuedDispatch): Promise<void> {
    try {
      if (item.handler.mode === 'read-write') await item.handler.run(item.d, this.context);
      this.stats.batches += 1;
      this.succeed(item);
    } catch (error) {
      this.fail(item.t, item.s, error, item.done);
    }
  }

  private async runBatch(batch: readonly QueuedDispatch[]): Promise<void> {
    try {
      await this.cache.transaction((tx) => {
        for (const item of batch)
          if (item.handler.mode === 'write') item.handler.write(tx, item.d, this.context);
      });
      this.stats.batches += 1;
      for (const item of batch) this.succeed(item);
    } catch (error) {
      if (batch.length === 1) {
        this.fail(batch[0]!.t, batch[0]!.s, error, batch[0]!.done);
        return;
      }
      // One bad dispatch must not cost the others: nothing was applied, so retry them one by one, in order.
      for (const item of batch) await this.runBatch([item]);
    }
  }

  private succeed(item: QueuedDispatch): void {
    this.stats.applied += 1;
    item.done?.();
  }

  private fail(event: string, sequence: number | null, cause: unknown, done: (() => void) | undefined): void {
    this.stats.failed += 1;
    const error = new DiscordDispatchError(event, sequence, cause);
    try {
      if (this.listenerCount('error') > 0) this.emit('error', error);
      else process.emitWarning(error);
    } catch {
      // A throwing error listener must not break the lane.
    }
    done?.();
  }

  private settleIdle(): void {
    if (this.lanes.size > 0 || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** The lane of a dispatch: its guild, else its channel, else the session's own lane. */
function laneKeyOf(t: string, d: Record<string, unknown>): string {
  if (GUILD_EVENTS.has(t) && typeof d.id === 'string') return `g:${d.id}`;
  if (typeof d.guild_id === 'string') return `g:${d.guild_id}`;
  if (typeof d.channel_id === 'string') return `c:${d.channel_id}`;
  if (t.startsWith('CHANNEL_') && typeof d.id === 'string') return `c:${d.id}`;
  return 'session';
}
