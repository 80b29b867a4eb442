/**
 * `attachMezon(cache, client)`: keeps a botcache cache true from a MezonClient's socket events.
 * Events are applied one after another in arrival order (the SDK neither awaits nor orders async
 * listeners), a bad event is counted and reported instead of thrown into the SDK's emitter, and each
 * login ('ready') refreshes clans and channels without clearing anything.
 */
import type { MezonCacheTarget } from './cache-target.js';
import {
  onChannelDeleted,
  onChannelUpsert,
  onUserChannelAdded,
  onUserChannelRemoved,
} from './channel-events.js';
import { type FetchClanRolesOptions, fetchClanRoles } from './clan-roles.js';
import { EventBatch } from './event-batch.js';
import { type MezonLoaders, mezonLoaders } from './loaders.js';
import { onAddClanUser, onUserClanRemoved } from './member-events.js';
import { onChannelMessage, onMessageReaction } from './message-events.js';
import { MezonEventError } from './mezon-event-error.js';
import { MalformedPayload } from './payload.js';
import { refreshFromClient } from './ready-refresh.js';
import type { MezonRoleRecord } from './records.js';
import { onRoleAssign, onRoleEvent } from './role-events.js';
import { MEZON_EVENTS, type MezonClient } from './sdk-types.js';
import type { MezonEventContext } from './upserts.js';
import { useMezonLoaders } from './use-mezon-loaders.js';
import { onVoiceJoined, onVoiceLeaved } from './voice-events.js';

/** The parts of a `MezonClient` botcache uses. Managers are read at call time: the SDK replaces them on reconnect. */
export type MezonClientLike = Pick<MezonClient, 'on' | 'off' | 'clientId'> & {
  readonly clans?: Pick<MezonClient['clans'], 'get' | 'values'>;
  readonly channels?: Pick<MezonClient['channels'], 'get' | 'fetch'>;
  readonly users?: Pick<MezonClient['users'], 'get'>;
};

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
}

export interface MezonAttachmentStats {
  /** Events received. */
  received: number;
  /** Events applied to the cache. */
  applied: number;
  /** Events dropped because their payload was unusable. */
  malformed: number;
  /** Events that failed because the store failed. */
  failed: number;
  /** Completed refreshes after a login. */
  refreshes: number;
}

export interface MezonAttachmentEventMap {
  error: [error: MezonEventError];
  /** A refresh after a login finished. */
  refreshed: [];
}

type Listener<E extends keyof MezonAttachmentEventMap> = (...args: MezonAttachmentEventMap[E]) => void;

/** The handle `attachMezon` returns. */
export interface MezonAttachment {
  readonly stats: Readonly<MezonAttachmentStats>;
  /** Resolves once every event received so far has been applied (or reported). */
  idle(): Promise<void>;
  /** Refreshes clans and channels from the client now, as after a login. */
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
  readonly stats: MezonAttachmentStats = { received: 0, applied: 0, malformed: 0, failed: 0, refreshes: 0 };
  readonly loaders: MezonLoaders;
  readonly #client: MezonClientLike;
  readonly #context: MezonEventContext;
  readonly #options: AttachMezonOptions;
  readonly #registered: Array<[string, (...args: unknown[]) => void]> = [];
  readonly #listeners: { [E in keyof MezonAttachmentEventMap]: Set<Listener<E>> } = {
    error: new Set(),
    refreshed: new Set(),
  };
  #tail: Promise<void> = Promise.resolve();

  constructor(cache: MezonCacheTarget, client: MezonClientLike, options: AttachMezonOptions) {
    this.#client = client;
    this.#options = options;
    this.#context = { cache, botId: String(client.clientId) };
    this.loaders = options.loaders === false ? mezonLoaders(client) : useMezonLoaders(cache, client);
    for (const [event, handler] of HANDLERS) {
      this.#listen(event, (payload) => {
        this.stats.received++;
        this.#enqueue(event, async () => {
          // One transaction per event: a store failure leaves none of it applied.
          const batch = new EventBatch(cache);
          await handler(this.#context, payload as never, batch);
          await batch.commit();
        });
      });
    }
    if (options.refreshOnReady !== false) {
      this.#listen(MEZON_EVENTS.ready, () => {
        this.#enqueue(MEZON_EVENTS.ready, () => this.#refreshNow());
      });
    }
  }

  idle(): Promise<void> {
    return this.#tail;
  }

  refresh(): Promise<void> {
    return this.#enqueue('refresh', () => this.#refreshNow());
  }

  fetchClanRoles(clanId: string, options?: FetchClanRolesOptions): Promise<MezonRoleRecord[]> {
    return fetchClanRoles(this.#context.cache, this.loaders, clanId, options);
  }

  detach(): void {
    for (const [event, listener] of this.#registered.splice(0)) this.#client.off(event, listener);
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
        this.#report(event, error);
      }
    };
    this.#client.on(event, guarded);
    this.#registered.push([event, guarded]);
  }

  #enqueue(event: string, apply: () => Promise<void>): Promise<void> {
    this.#tail = this.#tail.then(async () => {
      try {
        await apply();
        if (event !== MEZON_EVENTS.ready && event !== 'refresh') this.stats.applied++;
      } catch (error) {
        this.#report(event, error);
      }
    });
    return this.#tail;
  }

  async #refreshNow(): Promise<void> {
    // Read at call time: a re-login replaces `client.clans` with a new manager.
    await refreshFromClient(this.#context, () => this.#client.clans?.values(), {
      loadChannels: this.#options.loadChannels !== false,
      onClanError: (clanId, cause) => {
        this.#emitError(
          new MezonEventError(`could not list the channels of clan ${clanId}`, {
            event: 'ready',
            malformed: false,
            cause,
          }),
        );
      },
    });
    this.stats.refreshes++;
    for (const listener of this.#listeners.refreshed) listener();
  }

  #report(event: string, cause: unknown): void {
    const malformed = cause instanceof MalformedPayload;
    if (malformed) this.stats.malformed++;
    else this.stats.failed++;
    const message = malformed
      ? `malformed ${event} payload: ${(cause as Error).message}`
      : `could not apply ${event} to the cache`;
    this.#emitError(new MezonEventError(message, { event, malformed, cause }));
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
