/**
 * Wiring the event manager to a gateway client: discord.js through `client.on('raw')`, @discordjs/ws
 * through the manager's `dispatch` event. Both check the connection's intents against the resources
 * kept and warn when events would be missing.
 */
import type { DiscordCache } from './discord-types.js';
import { DiscordEventManager, type DiscordEventManagerOptions } from './event-manager.js';
import { HANDLED_EVENTS } from './handlers/index.js';
import { type MissingIntentsWarning, warnMissingIntents } from './intents.js';
import { isObject } from './payload-checks.js';

const HANDLED: ReadonlySet<string> = new Set(HANDLED_EVENTS);

export interface AttachOptions extends DiscordEventManagerOptions {
  /** Where a missing-intents warning goes. Default `process.emitWarning`; `false` disables the check. */
  readonly warn?: false | ((warning: MissingIntentsWarning) => void);
}

/** A live attachment: its event manager (stats, `idle()`, `error` events) and how to stop listening. */
export interface DiscordAttachment {
  readonly events: DiscordEventManager;
  /** Stops listening. Dispatches already received are still applied (await `events.idle()`). Idempotent. */
  detach(): void;
}

// Written out rather than picked from discord.js / @discordjs/ws, so these types hold without either
// package installed (a Pick from a missing package would silently turn into `any`).
/** The part of a discord.js Client this needs. */
export interface DiscordJsClientLike {
  on(event: 'raw', listener: (packet: unknown) => void): unknown;
  off(event: 'raw', listener: (packet: unknown) => void): unknown;
  readonly options: { readonly intents: { readonly bitfield: number } };
}

/** The part of an @discordjs/ws WebSocketManager this needs. */
export interface DiscordWsManagerLike {
  on(event: 'dispatch', listener: (payload: unknown) => void): unknown;
  off(event: 'dispatch', listener: (payload: unknown) => void): unknown;
  readonly options: { readonly intents: number };
}

function managerFor(cache: DiscordCache | DiscordEventManager, options: AttachOptions): DiscordEventManager {
  return cache instanceof DiscordEventManager ? cache : new DiscordEventManager(cache, options);
}

function checkIntents(events: DiscordEventManager, intents: number, options: AttachOptions): void {
  if (options.warn === false) return;
  warnMissingIntents(intents, events.resources, options.warn === undefined ? undefined : options.warn);
}

/** Keeps `cache` true from a discord.js Client's raw gateway packets. Attach before `client.login()`. */
export function attachDiscordJs(
  cache: DiscordCache | DiscordEventManager,
  client: DiscordJsClientLike,
  options: AttachOptions = {},
): DiscordAttachment {
  if (typeof client !== 'object' || client === null || typeof client.on !== 'function') {
    throw new TypeError('client must be a discord.js Client');
  }
  const events = managerFor(cache, options);
  checkIntents(events, client.options.intents.bitfield, options);
  // discord.js hands the same packet object to its own handlers right after 'raw', and they mutate it
  // before our queued write runs. Only the objects they write to are copied (see `detachFromDiscordJs`);
  // TYPING_START and other unhandled packets are just counted.
  const listener = (packet: unknown): void =>
    events.handle(
      isObject(packet) && typeof packet.t === 'string' && HANDLED.has(packet.t)
        ? detachFromDiscordJs(packet as { t: string; d?: unknown })
        : packet,
    );
  client.on('raw', listener);
  return attachment(events, () => client.off('raw', listener));
}

/** A shallow copy of an object, or the value itself when it is not one. */
function shallow(value: unknown): unknown {
  return isObject(value) ? { ...value } : value;
}

/** A copy of an array whose object items are copied shallowly. */
function shallowItems(value: unknown): unknown {
  return Array.isArray(value) ? value.map(shallow) : value;
}

/**
 * The packet as discord.js 14 received it, safe from what its handlers then write into it, at the cost
 * of a few shallow copies instead of a deep copy of the whole packet. What they write (discord.js
 * 14.x, src/client): every handler may add top-level fields to `d` (GUILD_CREATE `shardId`,
 * PRESENCE_UPDATE and INVITE_* `guild`/`channel` through `Object.assign(data, …)`); Guild#_patch adds
 * `guild` to each of `d.presences` (also GUILD_MEMBERS_CHUNK); READY adds `shardId` to each of
 * `d.guilds`; Message#_patch adds `user` to `d.member` and to each `d.mentions[i].member`. Nothing
 * deeper is written, so the rest of the payload is shared, read-only, with discord.js.
 */
function detachFromDiscordJs(packet: { t: string; d?: unknown }): unknown {
  if (!isObject(packet.d)) return packet;
  const d: Record<string, unknown> = { ...packet.d };
  switch (packet.t) {
    case 'GUILD_CREATE':
    case 'GUILD_MEMBERS_CHUNK':
      if (d.presences !== undefined) d.presences = shallowItems(d.presences);
      break;
    case 'READY':
      if (d.guilds !== undefined) d.guilds = shallowItems(d.guilds);
      break;
    case 'MESSAGE_CREATE':
    case 'MESSAGE_UPDATE':
      if (d.member !== undefined) d.member = shallow(d.member);
      if (Array.isArray(d.mentions))
        d.mentions = d.mentions.map((mention: unknown) =>
          isObject(mention) && isObject(mention.member)
            ? { ...mention, member: { ...mention.member } }
            : mention,
        );
      break;
  }
  return { ...packet, d };
}

/** Keeps `cache` true from an @discordjs/ws WebSocketManager's dispatches. Attach before `connect()`. */
export function attachDiscordWs(
  cache: DiscordCache | DiscordEventManager,
  manager: DiscordWsManagerLike,
  options: AttachOptions = {},
): DiscordAttachment {
  if (typeof manager !== 'object' || manager === null || typeof manager.on !== 'function') {
    throw new TypeError('manager must be an @discordjs/ws WebSocketManager');
  }
  const events = managerFor(cache, options);
  checkIntents(events, manager.options.intents, options);
  const listener = (payload: unknown): void => events.handle(payload);
  manager.on('dispatch', listener);
  return attachment(events, () => manager.off('dispatch', listener));
}

/** The handle both attach functions return: `detach()` removes the listener once, later calls do nothing. */
function attachment(events: DiscordEventManager, removeListener: () => void): DiscordAttachment {
  let attached = true;
  return {
    events,
    detach() {
      if (!attached) return;
      attached = false;
      removeListener();
    },
  };
}
