/**
 * Loaders for `fetch` through @discordjs/rest: on a cache miss, one REST call; Discord's "Unknown X"
 * answers (HTTP 404) resolve undefined, so fetch caches the absence briefly and a bad id cannot hammer
 * the API. Other failures (rate limits exhausted, 5xx) reject unchanged for the fetch layer to report.
 */
import {
  type APIChannel,
  type APIGuild,
  type APIGuildMember,
  type APIMessage,
  type APIRole,
  type APIUser,
  Routes,
} from 'discord-api-types/v10';
import type { LoadContext, Loader } from '../../fetch/loader.js';
import type { CachedGuild } from './discord-types.js';

/**
 * The part of an @discordjs/rest REST instance the loaders use (`client.rest` of discord.js too). Written
 * out so the type holds without @discordjs/rest installed.
 */
export interface RestLike {
  get(
    route: `/${string}`,
    options?: { signal?: AbortSignal | undefined; query?: URLSearchParams | undefined },
  ): Promise<unknown>;
}

/** The REST loaders of the Discord resources, each matching botcache's Loader contract. */
export interface DiscordLoaders {
  /**
   * A guild as the `guilds` resource holds it: the REST guild without `roles` and `emojis`, which live
   * in their own resources. Fields only GUILD_CREATE carries (`joined_at`, `large`, `member_count`...)
   * are absent until the gateway sends the guild.
   */
  readonly guild: Loader<CachedGuild>;
  readonly channel: Loader<APIChannel>;
  readonly member: Loader<APIGuildMember, [guildId: string, userId: string]>;
  /** All roles of a guild: a list, not a loader of the `roles` resource (keyed by role id alone). */
  readonly roles: Loader<APIRole[], [guildId: string]>;
  readonly user: Loader<APIUser>;
  readonly message: Loader<APIMessage, [channelId: string, messageId: string]>;
}

function isNotFoundAnswer(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { status?: unknown }).status === 404;
}

function checkId(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string' || !/^\d{1,20}$/.test(value)) {
    throw new TypeError(`${name} must be a Discord snowflake string (got ${JSON.stringify(value)})`);
  }
}

async function load<T>(rest: RestLike, route: `/${string}`, context: LoadContext): Promise<T | undefined> {
  try {
    return (await rest.get(route, { signal: context.signal })) as T;
  } catch (error) {
    if (isNotFoundAnswer(error)) return undefined;
    throw error;
  }
}

/** Builds the loaders over a REST client (`new REST().setToken(token)`, or `client.rest` of discord.js). */
export function discordLoaders(rest: RestLike): DiscordLoaders {
  if (typeof rest !== 'object' || rest === null || typeof rest.get !== 'function') {
    throw new TypeError('rest must be an @discordjs/rest REST instance');
  }
  return {
    guild: async (guildId, context) => {
      checkId(guildId, 'guildId');
      const guild = await load<APIGuild>(rest, Routes.guild(guildId), context);
      if (guild === undefined) return undefined;
      const { roles: _roles, emojis: _emojis, ...kept } = guild;
      return kept as unknown as CachedGuild;
    },
    channel: async (channelId, context) => {
      checkId(channelId, 'channelId');
      return load<APIChannel>(rest, Routes.channel(channelId), context);
    },
    member: async (guildId, userId, context) => {
      checkId(guildId, 'guildId');
      checkId(userId, 'userId');
      return load<APIGuildMember>(rest, Routes.guildMember(guildId, userId), context);
    },
    roles: async (guildId, context) => {
      checkId(guildId, 'guildId');
      return load<APIRole[]>(rest, Routes.guildRoles(guildId), context);
    },
    user: async (userId, context) => {
      checkId(userId, 'userId');
      return load<APIUser>(rest, Routes.user(userId), context);
    },
    message: async (channelId, messageId, context) => {
      checkId(channelId, 'channelId');
      checkId(messageId, 'messageId');
      return load<APIMessage>(rest, Routes.channelMessage(channelId, messageId), context);
    },
  };
}
