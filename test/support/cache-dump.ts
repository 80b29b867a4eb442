/**
 * `dumpCache(cache)`: every resource of a createCache() result as one plain, sorted object that two
 * caches can be compared with (`expect(dumpA).toEqual(dumpB)`), read through the public API only:
 * values, which parent indexes list each entry (guild, channel, author, user; parents found through the
 * entries' own `guildIdOf`/`channelIdOf`, so an entry bound to a guild the cache lacks shows), entries an index lists
 * that do not exist, and each entry's expiry class. It judges every store alike, so a differential test
 * can run one stream on several stores and compare the dumps.
 */
import type { BotCache } from '../../src/resources/index.js';
import type { ResourceValueTypes } from '../../src/resources/value-types.js';

/** Whether an entry expires: `never`, or `expires` (the instant differs between runs, the class does not). */
export type TtlClass = 'never' | 'expires';

/** The parents whose index lists an entry, each list sorted. */
export interface DumpLinks {
  guild?: string[];
  channel?: string[];
  author?: string[];
  user?: string[];
}

/** One cached entry. */
export interface DumpEntry {
  readonly value: unknown;
  readonly ttl: TtlClass;
  readonly links: DumpLinks;
}

export type DumpedResource = Record<string, DumpEntry>;

/** A whole cache; (guild, user) resources are keyed `guildId/userId`. */
export interface CacheDump {
  guilds: DumpedResource;
  channels: DumpedResource;
  roles: DumpedResource;
  emojis: DumpedResource;
  members: DumpedResource;
  users: DumpedResource;
  messages: DumpedResource;
  presences: DumpedResource;
  voiceStates: DumpedResource;
  invites: DumpedResource;
  me: unknown;
  /** Index entries naming an entry that does not exist, as `resource by parent → id`, sorted. */
  dangling: string[];
}

type AnyCache = BotCache<ResourceValueTypes>;
type Resource = Exclude<keyof CacheDump, 'me' | 'dangling'>;
type By = keyof DumpLinks;

interface View {
  keys(): AsyncIterable<string>;
}

const ID_RESOURCES = ['guilds', 'channels', 'roles', 'emojis', 'users', 'messages', 'invites'] as const;
const GUILD_USER_RESOURCES = ['members', 'presences', 'voiceStates'] as const;

/** Sorts object keys recursively, so that equal states print and compare alike whatever the write order. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = canonical((value as Record<string, unknown>)[key]);
  return out;
}

function sortedRecord<V>(entries: Iterable<[string, V]>): Record<string, V> {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

function payloadId(value: unknown, field: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const found = (value as Record<string, unknown>)[field];
  return typeof found === 'string' && found.length > 0 && found !== '0' ? found : undefined;
}

function authorOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  return payloadId(record.author, 'id') ?? payloadId(record, 'sender_id');
}

function addLink(perEntry: Map<string, DumpLinks>, key: string, by: By, parent: string): void {
  const entryLinks = perEntry.get(key) ?? {};
  entryLinks[by] = [...(entryLinks[by] ?? []), parent];
  perEntry.set(key, entryLinks);
}

/** The expiry class of every raw key of a namespace (through the cache's public store). */
async function ttlClasses(cache: AnyCache, ns: string): Promise<Map<string, TtlClass>> {
  const out = new Map<string, TtlClass>();
  for (const key of await collect(cache.store.keys(ns))) {
    const entry = await cache.store.getEntry(ns, key);
    if (entry) out.set(key, entry.expiresAt === undefined ? 'never' : 'expires');
  }
  return out;
}

