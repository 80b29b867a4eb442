/**
 * `verifyCache(cache)`: walks a cache's store and reports every place where entities and their indexes
 * disagree. Tests run it after faults, fuzzing and concurrent writers; an operator may run it against a
 * live Redis (it only reads). It goes through the Store API, so it judges every backend alike.
 */
import type { IndexLink, Store, StoredEntry } from '../store/types.js';
import { type Duration, parseDuration } from '../util/duration.js';
import { parseGuildUserKey } from './ids.js';
import { authorIdOf, channelIdOf, guildIdOf } from './payload-relations.js';
import type { ResourceContext } from './resource-context.js';
import { BY_AUTHOR, BY_CHANNEL, BY_GUILD, BY_USER, type ResourceName } from './resource-names.js';
import { findOrphans } from './verify-orphans.js';

/** What kind of disagreement was found. */
export type CacheViolationKind =
  /** An index lists a key whose entry does not exist. */
  | 'dangling-index-member'
  /** An index lists an entry that belongs elsewhere (its key or payload names another parent). */
  | 'index-link-mismatch'
  /** An entry is missing from an index its key or payload says it belongs to. */
  | 'not-indexed'
  /** A key of a (guild, user) resource does not have the `{guildId}:userId` shape. */
  | 'malformed-key'
  /** A user expires before a member or message that references it. */
  | 'reference-outlived'
  /** More messages are linked to a channel than its cap allows. */
  | 'over-channel-cap'
  /** An entry is bound to a guild (clan) the cache does not hold. */
  | 'orphan'
  /** An entry has a value but its namespace's registry does not list it (iteration and counting miss it). */
  | 'not-registered';

export interface CacheViolation {
  readonly kind: CacheViolationKind;
  /** The resource namespace the violation was found in. */
  readonly ns: string;
  /** The entry key concerned. */
  readonly key: string;
  /** A sentence for humans. */
  readonly detail: string;
}

export interface VerifyCacheOptions {
  /**
   * Also require that an id-keyed entity whose payload names its guild or channel (`guild_id`,
   * `clan_id`, `channel_id`) is indexed under it, as every event adapter writes them. Default true.
   */
  readonly payloadRelations?: boolean;
  /**
   * Also check that referenced users outlive their members and messages. Default true. Each batch
   * settles its users' expiries as its last step; on Redis Cluster a batch is applied slot by slot, so
   * a check running meanwhile may see a user briefly carry the users TTL while referenced; pass false
   * to check indexes only.
   */
  readonly references?: boolean;
  /** Tolerance when comparing a user's expiry with a referrer's (ms or `'2s'`-style; 0 for none). Default 2 000 ms. */
  readonly expirySlack?: Duration | 0;
  /** Also report entries bound to a guild (clan) the cache does not hold (`'orphan'`). Default true. */
  readonly orphans?: boolean;
  /** Stop after this many violations. Default 1 000. */
  readonly maxViolations?: number;
}

type Entries = Map<string, StoredEntry>;

/** What the checker needs of a cache (any `createCache()` result, whatever its payload types). */
export type VerifiableCache = { readonly store: Store } & {
  readonly [R in Exclude<ResourceName, 'me' | 'messages'>]: { readonly ns: string };
} & { readonly messages: { readonly ns: string; readonly ctx: ResourceContext } };

const GUILD_BOUND_BY_ID = ['channels', 'roles', 'emojis', 'invites', 'messages'] as const;
const GUILD_USER = ['members', 'presences', 'voiceStates'] as const;
const CHANNEL_BOUND = ['messages', 'invites', 'voiceStates'] as const;

/**
 * Reads a whole namespace with each entry's expiry (entries that expire meanwhile are skipped). With
 * a store audit, only read-only commands are used, and every stored entry is seen, registered or not
 * (the keys the registry misses are reported through `unregistered`).
 */
async function snapshot(store: Store, ns: string, unregistered: (key: string) => void): Promise<Entries> {
  const out: Entries = new Map();
  const audit = store.audit;
  if (audit) {
    const registered = new Set<string>();
    for await (const key of audit.registeredKeys(ns)) registered.add(key);
    const keys: string[] = [];
    for await (const key of audit.storedKeys(ns)) keys.push(key);
    const found = await audit.entries(ns, keys);
    keys.forEach((key, i) => {
      const entry = found[i];
      if (!entry) return;
      out.set(key, entry);
      if (!registered.has(key)) unregistered(key);
    });
    return out;
  }
  const keys: string[] = [];
  for await (const key of store.keys(ns)) keys.push(key);
  for (const key of keys) {
    const entry = await store.getEntry(ns, key);
    if (entry) out.set(key, entry);
  }
  return out;
}

