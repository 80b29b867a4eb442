/**
 * Loaders for cache-aside `fetch` (see `botcache`'s Loader contract), backed by the Mezon SDK. Each
 * reaches SDK objects through `client.*` at call time, never holding a manager that a reconnect
 * replaces. The SDK serialises REST calls to about one a second, which is why these are worth caching.
 */
import type { Loader } from '../../fetch/loader.js';
import { markNotFound } from '../../fetch/loader.js';
import type { MezonClientLike } from './attach-mezon.js';
import type { MezonChannelRecord, MezonClanRecord, MezonRoleRecord, MezonUserRecord } from './records.js';
import { toRoleRecord } from './role-events.js';
import { channelRecord, clanRecord, DM_CLAN_ID, userRecord } from './sdk-objects.js';

/** A client whose clans can list their roles (a real MezonClient after login). */
export type MezonLoaderClient = MezonClientLike;

export interface MezonLoaders {
  /** A clan the bot is in. The SDK cannot look clans up, so an unknown clan is "not found". */
  readonly clans: Loader<MezonClanRecord>;
  /** A channel, through `client.channels.fetch` (one REST call on the SDK's miss). */
  readonly channels: Loader<MezonChannelRecord>;
  /** Every role of a clan, through `clan.listRoles()` (always one REST call). */
  readonly clanRoles: Loader<MezonRoleRecord[]>;
  /**
   * A user the SDK has seen. Never calls `client.users.fetch`: in mezon-sdk that opens a DM channel
   * and returns an empty profile, a side effect no cache lookup should have.
   */
  readonly users: Loader<MezonUserRecord>;
}

/** The SDK's not-logged-in state: managers are undefined until `login()`. */
export class MezonNotReady extends Error {
  override readonly name = 'MezonNotReady';
}

/**
 * The SDK's error for a channel lookup that failed. It wraps every failure of `listChannelDetail` (a 404,
 * but also a timeout or a 5xx) in this one message, so a short negative TTL is the honest setting.
 */
const CHANNEL_NOT_FOUND = /^Can not find channel /;

function isChannelNotFound(error: unknown): error is Error {
  return error instanceof Error && CHANNEL_NOT_FOUND.test(error.message);
}

export function mezonLoaders(client: MezonLoaderClient): MezonLoaders {
  if (typeof client !== 'object' || client === null) throw new TypeError('client must be a MezonClient');
  const manager = <K extends 'clans' | 'channels' | 'users'>(name: K): NonNullable<MezonClientLike[K]> => {
    const found = client[name];
    if (!found) throw new MezonNotReady(`client.${name} is not available: call client.login() first`);
    return found;
  };
  return {
    clans: async (id) => {
      const clan = id === DM_CLAN_ID ? undefined : manager('clans').get(id);
      return clan ? clanRecord(clan) : undefined;
    },
    channels: async (id) => {
      const channels = manager('channels');
      try {
        return channelRecord(await channels.fetch(id));
      } catch (error) {
        // mezon-sdk answers an unknown channel with "Can not find channel <id>!": a not-found answer,
        // remembered for the negative TTL. Anything else stays a load error and is retried.
        if (isChannelNotFound(error)) throw markNotFound(error);
        throw error;
      }
    },
    clanRoles: async (clanId) => {
      const clan = clanId === DM_CLAN_ID ? undefined : manager('clans').get(clanId);
      if (!clan) return undefined;
      const response = await clan.listRoles();
      return (response.roles?.roles ?? []).flatMap((role) =>
        role.id ? [toRoleRecord({ ...role, id: role.id, clan_id: role.clan_id || clanId })] : [],
      );
    },
    users: async (id) => {
      const user = manager('users').get(id);
      return user ? userRecord(user) : undefined;
    },
  };
}
