/**
 * The "no orphans" check of `verifyCache`: nothing may be bound to a guild (a Mezon clan) the cache does
 * not hold. Channels, roles, emojis, invites and messages name their guild in their payload (`guild_id`,
 * `clan_id`); members, presences and voice states in their `{guildId}:userId` key.
 */
import type { StoredEntry } from '../store/types.js';
import { parseGuildUserKey } from './ids.js';
import { guildIdOf, guildOfInvite } from './payload-relations.js';

type Payload = Readonly<Record<string, unknown>>;

/** The resources checked, by how they name their guild. */
const BY_PAYLOAD = ['channels', 'roles', 'emojis', 'invites', 'messages'] as const;
const BY_KEY = ['members', 'presences', 'voiceStates'] as const;

export type OrphanResource = (typeof BY_PAYLOAD)[number] | (typeof BY_KEY)[number];

export interface Orphan {
  readonly resource: OrphanResource;
  readonly key: string;
  readonly guildId: string;
}

function payloadOf(entry: StoredEntry): Payload {
  return typeof entry.value === 'object' && entry.value !== null ? (entry.value as Payload) : {};
}

/** Every entry bound to a guild that `entries('guilds')` lacks. */
export function findOrphans(entries: (name: string) => ReadonlyMap<string, StoredEntry>): Orphan[] {
  const guilds = entries('guilds');
  const orphans: Orphan[] = [];
  for (const resource of BY_PAYLOAD) {
    for (const [key, entry] of entries(resource)) {
      const payload = payloadOf(entry);
      const guildId = resource === 'invites' ? guildOfInvite(payload) : guildIdOf(payload);
      if (guildId !== undefined && !guilds.has(guildId)) orphans.push({ resource, key, guildId });
    }
  }
  for (const resource of BY_KEY) {
    for (const key of entries(resource).keys()) {
      const guildId = parseGuildUserKey(key)?.[0];
      if (guildId !== undefined && !guilds.has(guildId)) orphans.push({ resource, key, guildId });
    }
  }
  return orphans;
}
