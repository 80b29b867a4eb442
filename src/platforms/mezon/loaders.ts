/**
 * Loaders for cache-aside `fetch` (see `botcache`'s Loader contract), backed by the Mezon SDK. Each
 * reaches the SDK through `client.*` at call time, never holding a manager that a reconnect replaces.
 * Only a real "does not exist" answer becomes an absence (remembered for the negative TTL): a timeout,
 * a 5xx, a refused connection, a stale token or an SDK that is still logging in stay load errors,
 * retried on the next fetch. The SDK serialises REST calls to about one a second, which is why these
 * are worth caching.
 */
import type { Loader } from '../../fetch/loader.js';
import { markNotFound } from '../../fetch/loader.js';
import type { MezonClientLike } from './attach-mezon.js';
import type { MezonChannelRecord, MezonClanRecord, MezonRoleRecord, MezonUserRecord } from './records.js';
import { toRoleRecord } from './role-events.js';
import { channelDescRecord, channelRecord, clanRecord, DM_CLAN_ID, userRecord } from './sdk-objects.js';
import { httpStatusOf, restError, sdkRest } from './sdk-rest.js';

/** A client whose clans can list their roles (a real MezonClient after login). */
export type MezonLoaderClient = MezonClientLike;

export interface MezonLoaders {
  /** A clan the bot is in, from the SDK's login listing; unknown once that listing is complete. */
  readonly clans: Loader<MezonClanRecord>;
  /** A channel, through the SDK's REST client (`GET /v2/channeldesc/{id}`); unknown on a 404 only. */
  readonly channels: Loader<MezonChannelRecord>;
  /** Every role of a clan, through `clan.listRoles()` (always one REST call). */
  readonly clanRoles: Loader<MezonRoleRecord[]>;
  /**
   * A user the SDK holds in memory. Mezon has no profile lookup for bots (and `client.users.fetch` opens
   * a DM channel), so a user the SDK does not hold is a load error, never an absence: the cache's own
   * users, written from events, are what `fetch` answers from.
   */
  readonly users: Loader<MezonUserRecord>;
}

/** The SDK's not-logged-in state: managers are undefined until `login()` (and refilled on each re-login). */
export class MezonNotReady extends Error {
  override readonly name = 'MezonNotReady';
}

/** A lookup the SDK cannot answer (no such REST call): not a "does not exist". */
export class MezonCannotLookUp extends Error {
  override readonly name = 'MezonCannotLookUp';
}

export function mezonLoaders(client: MezonLoaderClient): MezonLoaders {
  if (typeof client !== 'object' || client === null) throw new TypeError('client must be a MezonClient');
  const manager = <K extends 'clans' | 'channels' | 'users'>(name: K): NonNullable<MezonClientLike[K]> => {
    const found = client[name];
    if (!found) throw new MezonNotReady(`client.${name} is not available: call client.login() first`);
    return found;
  };
  /**
   * The SDK's clan manager once its login listing is complete. The listing ends with the DM pseudo-clan
   * "0" (`SocketManager.connectSocket`), so before "0" is there a missing clan proves nothing.
   */
  const listedClans = () => {
    const clans = manager('clans');
    if (!clans.get(DM_CLAN_ID)) throw new MezonNotReady('the SDK is still listing its clans');
    return clans;
  };
  return {
    clans: async (id) => {
      if (id === DM_CLAN_ID) return undefined;
      const clan = listedClans().get(id);
      return clan ? clanRecord(clan) : undefined;
    },
    channels: async (id) => {
      // The SDK's in-memory channel answers without a REST call; a miss there proves nothing.
      const held = client.channels?.get(id);
      const record = held ? channelRecord(held) : undefined;
      if (record) return record;
      const rest = sdkRest(client);
      if (!rest) {
        // No REST client to ask (a partial client): the SDK's own fetch, whose errors prove nothing.
        return channelRecord(await manager('channels').fetch(id));
      }
      try {
        return channelDescRecord(await rest.api.listChannelDetail(rest.token, id));
      } catch (error) {
        const failure = restError(error, `GET /v2/channeldesc/${id}`);
        // Only the server's own "no such channel" is an absence.
        if (httpStatusOf(error) === 404) throw markNotFound(failure);
        throw failure;
      }
    },
    clanRoles: async (clanId) => {
      const clan = clanId === DM_CLAN_ID ? undefined : listedClans().get(clanId);
      if (!clan) return undefined;
      let response: Awaited<ReturnType<typeof clan.listRoles>>;
      try {
        response = await clan.listRoles();
      } catch (error) {
        throw restError(error, `GET /v2/roles?clan_id=${clanId}`);
      }
      return (response.roles?.roles ?? []).flatMap((role) =>
        role.id ? [toRoleRecord({ ...role, id: role.id, clan_id: role.clan_id || clanId })] : [],
      );
    },
    users: async (id) => {
      const user = manager('users').get(id);
      if (user) return userRecord(user);
      throw new MezonCannotLookUp(`mezon-sdk cannot look up user ${id}; the cache knows users from events`);
    },
  };
}
