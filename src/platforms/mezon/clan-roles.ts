/**
 * Cache-aside for a clan's role list: `listRoles()` is a REST call behind the SDK's one-a-second
 * queue, so the roles are read from the cache when it has them and loaded once (for all concurrent
 * callers) when it does not. Role events keep them true afterwards.
 */
import type { MezonCacheTarget } from './cache-target.js';
import type { MezonLoaders } from './loaders.js';
import type { MezonRoleRecord } from './records.js';

export interface FetchClanRolesOptions {
  /** Load from the SDK even when the cache has roles for the clan. */
  readonly force?: boolean;
}

const inFlight = new WeakMap<object, Map<string, Promise<MezonRoleRecord[]>>>();

export async function fetchClanRoles(
  cache: MezonCacheTarget,
  loaders: Pick<MezonLoaders, 'clanRoles'>,
  clanId: string,
  options: FetchClanRolesOptions = {},
): Promise<MezonRoleRecord[]> {
  if (typeof clanId !== 'string' || clanId.length === 0)
    throw new TypeError('clanId must be a non-empty string');
  if (!options.force) {
    const cached = await readRoles(cache, clanId);
    if (cached.length > 0) return cached;
  }
  const flights = inFlight.get(cache) ?? new Map<string, Promise<MezonRoleRecord[]>>();
  inFlight.set(cache, flights);
  const running = flights.get(clanId);
  if (running) return running;
  const load = (async () => {
    const roles = (await loaders.clanRoles(clanId, { signal: new AbortController().signal })) ?? [];
    for (const role of roles) await cache.roles.set(role.id, role, { guildId: clanId });
    return roles;
  })();
  flights.set(clanId, load);
  try {
    return await load;
  } finally {
    flights.delete(clanId);
  }
}

async function readRoles(cache: MezonCacheTarget, clanId: string): Promise<MezonRoleRecord[]> {
  const roles: MezonRoleRecord[] = [];
  for await (const [, value] of cache.roles.forGuild(clanId)) roles.push(value as MezonRoleRecord);
  return roles;
}
