/**
 * Wires the SDK loaders into the cache's resources, so `await cache.channels.fetch(id)` answers from
 * the cache or loads through mezon-sdk once (single-flight, "does not exist" remembered for the
 * resource's negative TTL). Policies stay where botcache keeps them: `createMezonCache({ fetch })`.
 */
import type { Loader } from '../../fetch/loader.js';
import type { LoaderSlot, MezonCacheTarget } from './cache-target.js';
import { type MezonLoaderClient, type MezonLoaders, mezonLoaders } from './loaders.js';
import type { MezonChannelRecord } from './records.js';

/**
 * Sets the clans (guilds), channels and users loaders on `cache` and returns the loaders; roles are
 * listed per clan through `fetchClanRoles(cache, loaders, clanId)`.
 */
export function useMezonLoaders(cache: MezonCacheTarget, client: MezonLoaderClient): MezonLoaders {
  const loaders = mezonLoaders(client);
  wire(cache.guilds, loaders.clans);
  wire(cache.channels, withClan(cache, loaders.channels));
  wire(cache.users, loaders.users);
  return loaders;
}

/** A loaded channel's clan is recorded before the channel, so the cache never holds a channel without its clan. */
function withClan(cache: MezonCacheTarget, loader: Loader<MezonChannelRecord>): Loader<MezonChannelRecord> {
  return async (id, context) => {
    const channel = await loader(id, context);
    const clanId = channel?.clan_id;
    if (clanId !== undefined && !(await cache.guilds.get(clanId)))
      await cache.guilds.set(clanId, { id: clanId });
    return channel;
  };
}

function wire(resource: LoaderSlot, loader: Loader<object>): void {
  // A structural cache without fetch support simply keeps working event-driven.
  resource.setLoader?.(loader);
}
