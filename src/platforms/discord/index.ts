/**
 * botcache/discord: keeps a botcache cache true from Discord gateway dispatches (discord.js,
 * @discordjs/ws or any broker), the intents that needs, and REST loaders for `fetch`.
 */
export {
  assertDiscordResources,
  DISCORD_RESOURCES,
  type DiscordResource,
  isDiscordResource,
  MissingIntentsWarning,
  missingIntents,
  requiredIntents,
  warnMissingIntents,
} from './intents.js';