/** Dumps a cache. Run it while nothing writes to the cache. */
export async function dumpCache<T extends ResourceValueTypes>(typed: BotCache<T>): Promise<CacheDump> {
  // Only the resources' shared API is used: any payload types will do.
  const cache = typed as unknown as AnyCache;
  const values = new Map<Resource, Map<string, unknown>>();
  const ttls = new Map<Resource, Map<string, TtlClass>>();
  for (const name of ID_RESOURCES) {
    values.set(name, new Map((await collect(cache[name])).map(([id, value]) => [id, value])));
    ttls.set(name, await ttlClasses(cache, cache[name].ns));
  }
  for (const name of GUILD_USER_RESOURCES) {
    const rows = await collect(cache[name]);
    values.set(name, new Map(rows.map(([[guildId, userId], value]) => [`${guildId}/${userId}`, value])));
    const raw = await ttlClasses(cache, cache[name].ns);
    // The documented layout of (guild, user) keys: `{guildId}:userId`.
    ttls.set(
      name,
      new Map(
        rows.map(([[guildId, userId]]) => [
          `${guildId}/${userId}`,
          raw.get(`{${guildId}}:${userId}`) ?? 'never',
        ]),
      ),
    );
  }

  // Every parent id anything could be listed under.
  const guildIds = new Set<string>(values.get('guilds')?.keys());
  const channelIds = new Set<string>(values.get('channels')?.keys());
  const userIds = new Set<string>(values.get('users')?.keys());
  for (const name of GUILD_USER_RESOURCES) {
    for (const key of values.get(name)?.keys() ?? []) {
      const [guildId, userId] = key.split('/') as [string, string];
      guildIds.add(guildId);
      userIds.add(userId);
    }
  }
  for (const name of ['channels', 'roles', 'emojis', 'messages', 'invites', 'voiceStates'] as const) {
    for (const value of values.get(name)?.values() ?? []) {
      const guildId = payloadId(value, 'guild_id') ?? payloadId(value, 'clan_id');
      if (guildId) guildIds.add(guildId);
      const channelId = payloadId(value, 'channel_id');
      if (channelId) channelIds.add(channelId);
      const authorId = authorOf(value);
      if (authorId) userIds.add(authorId);
    }
  }

  // The parents the entries themselves name (an entry bound to a guild the cache lacks shows too).
  for (const name of ['channels', 'roles', 'emojis', 'messages', 'invites'] as const) {
    for (const id of values.get(name)?.keys() ?? []) {
      const guildId = await cache[name].guildIdOf(id);
      if (guildId) guildIds.add(guildId);
    }
  }
  for (const name of ['messages', 'invites'] as const) {
    for (const id of values.get(name)?.keys() ?? []) {
      const channelId = await cache[name].channelIdOf(id);
      if (channelId) channelIds.add(channelId);
    }
  }
  for (const key of values.get('voiceStates')?.keys() ?? []) {
    const [guildId, userId] = key.split('/') as [string, string];
    const channelId = await cache.voiceStates.channelIdOf(guildId, userId);
    if (channelId) channelIds.add(channelId);
  }

  const links = new Map<Resource, Map<string, DumpLinks>>();
  const dangling: string[] = [];
  const listed = async (name: Resource, by: By, parent: string, view: View, toKey = (id: string) => id) => {
    const held = values.get(name) ?? new Map();
    const perEntry = links.get(name) ?? new Map<string, DumpLinks>();
    links.set(name, perEntry);
    for await (const id of view.keys()) {
      const key = toKey(id);
      if (!held.has(key)) {
        dangling.push(`${name} ${by} ${parent} → ${key}`);
        continue;
      }
      addLink(perEntry, key, by, parent);
    }
  };
  for (const guildId of guildIds) {
    await listed('channels', 'guild', guildId, cache.channels.forGuild(guildId));
    await listed('roles', 'guild', guildId, cache.roles.forGuild(guildId));
    await listed('emojis', 'guild', guildId, cache.emojis.forGuild(guildId));
    await listed('messages', 'guild', guildId, cache.messages.forGuild(guildId));
    await listed('invites', 'guild', guildId, cache.invites.forGuild(guildId));
    for (const name of GUILD_USER_RESOURCES)
      await listed(name, 'guild', guildId, cache[name].forGuild(guildId), (userId) => `${guildId}/${userId}`);
  }
  for (const channelId of channelIds) {
    await listed('messages', 'channel', channelId, cache.messages.forChannel(channelId));
    await listed('invites', 'channel', channelId, cache.invites.forChannel(channelId));
  }
  for (const userId of userIds) {
    await listed('messages', 'author', userId, cache.messages.forAuthor(userId));
    await listed(
      'members',
      'user',
      userId,
      cache.members.forUser(userId),
      (guildId) => `${guildId}/${userId}`,
    );
  }
  const voiceListed: [channelId: string, userId: string][] = [];
  for (const channelId of channelIds) {
    for await (const userId of cache.voiceStates.forChannel(channelId).keys())
      voiceListed.push([channelId, userId]);
  }
  linkVoiceChannels(values, links, dangling, voiceListed);

  const resource = (name: Resource): DumpedResource =>
    sortedRecord(
      [...(values.get(name) ?? new Map<string, unknown>())].map(([key, value]): [string, DumpEntry] => {
        const entryLinks = links.get(name)?.get(key) ?? {};
        const sortedLinks: DumpLinks = {};
        for (const by of Object.keys(entryLinks).sort() as By[])
          sortedLinks[by] = [...(entryLinks[by] ?? [])].sort();
        return [
          key,
          { value: canonical(value), ttl: ttls.get(name)?.get(key) ?? 'never', links: sortedLinks },
        ];
      }),
    );
  return {
    guilds: resource('guilds'),
    channels: resource('channels'),
    roles: resource('roles'),
    emojis: resource('emojis'),
    members: resource('members'),
    users: resource('users'),
    messages: resource('messages'),
    presences: resource('presences'),
    voiceStates: resource('voiceStates'),
    invites: resource('invites'),
    me: canonical((await cache.me.get()) ?? null),
    dangling: dangling.sort(),
  };
}

/**
 * `voiceStates.forChannel(c)` yields user ids. A user has at most one voice state per guild, and a
 * channel belongs to one guild, so the `guildId/userId` entry listed is the one of that user whose
 * payload names the channel, or failing that the only one of that user.
 */
function linkVoiceChannels(
  values: Map<Resource, Map<string, unknown>>,
  links: Map<Resource, Map<string, DumpLinks>>,
  dangling: string[],
  listed: readonly (readonly [channelId: string, userId: string])[],
): void {
  const perEntry = links.get('voiceStates') ?? new Map<string, DumpLinks>();
  links.set('voiceStates', perEntry);
  const held = values.get('voiceStates') ?? new Map<string, unknown>();
  for (const [channelId, userId] of listed) {
    const candidates = [...held.keys()].filter((key) => key.endsWith(`/${userId}`));
    const match =
      candidates.find((key) => payloadId(held.get(key), 'channel_id') === channelId) ??
      (candidates.length === 1 ? candidates[0] : undefined);
    if (match === undefined) {
      dangling.push(`voiceStates channel ${channelId} → ${userId}`);
      continue;
    }
    addLink(perEntry, match, 'channel', channelId);
  }
}
