import type { Loader } from '../fetch/loader.js';
import type { IndexLink } from '../store/types.js';
import { guildLink } from './guild-bound-cache.js';
import { assertId, assertIds, guildUserKey, parseGuildUserKey } from './ids.js';
import type { ResourceContext } from './resource-context.js';
import { checkValue, type Patch, ResourceCore } from './resource-core.js';
import type { ResourceFetchCall, ResourceFetching } from './resource-fetch.js';
import type { ResourceView } from './resource-view.js';
import type { WritePlan } from './write-plan.js';

/** The id of a (guild, user) entity as iteration yields it. */
export type GuildUserId = readonly [guildId: string, userId: string];

/**
 * Members, presences, voice states: keyed by (guildId, userId), stored under `{guildId}:userId` so a
 * guild's entities share one Redis Cluster slot, and always linked to their guild.
 */
export class GuildUserCache<V extends object>
  extends ResourceCore<V>
  implements AsyncIterable<[GuildUserId, V]>
{
  constructor(ctx: ResourceContext, name: string) {
    super(ctx, name);
  }

  protected key(guildId: string, userId: string): string {
    assertId(guildId, 'guildId');
    assertId(userId, 'userId');
    return guildUserKey(guildId, userId);
  }

  /** The cached value, or undefined on a miss. No async layer of its own: the store's promise is the answer. */
  get(guildId: string, userId: string): Promise<V | undefined> {
    let key: string;
    try {
      key = this.key(guildId, userId);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.readKey(key);
  }

  /**
   * The cached value now, synchronously, on a memory-backed store (MemoryStore): no promise, for hot
   * paths such as a command handler's permission check. Throws a TypeError on stores that cannot answer
   * synchronously (use {@link get}).
   */
  peek(guildId: string, userId: string): V | undefined {
    return this.peekKey(this.key(guildId, userId));
  }

  /** Values of several users of one guild, in order, undefined for misses. */
  async getMany(guildId: string, userIds: readonly string[]): Promise<(V | undefined)[]> {
    assertId(guildId, 'guildId');
    assertIds(userIds, 'userIds');
    return this.readKeys(userIds.map((userId) => guildUserKey(guildId, userId)));
  }

  /**
   * The cached value, else the loaded one (single-flight, negative caching, SWR: see the id resources'
   * `fetch`). The loader is called as `loader(guildId, userId, { signal })`.
   */
  async fetch(
    guildId: string,
    userId: string,
    options?: ResourceFetchCall<V, [guildId: string, userId: string]>,
  ): Promise<V> {
    const key = this.key(guildId, userId);
    this.ctx.guard();
    return this.fetching().fetch(key, [guildId, userId], options);
  }

  /** Sets the loader `fetch` uses when a call gives none. */
  setLoader(loader: Loader<V, [guildId: string, userId: string]>): void {
    this.fetching().setLoader(loader);
  }

  private fetching(): ResourceFetching<V, [guildId: string, userId: string]> {
    return this.fetchingWith<[guildId: string, userId: string]>(
      (key) => parseGuildUserKey(key) as [string, string],
      (plan, [guildId, userId], value) => this.planLoaded(plan, guildId, userId, value),
    );
  }

  /** Adds the write of a value a loader returned. */
  protected planLoaded(plan: WritePlan, guildId: string, userId: string, value: V): number {
    return this.planSet(plan, guildId, userId, value);
  }

  async has(guildId: string, userId: string): Promise<boolean> {
    const key = this.key(guildId, userId);
    this.ctx.guard();
    return this.ctx.store.has(this.ns, key);
  }

  /** Writes the value; resolves to the previous one (undefined if none). */
  async set(guildId: string, userId: string, value: V): Promise<V | undefined> {
    checkValue(value);
    let index = -1;
    const results = await this.commit((plan) => {
      index = this.planSet(plan, guildId, userId, value);
    });
    return results[index] as V | undefined;
  }

  /** @internal The write path shared by `set`, transactions and the fetch layer. */
  planSet(plan: WritePlan, guildId: string, userId: string, value: V): number {
    return this.planWrite(plan, this.key(guildId, userId), value, this.linksOf(guildId, userId));
  }

  /** The links of an entity; members add their user, voice states their channel. */
  protected linksOf(guildId: string, _userId: string): IndexLink[] {
    return [guildLink(guildId)];
  }

  async patch(guildId: string, userId: string, partial: Patch<V>): Promise<V | undefined> {
    return this.patchKey(this.key(guildId, userId), partial);
  }

  async delete(guildId: string, userId: string): Promise<boolean> {
    return this.deleteKey(this.key(guildId, userId));
  }

  /** @internal The transaction form of {@link delete}. */
  planDeleteOf(plan: WritePlan, guildId: string, userId: string): number | Promise<number> {
    return this.planDelete(plan, this.key(guildId, userId));
  }

  /** One guild's entries, yielding `[userId, value]`. */
  forGuild(guildId: string): ResourceView<string, V> {
    assertId(guildId, 'guildId');
    return this.view(guildLink(guildId), userIdOf);
  }

  async *keys(): AsyncIterableIterator<GuildUserId> {
    this.ctx.guard();
    for await (const key of this.ctx.store.keys(this.ns)) {
      const id = parseGuildUserKey(key);
      if (id) yield id;
    }
  }

  async *values(): AsyncIterableIterator<V> {
    for await (const [, value] of this) yield value;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<[GuildUserId, V]> {
    this.ctx.guard();
    for await (const [key, value] of this.ctx.store.entries<V>(this.ns)) {
      const id = parseGuildUserKey(key);
      if (id) yield [id, value];
    }
  }
}

export function userIdOf(key: string): string {
  return parseGuildUserKey(key)?.[1] ?? key;
}

/** The guild id of a `{guildId}:userId` key. */
export function guildUserKeyOf(key: string): string {
  return parseGuildUserKey(key)?.[0] ?? key;
}
