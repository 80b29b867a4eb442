/**
 * `attachMezon(cache, client)`: keeps a botcache cache true from a MezonClient's socket events.
 * Events are applied one after another in arrival order (the SDK neither awaits nor orders async
 * listeners), a bad event is counted and reported instead of thrown into the SDK's emitter, and each
 * login ('ready') refreshes clans and channels without clearing anything and without holding events back.
 */
import { type Duration, timerDuration } from '../../util/duration.js';
import type { MezonCacheTarget } from './cache-target.js';
import {
  onChannelDeleted,
  onChannelUpsert,
  onUserChannelAdded,
  onUserChannelRemoved,
} from './channel-events.js';
import { type FetchClanRolesOptions, fetchClanRoles } from './clan-roles.js';
import { EventBatch } from './event-batch.js';
import { describeIds, eventIds } from './event-ids.js';
import { type MezonLoaders, mezonLoaders } from './loaders.js';
import { onAddClanUser, onUserClanRemoved } from './member-events.js';
import { onChannelMessage, onMessageReaction } from './message-events.js';
import { MezonEventError } from './mezon-event-error.js';
import { DuplicatePayload, IgnoredPayload, MalformedPayload } from './payload.js';
import {
  applyChannelList,
  applyClanList,
  listClanChannels,
  listedClans,
  markClansStale,
} from './ready-refresh.js';
import { RecentIdentities } from './recent-identities.js';
import type { MezonRoleRecord } from './records.js';
import { onRoleAssign, onRoleEvent } from './role-events.js';
import type { MezonClientLike } from './sdk-shapes.js';
import { MEZON_EVENTS } from './sdk-types.js';
import type { MezonEventContext } from './upserts.js';
import { useMezonLoaders } from './use-mezon-loaders.js';
import { onVoiceJoined, onVoiceLeaved } from './voice-events.js';

export type { MezonClientLike } from './sdk-shapes.js';

export interface AttachMezonOptions {
  /** Refresh clans (and channels) each time the SDK logs in. Default true. */
  readonly refreshOnReady?: boolean;
  /** During that refresh, list every clan's channels through `clan.loadChannels()`. Default true. */
  readonly loadChannels?: boolean;
  /** Called with every event that could not be applied (also emitted as `'error'`). */
  readonly onError?: (error: MezonEventError) => void;
  /**
   * Set the SDK loaders on the cache's clans, channels and users, so `cache.channels.fetch(id)` works.
   * Default true. Their policies come from `createMezonCache({ fetch: { channels: { negativeTtl } } })`.
   */
  readonly loaders?: boolean;
  /**
   * How a refresh that could not list some clan's channels is retried: from fresh listings, after
   * `initialDelay`, doubling up to `maxDelay` (each ms or `'1s'`-style), at most `attempts` times.
   * Default 1 000 ms / 60 000 ms / 8.
   */
  readonly refreshRetry?: {
    readonly initialDelay?: Duration;
    readonly maxDelay?: Duration;
    readonly attempts?: number;
  };
}

export interface MezonAttachmentStats {
  /** Events received. */
  received: number;
  /** Events applied to the cache. */
  applied: number;
  /** Well-formed events that mean nothing to the cache (a role status outside Mezon's enum). */
  ignored: number;
  /** Events delivered again (same identity) and applied once. */
  duplicates: number;
  /** Events dropped because their payload was unusable. */
  malformed: number;
  /** Events that failed because the store failed. */
  failed: number;
  /** Completed refreshes after a login. */
  refreshes: number;
  /** Clan channel listings that failed during refreshes (each is retried). */
  refreshFailures: number;
  /** Times the SDK gave up logging in (after its own retries). */
  connectionsLost: number;
}

export interface MezonAttachmentEventMap {
  error: [error: MezonEventError];
  /** A refresh after a login finished (every clan listed, or retries exhausted). */
  refreshed: [];
  /**
   * mezon-sdk gave up logging in (its `login()` failed after its own 10 attempts, about 435 s, and it
   * closed the socket): no more events will come, and every cached clan is marked `stale: true` until a
   * later login's refresh. Call `client.login()` again to reconnect.
   */
  connectionLost: [error: unknown];
  /** An event was applied, `seconds` after it was received (for ingest-lag metrics). */
  applied: [info: { readonly event: string; readonly seconds: number }];
}

type Listener<E extends keyof MezonAttachmentEventMap> = (...args: MezonAttachmentEventMap[E]) => void;

