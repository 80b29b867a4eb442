/**
 * The discord.js option shapes the preset hands to `new Client({...})`, written out rather than
 * imported from discord.js: `botcache/discord` types must hold without discord.js installed (a type
 * from a missing package is an error, or a silent `any` under skipLibCheck). Each is assignable to
 * discord.js 14's own type (`CacheFactory`, `CacheWithLimitsOptions`, `SweeperOptions`).
 */

/** The names of discord.js 14's cache managers (its `Caches`). */
export type DiscordJsManagerName =
  | 'ApplicationCommandManager'
  | 'ApplicationEmojiManager'
  | 'AutoModerationRuleManager'
  | 'BaseGuildEmojiManager'
  | 'DMMessageManager'
  | 'EntitlementManager'
  | 'GuildBanManager'
  | 'GuildEmojiManager'
  | 'GuildForumThreadManager'
  | 'GuildInviteManager'
  | 'GuildMemberManager'
  | 'GuildMessageManager'
  | 'GuildScheduledEventManager'
  | 'GuildStickerManager'
  | 'GuildTextThreadManager'
  | 'MessageManager'
  | 'PresenceManager'
  | 'ReactionManager'
  | 'ReactionUserManager'
  | 'StageInstanceManager'
  | 'ThreadManager'
  | 'ThreadMemberManager'
  | 'UserManager'
  | 'VoiceStateManager';

/** The managers whose limit keeps the bot's own entity (member, user, voice state). */
export type DiscordJsSelfKeepingManager = 'GuildMemberManager' | 'UserManager' | 'VoiceStateManager';

/** The part of a discord.js member, user or voice state that tells whether it is the bot's own. */
export interface DiscordJsOwnedEntity {
  readonly id: string;
  readonly client: { readonly user: { readonly id: string } | null };
}

/** A discord.js `LimitedCollectionOptions` for a manager that holds members, users or voice states. */
export interface DiscordJsSizeLimit {
  readonly maxSize?: number;
  readonly keepOverLimit?: (entity: DiscordJsOwnedEntity) => boolean;
}

/** discord.js's `CacheWithLimitsOptions`: per manager, a size (0 = no cache) or a limit. */
export type DiscordJsCacheLimits = {
  readonly [Name in DiscordJsManagerName]?: Name extends DiscordJsSelfKeepingManager
    ? number | DiscordJsSizeLimit
    : number;
};

/**
 * discord.js's `CacheFactory`: discord.js calls it with each manager's class and gets that manager's
 * `Collection`. The return is `never` only so the type fits discord.js's (its `Collection` comes from
 * @discordjs/collection, which botcache does not depend on); it is for discord.js to call, not the bot.
 */
export type DiscordJsCacheFactory = (managerType: unknown, holds: unknown, manager: unknown) => never;

/** A discord.js `LifetimeSweepOptions`: every `interval` seconds, drop what ended `lifetime` seconds ago. */
export interface DiscordJsLifetimeSweep {
  readonly interval: number;
  readonly lifetime: number;
}

/** discord.js's `SweeperOptions` as its defaults fill them: lifetime sweeps of threads, messages, invites. */
export interface DiscordJsSweepers {
  readonly threads?: DiscordJsLifetimeSweep;
  readonly messages?: DiscordJsLifetimeSweep;
  readonly invites?: DiscordJsLifetimeSweep;
}
