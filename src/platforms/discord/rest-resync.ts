/**
 * A `resync` source over @discordjs/rest: the guild (with its roles and emojis), its channels, its
 * active threads and every member, page by page. REST has no presences or voice states: a re-synced
 * guild keeps those as cached, except for users who are no longer members.
 */
import {
  type APIChannel,
  type APIGuild,
  type APIGuildMember,
  type RESTGetAPIGuildThreadsResult,
  Routes,
} from 'discord-api-types/v10';
import type { RestLike } from './rest-loaders.js';
import type { GuildResync } from './resync-scheduler.js';

export interface DiscordResyncOptions {
  /** Also list every member (needs the GUILD_MEMBERS intent; one call per 1000). Default true. */
  readonly members?: boolean;
  /** Also list active threads. Default true. */
  readonly threads?: boolean;
}

/** A GUILD_CREATE-shaped snapshot built from REST; fields left out stay as cached. */
export interface RestGuildSnapshot extends APIGuild {
  channels: APIChannel[];
  threads?: APIChannel[];
  members?: APIGuildMember[];
}

const PAGE = 1000;

function isGoneAnswer(error: unknown): boolean {
  const status = typeof error === 'object' && error !== null ? (error as { status?: unknown }).status : 0;
  // 404 Unknown Guild, or 403 Missing Access: the bot is no longer in the guild.
  return status === 404 || status === 403;
}

/** Builds a `resync` for the event manager over a REST client (`new REST().setToken(token)`). */
export function discordResync(rest: RestLike, options: DiscordResyncOptions = {}): GuildResync {
  if (typeof rest !== 'object' || rest === null || typeof rest.get !== 'function') {
    throw new TypeError('rest must be an @discordjs/rest REST instance');
  }
  const withMembers = options.members ?? true;
  const withThreads = options.threads ?? true;
  return async (guildId) => {
    if (typeof guildId !== 'string' || !/^\d{1,20}$/.test(guildId)) {
      throw new TypeError(`guildId must be a Discord snowflake string (got ${JSON.stringify(guildId)})`);
    }
    let guild: APIGuild;
    try {
      guild = (await rest.get(Routes.guild(guildId))) as APIGuild;
    } catch (error) {
      if (isGoneAnswer(error)) return undefined;
      throw error;
    }
    const [channels, threads, members] = await Promise.all([
      rest.get(Routes.guildChannels(guildId)) as Promise<APIChannel[]>,
      withThreads
        ? (rest.get(Routes.guildActiveThreads(guildId)) as Promise<RESTGetAPIGuildThreadsResult>)
        : undefined,
      withMembers ? listMembers(rest, guildId) : undefined,
    ]);
    const snapshot: RestGuildSnapshot = { ...guild, channels };
    if (threads !== undefined) snapshot.threads = threads.threads;
    if (members !== undefined) snapshot.members = members;
    return snapshot;
  };
}

async function listMembers(rest: RestLike, guildId: string): Promise<APIGuildMember[]> {
  const all: APIGuildMember[] = [];
  let after = '0';
  for (;;) {
    const query = new URLSearchParams({ limit: String(PAGE), after });
    const page = (await rest.get(Routes.guildMembers(guildId), { query })) as APIGuildMember[];
    all.push(...page);
    const last = page.at(-1)?.user?.id;
    if (page.length < PAGE || last === undefined) return all;
    after = last;
  }
}
