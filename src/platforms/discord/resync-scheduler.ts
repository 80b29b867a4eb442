/**
 * Re-sync after a store outage. A guild whose dispatch failed because the store failed is stale: the
 * cache missed a change. Once the store answers again (tried after `delay`, doubling to 30 s while it
 * does not), each stale guild is replaced from a snapshot, applied in the guild's lane so it lands
 * between the dispatches around it, in order. Known guilds that vanished from the store (a Redis
 * restarted without persistence) are re-synced too.
 */
import { applyGuildSnapshot } from './handlers/guild-handlers.js';
import { type HandlerContext, type ReadWriteHandler, readWriteHandler } from './handlers/handler-types.js';
import type { JsonObject } from './payload-checks.js';

/**
 * Loads a guild's current state: a GUILD_CREATE-shaped object (collections left out stay as cached),
 * or undefined when the bot is no longer in the guild. Rejects when the source is unavailable.
 */
export type GuildResync = (guildId: string) => Promise<object | undefined>;

const MAX_DELAY_MS = 30_000;

export interface ResyncSchedulerOptions {
  readonly resync: GuildResync | undefined;
  readonly delay: number;
  readonly context: HandlerContext;
  /** Guilds whose state the manager applied (checked for loss after an outage). */
  knownGuilds(): string[];
  /** Queues a handler in the guild's lane; resolves with whether it ran without error. */
  enqueue(guildId: string, handler: ReadWriteHandler): Promise<boolean>;
  onStale(guildId: string): void;
  onResynced(guildId: string): void;
  onFailed(guildId: string | undefined, error: unknown): void;
}

export class ResyncScheduler {
  readonly stale = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private attempt = 0;
  /** Set by a store failure: after it, known guilds are checked for lost data. */
  private checkKnown = false;
  private closed = false;

  constructor(private readonly options: ResyncSchedulerOptions) {}

  markStale(guildId: string): void {
    this.checkKnown = true;
    if (!this.stale.has(guildId)) {
      this.stale.add(guildId);
      this.options.onStale(guildId);
    }
    this.schedule();
  }

  /** The guild's whole state was just written (GUILD_CREATE or re-sync). */
  fresh(guildId: string): void {
    this.stale.delete(guildId);
  }

  /** The guild left: nothing to re-sync. */
  forget(guildId: string): void {
    this.stale.delete(guildId);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.closed || this.options.resync === undefined || this.timer !== undefined || this.running) return;
    const delay = Math.min(this.options.delay * 2 ** this.attempt, MAX_DELAY_MS);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delay);
    // A pending re-sync must not keep a finished process alive.
    this.timer.unref();
  }

  private async run(): Promise<void> {
    this.running = true;
    let ok = true;
    try {
      if (this.checkKnown) await this.findLostGuilds();
      const results = await Promise.all([...this.stale].map((guildId) => this.resyncOne(guildId)));
      ok = results.every(Boolean);
    } catch (error) {
      // The store is still down (the lost-guild check failed): try again later.
      ok = false;
      this.options.onFailed(undefined, error);
    } finally {
      this.running = false;
    }
    this.attempt = ok ? 0 : this.attempt + 1;
    // Failures during the run (or before it finished) marked guilds again: go on until none are left.
    if (this.stale.size > 0) this.schedule();
  }

  private async findLostGuilds(): Promise<void> {
    const { cache } = this.options.context;
    const known = this.options.knownGuilds().filter((guildId) => !this.stale.has(guildId));
    const present = await Promise.all(known.map((guildId) => cache.guilds.has(guildId)));
    this.checkKnown = false;
    known.forEach((guildId, i) => {
      if (!present[i]) this.markStale(guildId);
    });
  }

  private async resyncOne(guildId: string): Promise<boolean> {
    const resync = this.options.resync!;
    let failure: unknown;
    let applied = false;
    const handler = readWriteHandler(false, async (_data, ctx) => {
      // A GUILD_CREATE queued before this one may have refreshed the guild already.
      if (!this.stale.has(guildId)) return;
      try {
        const snapshot = await resync(guildId);
        // Clears the stale mark (through `fresh` or `forget`); a later failure in the lane sets it again.
        await applyGuildSnapshot(ctx, guildId, snapshot as JsonObject | undefined);
        applied = true;
      } catch (error) {
        failure = error;
        throw error;
      }
    });
    const ok = await this.options.enqueue(guildId, handler);
    if (applied) this.options.onResynced(guildId);
    else if (!ok) this.options.onFailed(guildId, failure);
    return ok;
  }
}
