import { MemoryStore } from '../store/memory/memory-store.js';
import type { Store } from '../store/types.js';
import { assertNamespace, describe } from '../util/validate.js';
import { ChannelCache } from './channel-cache.js';
import { GroupCache } from './group-cache.js';
import { GuildBoundCache } from './guild-bound-cache.js';
import { GuildCache } from './guild-cache.js';
import { GuildUserCache } from './guild-user-cache.js';
import { InviteCache } from './invite-cache.js';
import {
  type CacheLimitOptions,
  type ResourceLimitOptions,
  resolveCacheLimits,
  resolveLimitOptions,
  toNamespaceLimits,
} from './limits.js';
import { MeCache } from './me-cache.js';
import { MemberCache } from './member-cache.js';
import { MessageCache } from './message-cache.js';
import type { ResourceCaches } from './resource-caches.js';
import { ResourceContext } from './resource-context.js';
import {
  type CacheEventMap,
  type DisposeReason,
  type ResourceEvent,
  ResourceEvents,
} from './resource-events.js';
import type { ResourceFetchOptions } from './resource-fetch.js';
import { BY_CHANNEL, RESOURCE_NAMES, type ResourceName } from './resource-names.js';
import { type TransactionResources, type TransactionStep, transactionResources } from './transaction.js';
import { UserCache } from './user-cache.js';
import type { ResourceValueTypes, ValueOf } from './value-types.js';
import { VoiceStateCache } from './voice-state-cache.js';
import { WritePlan } from './write-plan.js';

/** The ids a resource's loader takes before its `{ signal }`. */
export type LoaderIds<R extends ResourceName> = R extends 'members' | 'presences' | 'voiceStates'
  ? [guildId: string, userId: string]
  : R extends 'me'
    ? []
    : [id: string];

/** Loaders and fetch policies per resource, for `createCache({ fetch })`. */
export type ResourceFetchConfig<T extends ResourceValueTypes = ResourceValueTypes> = {
  readonly [R in ResourceName]?: ResourceFetchOptions<ValueOf<T, R>, LoaderIds<R>>;
};

/** Options of {@link createCache}. */
export interface CreateCacheOptions<T extends ResourceValueTypes = ResourceValueTypes> {
  /**
   * How each resource loads on a cache miss (`cache.channels.fetch(id)`): its loader and policy
   * (negativeTtl, staleWhileRevalidate, refreshThreshold, serveStaleOnError, timeout, crossProcess).
   */
  readonly fetch?: ResourceFetchConfig<T>;
  /** Where entries live. Default: a new MemoryStore, which `close()` then closes too. */
  readonly store?: Store;
  /** Per-resource limits over the documented defaults. */
  readonly limits?: CacheLimitOptions;
  /** Prepended to every namespace (`'bot1'` → `bot1.members`), so several caches can share one store. */
  readonly namespacePrefix?: string;
  /**
   * Called for every entry that leaves the cache (deleted, evicted, expired), like lru-cache's
   * `dispose`; the same as `cache.on('dispose', …)`.
   */
  readonly dispose?: (event: ResourceEvent & { readonly reason: DisposeReason }) => void;
}

/** Options of {@link BotCache.define}: the group's limits (coc.py's CacheConfig). */
export type GroupOptions = ResourceLimitOptions;

/**
 * The resource caches of one bot over one store: guilds, channels, roles, emojis, members, users,
 * messages, presences, voice states, invites and me, plus user-defined groups.
 */
export class BotCache<T extends ResourceValueTypes = ResourceValueTypes> implements ResourceCaches<T> {
  readonly store: Store;
  readonly guilds: GuildCache<ValueOf<T, 'guilds'>>;
  readonly channels: ChannelCache<ValueOf<T, 'channels'>>;
  readonly roles: GuildBoundCache<ValueOf<T, 'roles'>>;
  readonly emojis: GuildBoundCache<ValueOf<T, 'emojis'>>;
  readonly members: MemberCache<ValueOf<T, 'members'>>;
  readonly users: UserCache<ValueOf<T, 'users'>>;
  readonly messages: MessageCache<ValueOf<T, 'messages'>>;
  readonly presences: GuildUserCache<ValueOf<T, 'presences'>>;
  readonly voiceStates: VoiceStateCache<ValueOf<T, 'voiceStates'>>;
  readonly invites: InviteCache<ValueOf<T, 'invites'>>;
  readonly me: MeCache<ValueOf<T, 'me'>>;
  readonly #ctx: ResourceContext;
  readonly #ownsStore: boolean;
  readonly #groups = new Map<string, GroupCache<object>>();
  /** Store namespace -> resource or group name, for the resource events. */
  readonly #resourceByNamespace = new Map<string, string>();
  readonly #events: ResourceEvents;

