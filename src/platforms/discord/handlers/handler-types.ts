/**
 * How one gateway event becomes cache writes. Handlers that only write are batched: consecutive
 * write-only dispatches of a guild go to the store as one atomic batch. Handlers that must read first
 * (merges, replaces) run alone, in order.
 */
import type { TransactionResources } from '../../../resources/index.js';
import type { DiscordCache, DiscordValueTypes } from '../discord-types.js';
import type { DiscordResource } from '../intents.js';

export type DiscordTransaction = TransactionResources<DiscordValueTypes>;

/** What handlers may use besides the payload. */
export interface HandlerContext {
  readonly cache: DiscordCache;
  /** Above this many members + presences, a GUILD_CREATE writes them in batches of this size. */
  readonly largeGuildBatch: number;
  /** Whether the manager keeps this resource (others are not written). */
  keeps(resource: DiscordResource): boolean;
  /** The guild's full state is now cached: buffered children may be applied. */
  guildAvailable(guildId: string): void;
  /** The guild left the cache (left or reconciled away): nothing more is buffered for it. */
  guildGone(guildId: string): void;
}

/** A handler that only records writes; it validates the payload synchronously before recording. */
export interface WriteHandler {
  readonly mode: 'write';
  /** True when the data belongs to a guild that must be cached first (buffered until it is). */
  readonly needsGuild: boolean;
  write(tx: DiscordTransaction, data: unknown, ctx: HandlerContext): void;
}

/** A handler that reads the cache before writing; it runs alone, after earlier dispatches of its guild. */
export interface ReadWriteHandler {
  readonly mode: 'read-write';
  readonly needsGuild: boolean;
  run(data: unknown, ctx: HandlerContext): Promise<void>;
}

/** The cached entity a merge handler updates. */
export type MergeTarget =
  | { readonly kind: 'member'; readonly guildId: string; readonly userId: string }
  | { readonly kind: 'message'; readonly id: string; readonly channelId?: string };

/**
 * A handler that merges into one cached entity (a partial update). It joins a batch: the manager reads
 * every merge target of the batch in one call first, then hands each its previous value. A batch stops
 * before a merge whose target an earlier dispatch of the batch may write (the read would be stale).
 */
export interface MergeHandler {
  readonly mode: 'merge';
  readonly needsGuild: boolean;
  /** Validates the payload and names the entity (undefined: nothing to merge, e.g. not kept). */
  target(data: unknown, ctx: HandlerContext): MergeTarget | undefined;
  write(tx: DiscordTransaction, data: unknown, ctx: HandlerContext, previous: object | undefined): void;
}

export type DispatchHandler = WriteHandler | ReadWriteHandler | MergeHandler;

export function writeHandler(needsGuild: boolean, write: WriteHandler['write']): WriteHandler {
  return { mode: 'write', needsGuild, write };
}

export function mergeHandler(
  needsGuild: boolean,
  target: MergeHandler['target'],
  write: MergeHandler['write'],
): MergeHandler {
  return { mode: 'merge', needsGuild, target, write };
}

export function readWriteHandler(needsGuild: boolean, run: ReadWriteHandler['run']): ReadWriteHandler {
  return { mode: 'read-write', needsGuild, run };
}

/** Collects an async iterable of keys. */
export async function collect(keys: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const key of keys) out.push(key);
  return out;
}
