/**
 * `discordJsPreset(cache)`: one call that makes botcache the cache of a discord.js 14 bot instead of a
 * second copy beside discord.js's own. Spread `preset.clientOptions` into `new Client({...})`: it turns
 * off each discord.js cache whose entities botcache keeps — presences, messages and reactions, voice
 * states, emojis, invites at size 0; members and users down to the few most recently seen — and keeps what discord.js needs to route
 * events and compute permissions: guilds, channels, threads and roles, plus the bot's own member,
 * user and voice state. Then `preset.attach(client)` feeds botcache from the gateway.
 *
 * discord.js still builds a `GuildMember`/`Message`/`User` for each event it emits (and reads them
 * from the payload, not its cache), so `messageCreate`, `message.reply`, `interactionCreate`,
 * `interaction.member` and `guildMemberAdd` keep working; what the bot *looks up* later comes from
 * botcache (`cache.members.get(guildId, userId)` instead of `guild.members.cache.get(userId)`).
 */
import { createRequire } from 'node:module';
import {
  type AttachOptions,
  attachDiscordJs,
  type DiscordAttachment,
  type DiscordJsClientLike,
} from './attach.js';
import type { DiscordCache } from './discord-types.js';
import type {
  DiscordJsCacheFactory,
  DiscordJsCacheLimits,
  DiscordJsOwnedEntity,
  DiscordJsSweepers,
} from './discordjs-preset-types.js';
import { DiscordEventManager } from './event-manager.js';
import type { DiscordResource } from './intents.js';

/** What to spread into `new Client({ intents, ...preset.clientOptions })`. */
export interface DiscordJsPresetClientOptions {
  readonly makeCache: DiscordJsCacheFactory;
  readonly sweepers: DiscordJsSweepers;
}

export interface DiscordJsPreset {
  readonly clientOptions: DiscordJsPresetClientOptions;
  /** The discord.js cache limits the preset set (manager name → 0 or its setting), for inspection. */
  readonly cacheLimits: DiscordJsCacheLimits;
  /** The event manager that keeps `cache` true (stats, `idle()`, `error`). */
  readonly events: DiscordEventManager;
  /** Feeds botcache from the client's gateway packets; call before `client.login()`. */
  attach(client: DiscordJsClientLike): DiscordAttachment;
}

/** An entity discord.js keeps even at size 0: its own member, user or voice state (voice connections need it). */
function isSelf(entity: DiscordJsOwnedEntity): boolean {
  return entity.id === entity.client.user?.id;
}

/** How many of the most recently seen members and users discord.js keeps with the preset. */
export interface DiscordJsRecent {
  /**
   * Per guild. discord.js resolves `message.member` and `interaction.member` through
   * `guild.members.cache` right after adding the event's member, so a few recent ones keep those
   * getters working in handlers. Default 100 (plus the bot's own member, always kept).
   */
  readonly members?: number;
  /** `client.users.cache`. Default 100 (plus the bot's own user). */
  readonly users?: number;
}

export interface DiscordJsPresetOptions extends AttachOptions {
  readonly recent?: DiscordJsRecent;
}

function limited(maxSize: number) {
  return { maxSize, keepOverLimit: isSelf } as const;
}

/** The discord.js managers that hold each botcache resource's entities. */
function managersOf(resource: DiscordResource, recent: Required<DiscordJsRecent>): DiscordJsCacheLimits {
  switch (resource) {
    case 'members':
      return { GuildMemberManager: limited(recent.members), ThreadMemberManager: 0 };
    case 'users':
      return { UserManager: limited(recent.users), ReactionUserManager: 0 };
    case 'presences':
      return { PresenceManager: 0 };
    case 'messages':
      return { MessageManager: 0, DMMessageManager: 0, GuildMessageManager: 0, ReactionManager: 0 };
    case 'voiceStates':
      return { VoiceStateManager: limited(0) };
    case 'emojis':
      return { GuildEmojiManager: 0, BaseGuildEmojiManager: 0 };
    case 'invites':
      return { GuildInviteManager: 0 };
    default:
      return {};
  }
}

function checkSize(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0)
    throw new RangeError(`${name} must be a non-negative integer (got ${String(value)})`);
  return value;
}

/** The limits for the resources botcache keeps; others keep discord.js's defaults. */
export function discordJsCacheLimits(
  resources: Iterable<DiscordResource>,
  recent: DiscordJsRecent = {},
): DiscordJsCacheLimits {
  const sizes = {
    members: checkSize(recent.members, 'recent.members', 100),
    users: checkSize(recent.users, 'recent.users', 100),
  };
  const limits: DiscordJsCacheLimits = {};
  for (const resource of resources) Object.assign(limits, managersOf(resource, sizes));
  return limits;
}

interface DiscordJsOptionsClass {
  readonly Options: {
    cacheWithLimits(settings: DiscordJsCacheLimits): DiscordJsCacheFactory;
    readonly DefaultMakeCacheSettings: DiscordJsCacheLimits;
    readonly DefaultSweeperSettings: DiscordJsSweepers;
  };
}

/** discord.js is an optional peer of `botcache/discord`: loaded only when the preset is used. */
function discordJs(): DiscordJsOptionsClass {
  return createRequire(import.meta.url)('discord.js') as DiscordJsOptionsClass;
}

/**
 * Makes botcache the cache of a discord.js Client. `options.resources` picks what botcache keeps
 * (default: all its resources); only those are turned off in discord.js.
 */
export function discordJsPreset(cache: DiscordCache, options: DiscordJsPresetOptions = {}): DiscordJsPreset {
  const events = new DiscordEventManager(cache, options);
  const { Options } = discordJs();
  const cacheLimits = {
    ...Options.DefaultMakeCacheSettings,
    ...discordJsCacheLimits(events.resources, options.recent),
  };
  let attached: DiscordAttachment | undefined;
  return {
    clientOptions: {
      makeCache: Options.cacheWithLimits(cacheLimits),
      sweepers: { ...Options.DefaultSweeperSettings },
    },
    cacheLimits,
    events,
    attach(client) {
      if (attached)
        throw new Error('this preset is already attached to a client; create one preset per client');
      attached = attachDiscordJs(events, client, options);
      return attached;
    },
  };
}
