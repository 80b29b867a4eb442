/**
 * `mezonPreset(cache, client)`: one call that makes botcache the cache of a mezon-sdk bot instead of
 * a second copy beside the SDK's own. It
 * - keeps `cache` true from the client's events (`attachMezon`);
 * - bounds the SDK's managers (`client.clans`, `client.channels`, `client.users`, every
 *   `clan.channels` and `channel.messages`: LRU, size and TTL), re-applied on every login because
 *   the SDK rebuilds them in `initManager`;
 * - backs their misses by botcache: `client.channels.fetch`, `client.users.fetch` (which
 *   `message.reply` calls) and `channel.messages.fetch` build the SDK object from botcache's record
 *   before the SDK goes to REST (spaced ≥ 1 s apart process-wide) or opens a DM channel;
 * - replaces (or prunes) the SDK's never-pruned SQLite message file.
 * `channel.send`, `message.reply` and friends are the SDK's own objects and keep working.
 */
import { type Duration, parseDuration } from '../../util/duration.js';
import { type AttachMezonOptions, attachMezon, type MezonAttachment } from './attach-mezon.js';
import type { MezonCacheTarget } from './cache-target.js';
import { BoundedManager, type SdkManagerShape } from './mezon-preset-bounded-manager.js';
import {
  controlMessageFile,
  type MessageFileControl,
  type SdkMessageFileMode,
} from './mezon-preset-message-file.js';
import {
  fetcherOf,
  internalsOf,
  type SdkInternals,
  type SdkMessage,
  sdkClasses,
} from './mezon-preset-sdk.js';
import type { MezonChannelRecord, MezonMessageRecord, MezonUserRecord } from './records.js';
import { DM_CLAN_ID, type SdkChannel, type SdkClan, type SdkUser } from './sdk-objects.js';
import type { MezonClientLike } from './sdk-shapes.js';

/** Bounds of the SDK's in-memory managers. */
export interface MezonSdkLimits {
  /** `client.clans`. Default 1000. */
  readonly clans?: number;
  /** `client.channels` and each `clan.channels`. Default 2000. */
  readonly channels?: number;
  /** `client.users`. Default 5000. */
  readonly users?: number;
  /** Each `channel.messages` (the SDK keeps 200). Default 20; older ones are read from botcache. */
  readonly messagesPerChannel?: number;
  /** How long an SDK user object is kept after it was last set. Default `'1h'`. */
  readonly usersTtl?: Duration;
}

export interface MezonPresetOptions extends AttachMezonOptions {
  readonly sdkLimits?: MezonSdkLimits;
  /** What happens to the SDK's SQLite message file. Default `'replace'`. */
  readonly messageFile?: SdkMessageFileMode;
  /** Rows kept per channel by `messageFile: 'prune'`. Default 200 (what `channel.messages` holds). */
  readonly keepPerChannel?: number;
  /** How often `messageFile: 'prune'` prunes. Default `'1m'`. */
  readonly pruneEvery?: Duration;
}

export interface MezonPresetStats {
  /** SDK manager misses answered from botcache (no REST, no DM channel opened). */
  fromBotcache: number;
  /** SDK manager misses that went to the SDK's own loader. */
  fromSdk: number;
  /** SDK objects dropped by a bound or a TTL. */
  evicted: number;
}

/** The handle `mezonPreset` returns. */
export interface MezonPreset {
  readonly attachment: MezonAttachment;
  readonly stats: Readonly<MezonPresetStats>;
  /** Prunes the SDK's message file now (`messageFile: 'prune'`); the rows deleted. */
  pruneMessageFile(): number;
  /** Stops listening and re-bounding on login. Managers already bounded stay bounded. */
  detach(): void;
}

interface ResolvedLimits {
  readonly clans: number;
  readonly channels: number;
  readonly users: number;
  readonly messagesPerChannel: number;
  readonly usersTtlMs: number;
}

function resolveLimits(limits: MezonSdkLimits = {}): ResolvedLimits {
  return {
    clans: limits.clans ?? 1000,
    channels: limits.channels ?? 2000,
    users: limits.users ?? 5000,
    messagesPerChannel: limits.messagesPerChannel ?? 20,
    usersTtlMs: parseDuration(limits.usersTtl ?? '1h', 'sdkLimits.usersTtl'),
  };
}

