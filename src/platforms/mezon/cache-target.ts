/**
 * The part of a botcache resource cache (`createCache()`) that the Mezon integration writes to,
 * described structurally so any cache with the standard resources fits. Values are plain objects;
 * the Mezon layer stores the records of `records.ts` in them.
 */

/** A resource keyed by one id (guilds/clans, users). */
export interface IdResource {
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
export interface GuildBoundResource {
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

/** What `attachMezon` needs from a cache. `createCache()` from `botcache` satisfies it. */
export interface MezonCacheTarget {
  readonly guilds: IdResource;
  readonly channels: GuildBoundResource;
  readonly roles: GuildBoundResource;
  readonly members: GuildUserResource;
  readonly users: IdResource;
  readonly messages: MessageResource;
  readonly voiceStates: VoiceStateResource;
}