  constructor(options: CreateCacheOptions<T> = {}) {
    if (typeof options !== 'object' || options === null)
      throw new TypeError(`options must be an object (got ${describe(options)})`);
    const { store, limits, namespacePrefix, fetch } = options;
    if (fetch !== undefined && (typeof fetch !== 'object' || fetch === null))
      throw new TypeError(`options.fetch must be an object (got ${describe(fetch)})`);
    for (const name of Object.keys(fetch ?? {})) {
      if (!(RESOURCE_NAMES as readonly string[]).includes(name))
        throw new RangeError(
          `options.fetch.${name} is not a resource (expected one of ${RESOURCE_NAMES.join(', ')})`,
        );
    }
    if (
      store !== undefined &&
      (typeof store !== 'object' || store === null || typeof store.batch !== 'function')
    )
      throw new TypeError(`options.store must be a botcache Store (got ${describe(store)})`);
    if (namespacePrefix !== undefined) {
      assertNamespace(namespacePrefix, 'options.namespacePrefix');
      if (namespacePrefix.length > 48)
        throw new RangeError(
          `options.namespacePrefix must be at most 48 characters (got ${namespacePrefix.length})`,
        );
    }
    const resolved = resolveCacheLimits(limits);
    this.#ownsStore = store === undefined;
    this.store = store ?? new MemoryStore();
    const ctx = new ResourceContext(this.store, resolved, namespacePrefix, fetch ?? {});
    this.#ctx = ctx;
    for (const name of RESOURCE_NAMES) {
      this.store.configure(
        ctx.namespace(name),
        toNamespaceLimits(resolved[name], name === 'messages' ? BY_CHANNEL : undefined),
      );
    }
    this.guilds = new GuildCache(ctx);
    this.channels = new ChannelCache(ctx);
    this.roles = new GuildBoundCache(ctx, 'roles');
    this.emojis = new GuildBoundCache(ctx, 'emojis');
    this.members = new MemberCache(ctx);
    this.users = new UserCache(ctx);
    this.messages = new MessageCache(ctx);
    this.presences = new GuildUserCache(ctx, 'presences');
    this.voiceStates = new VoiceStateCache(ctx);
    this.invites = new InviteCache(ctx);
    this.me = new MeCache(ctx);
    for (const name of RESOURCE_NAMES) this.#resourceByNamespace.set(ctx.namespace(name), name);
    this.#events = new ResourceEvents(this.store, (ns) => this.#resourceByNamespace.get(ns));
    ctx.onLoad = (resource, report) => this.#events.loaded(resource, report);
    if (options.dispose !== undefined) {
      if (typeof options.dispose !== 'function')
        throw new TypeError(`options.dispose must be a function (got ${describe(options.dispose)})`);
      this.#events.on('dispose', options.dispose);
    }
  }

  /**
   * Listens to the cache's resource events (set, delete, evict, expire, clear, dispose). Nothing is
   * watched, and writes pay nothing, until the first listener is added.
   */
  on<E extends keyof CacheEventMap>(event: E, listener: (...args: CacheEventMap[E]) => void): this {
    this.#events.on(event, listener);
    return this;
  }

  off<E extends keyof CacheEventMap>(event: E, listener: (...args: CacheEventMap[E]) => void): this {
    this.#events.off(event, listener);
    return this;
  }

  get closed(): boolean {
    return this.#ctx.closed;
  }

  /** Opens the store (connects remote stores). Other calls also open it on first use. */
  async open(): Promise<void> {
    this.#ctx.guard();
    return this.store.open();
  }

  /** Closes the cache; closes the store only if this cache created it. Idempotent. */
  async close(): Promise<void> {
    if (this.#ctx.closed) return;
    this.#ctx.markClosed();
    if (this.#ownsStore) await this.store.close();
  }

  /** `await using cache = createCache()`: closed (with the store it created) when the scope ends. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /**
   * A user-defined resource with its own limits (coc.py's groups), e.g.
   * `cache.define<Player>('player', { max: 1024, ttl: '1h' })`. Same API as `cache.guilds`.
   * Calling it again with a defined name returns the same cache if the options agree.
   */
  define<V extends object = Record<string, unknown>>(
    name: string,
    options: GroupOptions = {},
  ): GroupCache<V> {
    this.#ctx.guard();
    assertNamespace(name, 'name');
    if ((RESOURCE_NAMES as readonly string[]).includes(name))
      throw new RangeError(`name '${name}' is a built-in resource; pick another group name`);
    const limits = resolveLimitOptions(options, {}, 'options');
    const existing = this.#groups.get(name);
    if (existing) {
      if (JSON.stringify(existing.limits) !== JSON.stringify(limits))
        throw new RangeError(`group '${name}' is already defined with other limits`);
      return existing as unknown as GroupCache<V>;
    }
    this.store.configure(this.#ctx.namespace(name), toNamespaceLimits(limits));
    this.#resourceByNamespace.set(this.#ctx.namespace(name), name);
    const group = new GroupCache<V>(this.#ctx, name, limits);
    this.#groups.set(name, group as unknown as GroupCache<object>);
    return group;
  }

  /**
   * Applies several writes as ONE store batch (an event adapter's GUILD_CREATE: the guild, its channels,
   * roles, members, users…): no reader sees some applied and others not. If any write is invalid, or a
   * user delete is refused, nothing is applied.
   */
  async transaction(build: (tx: TransactionResources<T>) => void | Promise<void>): Promise<void> {
    this.#ctx.guard();
    if (typeof build !== 'function') throw new TypeError(`build must be a function (got ${describe(build)})`);
    const steps: TransactionStep[] = [];
    await build(transactionResources(this, (step) => steps.push(step)));
    const plan = new WritePlan(this.#ctx);
    for (const step of steps) {
      const pending = step(plan);
      if (pending instanceof Promise) await pending;
    }
    await plan.commit();
  }
}

/** Creates the resource caches over a store (a new MemoryStore by default). */
export function createCache<T extends ResourceValueTypes = ResourceValueTypes>(
  // Typed by T only: a loader for `createCache<DiscordValueTypes>()` must load Discord payloads.
  options: CreateCacheOptions<T> = {},
): BotCache<T> {
  return new BotCache<T>(options);
}