/** Reads botcache without letting a store failure break the SDK: a failed read is a miss. */
async function quietly<T>(read: () => Promise<object | undefined>): Promise<T | undefined> {
  try {
    return (await read()) as T | undefined;
  } catch {
    return undefined;
  }
}

class Preset implements MezonPreset {
  readonly stats: MezonPresetStats = { fromBotcache: 0, fromSdk: 0, evicted: 0 };
  readonly attachment: MezonAttachment;
  readonly #cache: MezonCacheTarget;
  readonly #sdk: SdkInternals;
  readonly #limits: ResolvedLimits;
  readonly #messageFile: MessageFileControl;
  readonly #replacesFile: boolean;
  readonly #hadOwnInitManager: boolean;
  readonly #originalInitManager: SdkInternals['initManager'];

  constructor(cache: MezonCacheTarget, client: MezonClientLike, options: MezonPresetOptions) {
    this.#cache = cache;
    this.#sdk = internalsOf(client);
    this.#limits = resolveLimits(options.sdkLimits);
    const mode = options.messageFile ?? 'replace';
    if (!['replace', 'prune', 'keep'].includes(mode))
      throw new RangeError(`messageFile must be 'replace', 'prune' or 'keep' (got ${String(mode)})`);
    this.#replacesFile = mode === 'replace';
    this.attachment = attachMezon(cache, client, options);
    this.#messageFile = controlMessageFile(this.#sdk, {
      mode,
      keepPerChannel: options.keepPerChannel ?? 200,
      pruneEveryMs: parseDuration(options.pruneEvery ?? '1m', 'pruneEvery'),
    });
    // The SDK rebuilds its managers on every login (initManager): bound each new set as it appears.
    this.#hadOwnInitManager = Object.hasOwn(this.#sdk, 'initManager');
    this.#originalInitManager = this.#sdk.initManager;
    const original = this.#originalInitManager;
    this.#sdk.initManager = (basePath, session) => {
      original.call(this.#sdk, basePath, session);
      this.#install();
    };
    this.#install();
  }

  pruneMessageFile(): number {
    return this.#messageFile.prune();
  }

  detach(): void {
    this.attachment.detach();
    this.#messageFile.stop();
    if (this.#hadOwnInitManager) this.#sdk.initManager = this.#originalInitManager;
    else delete (this.#sdk as Partial<SdkInternals>).initManager;
  }

  #install(): void {
    const sdk = this.#sdk;
    if (!sdk.clans || !sdk.channels || !sdk.users) return; // not logged in yet
    if (!(sdk.channels instanceof BoundedManager)) {
      sdk.channels = this.#bound(sdk.channels, this.#limits.channels, Number.POSITIVE_INFINITY, {
        fallback: (id) => this.#channelFromBotcache(id),
        onSet: (channel) => this.#boundChannel(channel),
      });
    }
    if (!(sdk.clans instanceof BoundedManager)) {
      sdk.clans = this.#bound(sdk.clans, this.#limits.clans, Number.POSITIVE_INFINITY, {
        onSet: (clan) => this.#boundClan(clan),
      });
    }
    if (!(sdk.users instanceof BoundedManager)) {
      sdk.users = this.#bound(sdk.users, this.#limits.users, this.#limits.usersTtlMs, {
        fallback: (id) => this.#userFromBotcache(id),
      });
    }
  }

  #bound<V>(
    manager: SdkManagerShape<V>,
    max: number,
    ttlMs: number,
    extra: {
      fallback?: (id: string) => Promise<V | undefined>;
      onSet?: (value: V) => void;
      fetcher?: (id: string) => Promise<V>;
    },
  ): SdkManagerShape<V> {
    const sdkFetcher = extra.fetcher ?? fetcherOf(manager);
    const fallback = extra.fallback;
    return new BoundedManager<V>(manager.cache, {
      max,
      ttlMs,
      fetcher: (id) => {
        this.stats.fromSdk += 1;
        return sdkFetcher(id);
      },
      ...(fallback && {
        fallback: async (id: string) => {
          const value = await fallback(id);
          if (value !== undefined) this.stats.fromBotcache += 1;
          return value;
        },
      }),
      ...(extra.onSet && { onSet: extra.onSet }),
      onEvict: () => {
        this.stats.evicted += 1;
      },
    });
  }

  #boundClan(clan: SdkClan): void {
    if (clan.channels instanceof BoundedManager) return;
    const channels = this.#bound(
      clan.channels as unknown as SdkManagerShape<SdkChannel>,
      this.#limits.channels,
      Number.POSITIVE_INFINITY,
      {
        onSet: (channel) => this.#boundChannel(channel),
      },
    );
    (clan as { channels: unknown }).channels = channels;
  }

  #boundChannel(channel: SdkChannel): void {
    if (channel.messages instanceof BoundedManager) return;
    const replaced = this.#replacesFile;
    const messages = this.#bound(
      channel.messages as unknown as SdkManagerShape<SdkMessage>,
      this.#limits.messagesPerChannel,
      Number.POSITIVE_INFINITY,
      {
        fallback: (id) => this.#messageFromBotcache(channel, id),
        // With the file replaced, the SDK's loader (a SQLite read) has nothing left to find.
        ...(replaced && {
          fetcher: (id: string) =>
            Promise.reject(new Error(`Message ${id} not found on channel ${String(channel.id)}!`)),
        }),
      },
    );
    (channel as { messages: unknown }).messages = messages;
  }

  async #channelFromBotcache(id: string): Promise<SdkChannel | undefined> {
    const record = await quietly<MezonChannelRecord>(() => this.#cache.channels.get(id));
    if (!record) return undefined;
    const clanId = record.clan_id ?? DM_CLAN_ID;
    const clan = this.#sdk.clans?.get(clanId);
    // The SDK's own fetcher builds the channel the same way from a REST channel description.
    const { TextChannel } = sdkClasses();
    const Build = TextChannel as unknown as new (...args: unknown[]) => SdkChannel;
    const channel = new Build(
      {
        ...record,
        type: record.channel_type,
        channel_private: record.channel_private ? 1 : 0,
      },
      clan,
      this.#sdk.socketManager,
      this.#sdk.messageQueue,
      this.#sdk.messageDB,
    );
    clan?.channels.set(id, channel);
    return channel;
  }

  async #userFromBotcache(id: string): Promise<SdkUser | undefined> {
    const record = await quietly<MezonUserRecord>(() => this.#cache.users.get(id));
    if (!record) return undefined;
    const { User } = sdkClasses();
    const Build = User as unknown as new (...args: unknown[]) => SdkUser;
    return new Build(
      {
        id,
        username: record.username ?? '',
        display_name: record.display_name ?? '',
        avartar: record.avatar ?? '', // the SDK's spelling
        clan_nick: '',
        clan_avatar: '',
        dmChannelId: this.#sdk.channelManager?.getAllDmChannels()?.[id] ?? '',
      },
      {
        socketManager: this.#sdk.socketManager,
        messageQueue: this.#sdk.messageQueue,
        channelManager: this.#sdk.channelManager,
      },
    );
  }

  async #messageFromBotcache(channel: SdkChannel, id: string): Promise<SdkMessage | undefined> {
    const record = await quietly<MezonMessageRecord>(() => this.#cache.messages.get(id));
    if (!record || record.channel_id !== channel.id) return undefined;
    const { Message } = sdkClasses();
    const Build = Message as unknown as new (...args: unknown[]) => SdkMessage;
    return new Build(record, channel, this.#sdk.socketManager, this.#sdk.messageQueue);
  }
}

/**
 * Makes botcache the cache of a mezon-sdk client: call it once, before or after `client.login()`.
 * Read entities from `cache` (`cache.channels.fetch(id)`, `cache.members.get(clanId, userId)`); the
 * SDK's own objects (`client.channels.fetch(id)`, `channel.send`, `message.reply`) keep working.
 */
export function mezonPreset(
  cache: MezonCacheTarget,
  /** A mezon-sdk `MezonClient` (checked at run time: the preset reaches into the SDK's own managers). */
  client: MezonClientLike,
  options: MezonPresetOptions = {},
): MezonPreset {
  if (typeof (client as unknown as Partial<SdkInternals> | null)?.initManager !== 'function')
    throw new TypeError('client must be a mezon-sdk MezonClient');
  return new Preset(cache, client, options);
}
