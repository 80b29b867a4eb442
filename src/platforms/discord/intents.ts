/**
 * Which gateway intents keep each cached resource true. Without them Discord never sends the events
 * (GUILD_MEMBER_*, PRESENCE_UPDATE, …) and the cache silently goes stale, so we say so up front.
 */
import { GatewayIntentBits } from 'discord-api-types/v10';
import { RESOURCE_NAMES, type ResourceName } from '../../resources/resource-names.js';

/** The resources the Discord event manager keeps: every resource of the standard. */
export const DISCORD_RESOURCES = RESOURCE_NAMES;

export type DiscordResource = ResourceName;

/**
 * Intents per resource. Guild-bound resources also need GUILDS: their parent (and the GUILD_CREATE
 * that fills them) only arrives with it. Messages need MESSAGE_CONTENT only to see `content`,
 * which caching does not require.
 */
const INTENTS_BY_RESOURCE: Readonly<Record<DiscordResource, number>> = {
  guilds: GatewayIntentBits.Guilds,
  channels: GatewayIntentBits.Guilds,
  roles: GatewayIntentBits.Guilds,
  emojis: GatewayIntentBits.Guilds | GatewayIntentBits.GuildExpressions,
  members: GatewayIntentBits.Guilds | GatewayIntentBits.GuildMembers,
  users: 0,
  messages: GatewayIntentBits.GuildMessages | GatewayIntentBits.DirectMessages,
  presences: GatewayIntentBits.Guilds | GatewayIntentBits.GuildPresences,
  voiceStates: GatewayIntentBits.Guilds | GatewayIntentBits.GuildVoiceStates,
  invites: GatewayIntentBits.Guilds | GatewayIntentBits.GuildInvites,
  me: 0,
};

export function isDiscordResource(value: unknown): value is DiscordResource {
  return typeof value === 'string' && Object.hasOwn(INTENTS_BY_RESOURCE, value);
}

/** Checks a list of resource names; throws a TypeError naming the first unknown one. */
export function assertDiscordResources(
  resources: Iterable<unknown>,
  name = 'resources',
): asserts resources is Iterable<DiscordResource> {
  if (resources === null || typeof resources !== 'object' || !(Symbol.iterator in resources)) {
    throw new TypeError(`${name} must be an iterable of resource names`);
  }
  for (const resource of resources) {
    if (!isDiscordResource(resource)) {
      throw new TypeError(
        `${name} contains an unknown resource ${JSON.stringify(resource)}; expected one of ${DISCORD_RESOURCES.join(', ')}`,
      );
    }
  }
}

/** The gateway intents (a bitfield for `intents` of discord.js / @discordjs/ws) that keep `resources` event-managed. */
export function requiredIntents(resources: Iterable<DiscordResource> = DISCORD_RESOURCES): number {
  assertDiscordResources(resources);
  let bits = 0;
  for (const resource of resources) bits |= INTENTS_BY_RESOURCE[resource];
  return bits;
}

/** Names of the intents `resources` need that `intents` lacks, e.g. `['GuildMembers']`. */
export function missingIntents(
  intents: number,
  resources: Iterable<DiscordResource> = DISCORD_RESOURCES,
): string[] {
  if (!Number.isInteger(intents) || intents < 0) {
    throw new RangeError(`intents must be a non-negative integer bitfield (got ${String(intents)})`);
  }
  const missing = requiredIntents(resources) & ~intents;
  const names: string[] = [];
  for (const [name, bit] of Object.entries(GatewayIntentBits)) {
    // The enum is bidirectional and has aliases (GuildBans = GuildModeration): keep one name per bit.
    if (typeof bit !== 'number' || (missing & bit) === 0 || names.some((n) => intentBit(n) === bit)) continue;
    names.push(name);
  }
  return names;
}

function intentBit(name: string): number | undefined {
  const bit: unknown = (GatewayIntentBits as Record<string, unknown>)[name];
  return typeof bit === 'number' ? bit : undefined;
}

/** A warning that the connection's intents cannot keep the chosen resources true. */
export class MissingIntentsWarning extends Error {
  override readonly name = 'MissingIntentsWarning';
  constructor(
    readonly missing: readonly string[],
    readonly resources: readonly DiscordResource[],
  ) {
    super(
      `botcache: the gateway connection lacks intents ${missing.join(', ')}; the cached ${resources.join(', ')} ` +
        'will miss events and go stale. Add them, or leave these resources out of the event manager.',
    );
  }
}

/**
 * Emits a {@link MissingIntentsWarning} (through `process.emitWarning` unless `warn` is given) when
 * `intents` lacks what `resources` need. Returns the missing intent names (empty: nothing to warn about).
 */
export function warnMissingIntents(
  intents: number,
  resources: Iterable<DiscordResource> = DISCORD_RESOURCES,
  warn: (warning: MissingIntentsWarning) => void = (warning) => process.emitWarning(warning),
): string[] {
  const list = [...resources];
  const missing = missingIntents(intents, list);
  if (missing.length > 0) {
    const affected = list.filter((resource) => (INTENTS_BY_RESOURCE[resource] & ~intents) !== 0);
    warn(new MissingIntentsWarning(missing, affected));
  }
  return missing;
}