/** The handle `attachMezon` returns. */
export interface MezonAttachment {
  readonly stats: Readonly<MezonAttachmentStats>;
  /** Resolves once every event received so far has been applied (or reported), and a running refresh ended. */
  idle(): Promise<void>;
  /** Refreshes clans and channels from the client now, as after a login (events keep flowing meanwhile). */
  refresh(): Promise<void>;
  /** The SDK loaders, reaching the client at call time (also set on the cache unless `loaders: false`). */
  readonly loaders: MezonLoaders;
  /** A clan's roles: from the cache once listed, else one `clan.listRoles()` for all concurrent callers. */
  fetchClanRoles(clanId: string, options?: FetchClanRolesOptions): Promise<MezonRoleRecord[]>;
  /** Removes every listener from the client. Events already received are still applied. */
  detach(): void;
  on<E extends keyof MezonAttachmentEventMap>(event: E, listener: Listener<E>): this;
  off<E extends keyof MezonAttachmentEventMap>(event: E, listener: Listener<E>): this;
}

/** Stages the event's writes in `batch`; the attachment commits it as one transaction. */
type Handler = (context: MezonEventContext, payload: never, batch: EventBatch) => Promise<void>;

const HANDLERS: ReadonlyArray<readonly [string, Handler]> = [
  [MEZON_EVENTS.channelMessage, onChannelMessage],
  [MEZON_EVENTS.messageReaction, onMessageReaction],
  [MEZON_EVENTS.channelCreated, onChannelUpsert],
  [MEZON_EVENTS.channelUpdated, onChannelUpsert],
  [MEZON_EVENTS.channelDeleted, onChannelDeleted],
  [MEZON_EVENTS.userChannelAdded, onUserChannelAdded],
  [MEZON_EVENTS.userChannelRemoved, onUserChannelRemoved],
  [MEZON_EVENTS.addClanUser, onAddClanUser],
  [MEZON_EVENTS.userClanRemoved, onUserClanRemoved],
  [MEZON_EVENTS.roleEvent, onRoleEvent],
  [MEZON_EVENTS.roleAssign, onRoleAssign],
  [MEZON_EVENTS.voiceJoined, onVoiceJoined],
  [MEZON_EVENTS.voiceLeaved, onVoiceLeaved],
];

