/**
 * The part of a botcache resource cache (`createCache()`) that the Mezon integration writes to,
 * described structurally so any cache with the standard resources fits. Values are plain objects;
 * the Mezon layer stores the records of `records.ts` in them.
 */
import type { Loader } from '../../fetch/loader.js';
import type { ResourceLimitOptions } from '../../resources/limits.js';

/** A resource keyed by one id (guilds/clans, users). */
export interface IdResource extends LoaderSlot {
  get(id: string): Promise<object | undefined>;
  set(id: string, value: object): Promise<unknown>;
  patch(id: string, partial: object): Promise<unknown>;
  delete(id: string): Promise<unknown>;
  keys(): AsyncIterable<string>;
}

/** A view of the entries bound to one parent. */
export interface ParentView {
  count(): Promise<number>;
  keys(): AsyncIterable<string>;
  [Symbol.asyncIterator](): AsyncIterator<[string, object]>;
}

/** A resource bound to a guild/clan (channels, roles). */
export interface GuildBoundResource extends LoaderSlot {
  get(id: string): Promise<object | undefined>;
  set(id: string, value: object, relations?: { guildId?: string }): Promise<unknown>;
  patch(id: string, partial: object): Promise<unknown>;
  delete(id: string): Promise<unknown>;
  forGuild(guildId: string): ParentView;
}

/** A resource keyed by guild and user (members). */
export interface GuildUserResource {
  get(guildId: string, userId: string): Promise<object | undefined>;
  set(guildId: string, userId: string, value: object): Promise<unknown>;
  patch(guildId: string, userId: string, partial: object): Promise<unknown>;
  delete(guildId: string, userId: string): Promise<unknown>;
  forGuild(guildId: string): ParentView;
}

/** Voice states: keyed by guild and user, bound to a channel too. */
export interface VoiceStateResource {
  get(guildId: string, userId: string): Promise<object | undefined>;
  set(guildId: string, userId: string, value: object, relations: { channelId: string }): Promise<unknown>;
  delete(guildId: string, userId: string): Promise<unknown>;
}

/** Messages: keyed by id, bound to a channel and an author. */
export interface MessageResource {
  get(id: string): Promise<object | undefined>;
  set(id: string, value: object, relations: { channelId: string; authorId?: string }): Promise<unknown>;
  patch(id: string, partial: object): Promise<unknown>;
  delete(id: string): Promise<unknown>;
}

/**
 * The writes of one `cache.transaction(tx => …)`: recorded, then applied as ONE store batch, so an event
 * that touches several entities is applied whole or not at all.
 */
export interface MezonTransaction {
  readonly guilds: { set(id: string, value: object): void; delete(id: string): void };
  readonly channels: {
    set(id: string, value: object, relations?: { guildId?: string }): void;
    delete(id: string): void;
  };
  readonly roles: {
    set(id: string, value: object, relations?: { guildId?: string }): void;
    delete(id: string): void;
  };
  readonly members: {
    set(guildId: string, userId: string, value: object): void;
    delete(guildId: string, userId: string): void;
  };
  readonly users: { set(id: string, value: object): void };
  readonly messages: {
    set(id: string, value: object, relations: { channelId: string; authorId?: string }): void;
    delete(id: string): void;
  };
  readonly voiceStates: {
    set(guildId: string, userId: string, value: object, relations?: { channelId?: string }): void;
    delete(guildId: string, userId: string): void;
  };
}

/** A user-defined group (`cache.define()`), as far as the role-list bookkeeping uses it. */
export interface LoadableGroup<V extends object> {
  fetch(id: string, options?: { loader?: Loader<V>; force?: boolean }): Promise<V>;
  delete(id: string): Promise<unknown>;
}

/** What `attachMezon` needs from a cache. `createMezonCache()` (a botcache `BotCache`) satisfies it. */
export interface MezonCacheTarget {
  readonly guilds: IdResource;
  readonly channels: GuildBoundResource;
  readonly roles: GuildBoundResource;
  readonly members: GuildUserResource;
  readonly users: IdResource;
  readonly messages: MessageResource;
  readonly voiceStates: VoiceStateResource;
  transaction(build: (tx: MezonTransaction) => void | Promise<void>): Promise<void>;
  define<V extends object>(name: string, options?: ResourceLimitOptions): LoadableGroup<V>;
}

/** Resources whose `fetch` takes a loader (`createCache()`'s resources do); `attachMezon` sets them. */
export interface LoaderSlot {
  setLoader?(loader: Loader<object>): void;
}
