import { CacheError } from '../../errors/index.js';

/** The ids a failed dispatch carried, as far as they could be read off its payload. */
export interface DispatchIds {
  readonly guildId?: string;
  readonly channelId?: string;
  readonly userId?: string;
  readonly messageId?: string;
  /** The payload's own `id` (a channel's, role's, guild's…) when it is none of the above. */
  readonly id?: string;
}

function stringAt(value: unknown, ...path: string[]): string | undefined {
  let at: unknown = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return typeof at === 'string' && at.length > 0 ? at : undefined;
}

/** Reads the ids of a dispatch's data (never throws: the data may be the malformed part). */
export function idsOf(t: string, d: unknown): DispatchIds {
  // GUILD_CREATE/UPDATE/DELETE name their guild `id`.
  const guildId =
    stringAt(d, 'guild_id') ?? (/^GUILD_(CREATE|UPDATE|DELETE)$/.test(t) ? stringAt(d, 'id') : undefined);
  const channelId = stringAt(d, 'channel_id');
  const userId =
    stringAt(d, 'user', 'id') ??
    stringAt(d, 'user_id') ??
    stringAt(d, 'author', 'id') ??
    stringAt(d, 'member', 'user', 'id');
  const messageId = stringAt(d, 'message_id') ?? (t.startsWith('MESSAGE_') ? stringAt(d, 'id') : undefined);
  const own = stringAt(d, 'id') ?? stringAt(d, 'role', 'id') ?? stringAt(d, 'role_id');
  const id = messageId === undefined && own !== guildId ? own : undefined;
  return {
    ...(guildId !== undefined && { guildId }),
    ...(channelId !== undefined && { channelId }),
    ...(userId !== undefined && { userId }),
    ...(messageId !== undefined && { messageId }),
    ...(id !== undefined && { id }),
  };
}

function describeIds(ids: DispatchIds): string {
  const parts = Object.entries(ids).map(([name, value]) => `${name} ${value}`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

/**
 * A gateway dispatch that could not be applied (malformed, or the store failed), or a failed re-sync
 * (`event` is `RESYNC`). `cause` says why; `event`, `sequence` and `ids` say which dispatch it was.
 */
export class DiscordDispatchError extends CacheError {
  /** The dispatch name, e.g. `GUILD_MEMBER_ADD`. */
  readonly event: string;
  /** The dispatch's sequence number `s`, when it had one. */
  readonly sequence: number | null;
  /** The guild the dispatch belonged to, when it had one. */
  readonly guildId: string | undefined;
  /** The ids the dispatch carried (guild, channel, user, message, own id). */
  readonly ids: DispatchIds;

  constructor(
    event: string,
    sequence: number | null,
    cause: unknown,
    guildId?: string,
    ids: DispatchIds = {},
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const all: DispatchIds = guildId === undefined || ids.guildId !== undefined ? ids : { guildId, ...ids };
    super(
      `could not apply ${event}${sequence === null ? '' : ` #${sequence}`}${describeIds(all)}: ${reason}`,
      {
        cause,
        resource: event,
      },
    );
    this.event = event;
    this.sequence = sequence;
    this.guildId = guildId ?? all.guildId;
    this.ids = all;
  }
}