class Attachment implements MezonAttachment {
  readonly stats: MezonAttachmentStats = {
    received: 0,
    applied: 0,
    ignored: 0,
    duplicates: 0,
    malformed: 0,
    failed: 0,
    refreshes: 0,
    refreshFailures: 0,
    connectionsLost: 0,
  };
  readonly loaders: MezonLoaders;
  readonly #client: MezonClientLike;
  readonly #context: MezonEventContext;
  readonly #options: AttachMezonOptions;
  readonly #registered: Array<[string, (...args: unknown[]) => void]> = [];
  readonly #listeners: { [E in keyof MezonAttachmentEventMap]: Set<Listener<E>> } = {
    error: new Set(),
    refreshed: new Set(),
    connectionLost: new Set(),
    applied: new Set(),
  };
  /** One set per running refresh: the entities events wrote since it began. */
  readonly #watchers = new Set<Set<string>>();
  readonly #retryTimers = new Set<ReturnType<typeof setTimeout>>();
  #tail: Promise<void> = Promise.resolve();
  #refreshing: Promise<void> | undefined;
  #refreshAgain = false;
  #unconfirmAgain = false;
  #logins = 0;
  #restoreLogin: (() => void) | undefined;
  #detached = false;
  /** `refreshRetry`'s delays in ms. */
  readonly #retryDelays: { readonly initial: number; readonly max: number };

  constructor(cache: MezonCacheTarget, client: MezonClientLike, options: AttachMezonOptions) {
    this.#client = client;
    this.#options = options;
    this.#retryDelays = {
      initial: timerDuration(options.refreshRetry?.initialDelay, 'refreshRetry.initialDelay', 1_000),
      max: timerDuration(options.refreshRetry?.maxDelay, 'refreshRetry.maxDelay', 60_000),
    };
    this.#context = { cache, botId: String(client.clientId), recent: new RecentIdentities() };
    this.loaders = options.loaders === false ? mezonLoaders(client) : useMezonLoaders(cache, client);
    for (const [event, handler] of HANDLERS) {
      this.#listen(event, (payload) => {
        this.stats.received++;
        this.#enqueue(event, payload, async () => {
          // One transaction per event: a store failure leaves none of it applied.
          const batch = new EventBatch(cache);
          await handler(this.#context, payload as never, batch);
          const touched = batch.stagedKeys();
          await batch.commit();
          for (const watcher of this.#watchers) for (const key of touched) watcher.add(key);
        });
      });
    }
    if (options.refreshOnReady !== false) {
      this.#listen(MEZON_EVENTS.ready, () => {
        this.#logins++;
        // Every login after the first comes back from an absence: members may have left meanwhile.
        void this.#refresh(this.#logins > 1);
      });
    }
    this.#watchLogin();
  }

  async idle(): Promise<void> {
    // A refresh enqueues its writes as it goes: wait until neither the queue nor a refresh moves.
    for (;;) {
      const tail = this.#tail;
      const refreshing = this.#refreshing;
      await Promise.all([tail, refreshing]);
      if (tail === this.#tail && refreshing === this.#refreshing) return;
    }
  }

  refresh(): Promise<void> {
    return this.#refresh(false);
  }

  fetchClanRoles(clanId: string, options?: FetchClanRolesOptions): Promise<MezonRoleRecord[]> {
    return fetchClanRoles(this.#context.cache, this.loaders, clanId, options);
  }

  detach(): void {
    this.#detached = true;
    for (const [event, listener] of this.#registered.splice(0)) this.#client.off(event, listener);
    for (const timer of this.#retryTimers) clearTimeout(timer);
    this.#retryTimers.clear();
    this.#restoreLogin?.();
    this.#restoreLogin = undefined;
  }

  on<E extends keyof MezonAttachmentEventMap>(event: E, listener: Listener<E>): this {
    this.#listeners[event].add(listener);
    return this;
  }

  off<E extends keyof MezonAttachmentEventMap>(event: E, listener: Listener<E>): this {
    this.#listeners[event].delete(listener);
    return this;
  }

  #listen(event: string, listener: (payload: unknown) => void): void {
    const guarded = (payload: unknown) => {
      // Nothing may escape into the SDK's emitter: it would crash the socket's dispatch loop.
      try {
        listener(payload);
      } catch (error) {
        this.#report(event, payload, error);
      }
    };
    this.#client.on(event, guarded);
    this.#registered.push([event, guarded]);
  }

  /**
   * mezon-sdk's reconnect loop calls `client.login()`, which retries 10 times and then closes the socket
   * for good: the only sign is that promise rejecting. The instance method is wrapped (and restored on
   * detach) to hear it.
   */
  #watchLogin(): void {
    const client = this.#client;
    const original = client.login;
    if (typeof original !== 'function') return;
    const wrapped = async (): Promise<string> => {
      try {
        return await original.call(client);
      } catch (error) {
        if (!this.#detached) this.#connectionLost(error);
        throw error;
      }
    };
    client.login = wrapped;
    this.#restoreLogin = () => {
      if (client.login === wrapped) client.login = original;
    };
  }

  #connectionLost(error: unknown): void {
    this.stats.connectionsLost++;
    this.#enqueue('connection_lost', undefined, () => markClansStale(this.#context));
    for (const listener of this.#listeners.connectionLost) {
      try {
        listener(error);
      } catch (listenerError) {
        console.error(listenerError);
      }
    }
  }

  #enqueue(event: string, payload: unknown, apply: () => Promise<void>): Promise<void> {
    const received = this.#listeners.applied.size > 0 ? performance.now() : 0;
    this.#tail = this.#tail.then(async () => {
      try {
        await apply();
        if (payload !== undefined) {
          this.stats.applied++;
          if (received > 0) {
            const info = { event, seconds: (performance.now() - received) / 1000 };
            for (const listener of this.#listeners.applied) listener(info);
          }
        }
      } catch (error) {
        this.#report(event, payload, error);
      }
    });
    return this.#tail;
  }

  /** One refresh at a time; a login during one runs another right after it (the listing changed). */
  #refresh(unconfirm: boolean): Promise<void> {
    if (this.#refreshing) {
      this.#refreshAgain = true;
      this.#unconfirmAgain ||= unconfirm;
      return this.#refreshing;
    }
    const run = (async () => {
      let mark = unconfirm;
      do {
        this.#refreshAgain = false;
        await this.#refreshOnce(mark);
        mark = this.#unconfirmAgain;
        this.#unconfirmAgain = false;
      } while (this.#refreshAgain && !this.#detached);
    })().finally(() => {
      this.#refreshing = undefined;
    });
    this.#refreshing = run;
    return run;
  }

  async #refreshOnce(unconfirm: boolean): Promise<void> {
    const watcher = new Set<string>();
    this.#watchers.add(watcher);
    try {
      // Read at call time: a re-login replaces `client.clans` with a new manager.
      const clans = listedClans(() => this.#client.clans?.values());
      await this.#apply(() => applyClanList(this.#context, clans, watcher, unconfirm));
      if (this.#options.loadChannels === false) return this.#refreshed();
      const failed = await this.#listChannels(
        clans.map((clan) => clan.id),
        watcher,
      );
      if (failed.length === 0) return this.#refreshed();
      this.#retry(failed, 0);
    } finally {
      this.#watchers.delete(watcher);
    }
  }

  /** Lists each clan's channels (outside the queue) and applies each listing (in it). Returns the clans that failed. */
  async #listChannels(clanIds: readonly string[], watcher: Set<string>): Promise<string[]> {
    const failed: string[] = [];
    for (const clanId of clanIds) {
      if (this.#detached) break;
      // The Clan object of the current login (a re-login replaces it, with a fresh session token).
      const clan = this.#client.clans?.get(clanId);
      if (!clan) continue;
      let listing: Awaited<ReturnType<typeof listClanChannels>>;
      try {
        listing = await listClanChannels(this.#client, clan);
      } catch (cause) {
        this.stats.refreshFailures++;
        failed.push(clanId);
        this.#emitError(
          new MezonEventError(`could not list the channels of clan ${clanId}`, {
            event: 'ready',
            malformed: false,
            ids: { clan_id: clanId },
            cause,
          }),
        );
        continue;
      }
      await this.#apply(() => applyChannelList(this.#context, clanId, listing, watcher));
    }
    return failed;
  }

  /** Retries the clans whose listing failed, from fresh listings, with a doubling delay. */
  #retry(clanIds: readonly string[], attempt: number): void {
    const { attempts = 8 } = this.#options.refreshRetry ?? {};
    const { initial: initialDelay, max: maxDelay } = this.#retryDelays;
    if (attempt >= attempts || this.#detached) {
      this.#refreshed();
      return;
    }
    const delay = Math.min(initialDelay * 2 ** attempt, maxDelay);
    const timer = setTimeout(() => {
      this.#retryTimers.delete(timer);
      const watcher = new Set<string>();
      this.#watchers.add(watcher);
      const run = this.#listChannels(clanIds, watcher)
        .then((failed) => {
          if (failed.length === 0) this.#refreshed();
          else this.#retry(failed, attempt + 1);
        })
        .finally(() => this.#watchers.delete(watcher));
      // While it runs, idle() waits for it like for any refresh.
      if (!this.#refreshing) {
        const tracked: Promise<void> = run.finally(() => {
          if (this.#refreshing === tracked) this.#refreshing = undefined;
        });
        this.#refreshing = tracked;
      }
    }, delay);
    timer.unref?.();
    this.#retryTimers.add(timer);
  }

  /** Runs a refresh's write in the event queue, so it is ordered with the events around it. */
  #apply(write: () => Promise<void>): Promise<void> {
    return this.#enqueue('refresh', undefined, write);
  }

  #refreshed(): void {
    this.stats.refreshes++;
    for (const listener of this.#listeners.refreshed) listener();
  }

  #report(event: string, payload: unknown, cause: unknown): void {
    if (cause instanceof DuplicatePayload) {
      this.stats.duplicates++;
      return;
    }
    if (cause instanceof IgnoredPayload) {
      this.stats.ignored++;
      return;
    }
    const malformed = cause instanceof MalformedPayload;
    if (malformed) this.stats.malformed++;
    else this.stats.failed++;
    const ids = eventIds(payload);
    const named = describeIds(ids);
    const about = named.length > 0 ? ` (${named})` : '';
    const message = malformed
      ? `malformed ${event} payload${about}: ${(cause as Error).message}`
      : `could not apply ${event}${about} to the cache`;
    this.#emitError(new MezonEventError(message, { event, malformed, ids, cause }));
  }

  #emitError(error: MezonEventError): void {
    const listeners = this.#listeners.error;
    const { onError } = this.#options;
    if (!onError && listeners.size === 0) {
      console.error(error);
      return;
    }
    for (const report of [onError, ...listeners]) {
      try {
        report?.(error);
      } catch (listenerError) {
        console.error(listenerError);
      }
    }
  }
}

/**
 * Registers on `client` and keeps `cache` true from its events, in Mezon's words (clans are the
 * guild resource). Returns a handle whose `detach()` removes every listener.
 */
export function attachMezon(
  cache: MezonCacheTarget,
  client: MezonClientLike,
  options: AttachMezonOptions = {},
): MezonAttachment {
  if (typeof cache !== 'object' || cache === null || typeof cache.guilds?.get !== 'function') {
    throw new TypeError('cache must be a botcache resource cache (createCache())');
  }
  if (typeof client !== 'object' || client === null || typeof client.on !== 'function') {
    throw new TypeError('client must be a MezonClient');
  }
  if (typeof client.clientId !== 'string' || client.clientId.length === 0) {
    throw new TypeError('client.clientId must be the bot id string');
  }
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  return new Attachment(cache, client, options);
}
