/**
 * Wires the REST loaders into a Discord cache's resources, so `await cache.users.fetch(id)` answers
 * from the cache or loads through @discordjs/rest once (single-flight, "does not exist" remembered for
 * the resource's negative TTL), as `useMezonLoaders` does for Mezon.
 */
import type { DiscordCache } from './discord-types.js';
import { type DiscordLoaders, discordLoaders, type RestLike } from './rest-loaders.js';

/**
 * Sets the guilds, channels, members and users loaders on `cache` and returns every loader. Roles and
 * messages are not wired: their resources are keyed by the role or message id alone, and Discord's
 * routes also need the guild or channel (`loaders.roles(guildId)`, `loaders.message(channelId, id)`).
 */
export function useDiscordLoaders(cache: DiscordCache, rest: RestLike): DiscordLoaders {
  const loaders = discordLoaders(rest);
  cache.guilds.setLoader(loaders.guild);
  cache.channels.setLoader(loaders.channel);
  cache.members.setLoader(loaders.member);
  cache.users.setLoader(loaders.user);
  return loaders;
}