/** Index reads that never write: the store's audit when it has one, else the Store API. */
function indexReader(store: Store) {
  const audit = store.audit;
  return {
    async members(ns: string, link: IndexLink): Promise<string[]> {
      const keys: string[] = [];
      for await (const key of audit ? audit.indexMembers(ns, link) : store.indexKeys(ns, link))
        keys.push(key);
      return keys;
    },
    async values(ns: string, keys: readonly string[]): Promise<unknown[]> {
      if (keys.length === 0) return [];
      if (audit) return (await audit.entries(ns, keys)).map((entry) => entry?.value);
      return store.getMany(ns, keys);
    },
    has(ns: string, link: IndexLink, key: string): Promise<boolean> {
      return audit ? audit.indexHas(ns, link, key) : store.indexHas(ns, link, key);
    },
  };
}

function record(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/**
 * Verifies, over the cache's store: every index member exists and belongs to that parent; every
 * (guild, user) entity is indexed under its guild (members under their user too); entities whose
 * payload names a guild or channel are indexed there; referenced users outlive their members and
 * messages; no channel holds more messages than its cap. Resolves to the violations (empty: sound).
 *
 * Run it while nothing writes: a write in flight may look like a violation.
 */
export async function verifyCache(
  cache: VerifiableCache,
  options: VerifyCacheOptions = {},
): Promise<CacheViolation[]> {
  const { store } = cache;
  const payloadRelations = options.payloadRelations !== false;
  const { expirySlack = 2_000 } = options;
  const slack = expirySlack === 0 ? 0 : parseDuration(expirySlack, 'expirySlack');
  const maxViolations = options.maxViolations ?? 1_000;
  const violations: CacheViolation[] = [];
  const report = (kind: CacheViolationKind, ns: string, key: string, detail: string): void => {
    if (violations.length < maxViolations) violations.push({ kind, ns, key, detail });
  };
  const ns = (name: Exclude<ResourceName, 'me'>): string => cache[name].ns;

  const data = new Map<string, Entries>();
  for (const name of ['guilds', 'users', ...GUILD_BOUND_BY_ID, ...GUILD_USER] as const) {
    const space = ns(name);
    data.set(
      name,
      await snapshot(store, space, (key) =>
        report('not-registered', space, key, 'has a value but the namespace registry does not list it'),
      ),
    );
  }
  const reader = indexReader(store);
  const entries = (name: string): Entries => data.get(name) ?? new Map();
  if (options.orphans !== false)
    for (const o of findOrphans(entries))
      report('orphan', ns(o.resource), o.key, `bound to guild '${o.guildId}', which the cache does not hold`);

  // Every parent id anything points at: indexes are only reachable through their parent.
  const guildIds = new Set(entries('guilds').keys());
  const channelIds = new Set(entries('channels').keys());
  const userIds = new Set(entries('users').keys());
  for (const name of GUILD_USER) {
    for (const key of entries(name).keys()) {
      const parsed = parseGuildUserKey(key);
      if (!parsed) {
        report('malformed-key', ns(name), key, `'${key}' is not a {guildId}:userId key`);
        continue;
      }
      guildIds.add(parsed[0]);
      userIds.add(parsed[1]);
    }
  }
  for (const name of [...GUILD_BOUND_BY_ID, 'voiceStates'] as const) {
    for (const entry of entries(name).values()) {
      const payload = record(entry.value);
      const guildId = guildIdOf(payload);
      if (guildId !== undefined) guildIds.add(guildId);
      const channelId = channelIdOf(payload);
      if (channelId !== undefined) channelIds.add(channelId);
      const authorId = authorIdOf(payload);
      if (authorId !== undefined) userIds.add(authorId);
    }
  }

  const checkIndex = async (
    name: string,
    link: IndexLink,
    belongs: (key: string, value: unknown) => string | undefined,
  ): Promise<string[]> => {
    const space = ns(name as Exclude<ResourceName, 'me'>);
    const keys = await reader.members(space, link);
    const values = await reader.values(space, keys);
    keys.forEach((key, i) => {
      if (values[i] === undefined) {
        report(
          'dangling-index-member',
          space,
          key,
          `${link.by} index of '${link.parent}' lists a missing entry`,
        );
        return;
      }
      const other = belongs(key, values[i]);
      if (other !== undefined && other !== link.parent)
        report(
          'index-link-mismatch',
          space,
          key,
          `listed under ${link.by} '${link.parent}' but belongs to '${other}'`,
        );
    });
    return keys;
  };

  for (const guildId of guildIds) {
    const link: IndexLink = { by: BY_GUILD, parent: guildId };
    for (const name of GUILD_BOUND_BY_ID)
      await checkIndex(name, link, (_key, value) =>
        payloadRelations ? guildIdOf(record(value)) : undefined,
      );
    for (const name of GUILD_USER) await checkIndex(name, link, (key) => parseGuildUserKey(key)?.[0]);
  }
  const maxPerChannel = cache.messages.ctx.limits.messages.maxPerChannel;
  for (const channelId of channelIds) {
    const link: IndexLink = { by: BY_CHANNEL, parent: channelId };
    for (const name of CHANNEL_BOUND) {
      const keys = await checkIndex(name, link, (_key, value) =>
        payloadRelations ? channelIdOf(record(value)) : undefined,
      );
      if (name === 'messages' && maxPerChannel !== undefined && keys.length > maxPerChannel)
        report('over-channel-cap', ns(name), channelId, `${keys.length} messages, cap ${maxPerChannel}`);
    }
  }
  for (const userId of userIds) {
    await checkIndex('members', { by: BY_USER, parent: userId }, (key) => parseGuildUserKey(key)?.[1]);
    await checkIndex('messages', { by: BY_AUTHOR, parent: userId }, (_key, value) =>
      payloadRelations ? authorIdOf(record(value)) : undefined,
    );
  }

  // Each entity must be found from the parents its key (or payload) names.
  for (const name of GUILD_USER) {
    for (const key of entries(name).keys()) {
      const parsed = parseGuildUserKey(key);
      if (!parsed) continue;
      if (!(await reader.has(ns(name), { by: BY_GUILD, parent: parsed[0] }, key)))
        report('not-indexed', ns(name), key, `not in the guild index of '${parsed[0]}'`);
      if (name === 'members' && !(await reader.has(ns(name), { by: BY_USER, parent: parsed[1] }, key)))
        report('not-indexed', ns(name), key, `not in the user index of '${parsed[1]}'`);
    }
  }
  if (payloadRelations) {
    for (const name of GUILD_BOUND_BY_ID) {
      for (const [key, entry] of entries(name)) {
        const payload = record(entry.value);
        const guildId = guildIdOf(payload);
        if (guildId !== undefined && !(await reader.has(ns(name), { by: BY_GUILD, parent: guildId }, key)))
          report('not-indexed', ns(name), key, `payload names guild '${guildId}', not in its index`);
        const channelId = name === 'messages' ? channelIdOf(payload) : undefined;
        if (
          channelId !== undefined &&
          !(await reader.has(ns(name), { by: BY_CHANNEL, parent: channelId }, key))
        )
          report('not-indexed', ns(name), key, `payload names channel '${channelId}', not in its index`);
      }
    }
  }

  if (options.references === false) return violations;
  // References: a cached user must live at least as long as what references it.
  const users = entries('users');
  const outlives = (user: StoredEntry, referrer: StoredEntry): boolean =>
    user.expiresAt === undefined ||
    (referrer.expiresAt !== undefined && user.expiresAt + slack >= referrer.expiresAt);
  for (const [key, member] of entries('members')) {
    const userId = parseGuildUserKey(key)?.[1];
    const user = userId === undefined ? undefined : users.get(userId);
    if (user && !outlives(user, member))
      report('reference-outlived', ns('users'), userId as string, `expires before member '${key}'`);
  }
  for (const [key, message] of entries('messages')) {
    const authorId = authorIdOf(record(message.value));
    const user = authorId === undefined ? undefined : users.get(authorId);
    if (
      user &&
      authorId !== undefined &&
      (await reader.has(ns('messages'), { by: BY_AUTHOR, parent: authorId }, key)) &&
      !outlives(user, message)
    )
      report('reference-outlived', ns('users'), authorId, `expires before message '${key}'`);
  }
  return violations;
}
