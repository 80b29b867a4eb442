/**
 * A clan's role list through `fetch`: `listRoles()` is a REST call behind the SDK's one-a-second
 * queue, so each clan's roles are listed once (one call for all concurrent callers, across processes
 * sharing a store too) and then served from `cache.roles`, which role events keep true. A small group
 * entry per clan records that the list was loaded; its TTL decides when the clan is listed again, and a
 * clan the bot is not in is remembered as absent (EntryNotFound) for the negative TTL.
 */
import type { LoadContext } from '../../fetch/loader.js';
import type { LoadableGroup, MezonCacheTarget } from './cache-target.js';
import type { MezonLoaders } from './loaders.js';
import type { MezonRoleRecord } from './records.js';

export interface FetchClanRolesOptions {
  /** List the roles from the SDK again even when the clan's list is loaded. */
  readonly force?: boolean;
}

/** What the role-list group stores per clan: which roles the last listing held. */
export interface MezonRoleListRecord {
  readonly clan_id: string;
  readonly role_ids: readonly string[];
}

/** The group (store namespace) of the per-clan role-list entries. */
export const ROLE_LISTS_GROUP = 'mezonRoleLists';
/** How long a listing stands before the next fetch lists the clan again (events keep it true meanwhile). */
const ROLE_LIST_TTL = '1h';

function roleLists(cache: MezonCacheTarget): LoadableGroup<MezonRoleListRecord> {
  return cache.define<MezonRoleListRecord>(ROLE_LISTS_GROUP, { ttl: ROLE_LIST_TTL });
}

/**
 * The roles of a clan: from the cache once listed, else listed through `loaders.clanRoles` (one REST
 * call). Rejects with EntryNotFound when the bot is not in the clan.
 */
export async function fetchClanRoles(
  cache: MezonCacheTarget,
  loaders: Pick<MezonLoaders, 'clanRoles'>,
  clanId: string,
  options: FetchClanRolesOptions = {},
): Promise<MezonRoleRecord[]> {
  if (typeof clanId !== 'string' || clanId.length === 0)
    throw new TypeError('clanId must be a non-empty string');
  await roleLists(cache).fetch(clanId, {
    force: options.force === true,
    loader: (id, context) => listClanRoles(cache, loaders, id, context),
  });
  return readRoles(cache, clanId);
}

/** Forgets that a clan's roles were listed, so the next fetch lists them again. */
export async function invalidateClanRoles(cache: MezonCacheTarget, clanId: string): Promise<void> {
  await roleLists(cache).delete(clanId);
}

/** Lists the roles and replaces the clan's cached roles with them, as one batch. */
async function listClanRoles(
  cache: MezonCacheTarget,
  loaders: Pick<MezonLoaders, 'clanRoles'>,
  clanId: string,
  context: LoadContext,
): Promise<MezonRoleListRecord | undefined> {
  const roles = await loaders.clanRoles(clanId, context);
  if (roles === undefined) return undefined;
  const listed = new Set(roles.map((role) => role.id));
  const gone: string[] = [];
  for await (const id of cache.roles.forGuild(clanId).keys()) if (!listed.has(id)) gone.push(id);
  await cache.transaction((tx) => {
    for (const role of roles) tx.roles.set(role.id, role, { guildId: clanId });
    for (const id of gone) tx.roles.delete(id);
  });
  return { clan_id: clanId, role_ids: [...listed] };
}

async function readRoles(cache: MezonCacheTarget, clanId: string): Promise<MezonRoleRecord[]> {
  const roles: MezonRoleRecord[] = [];
  for await (const [, value] of cache.roles.forGuild(clanId)) roles.push(value as MezonRoleRecord);
  return roles;
}
