import { CacheError } from '../../errors/index.js';

/**
 * A gateway dispatch that could not be applied (malformed, or the store failed), or a failed re-sync
 * (`event` is `RESYNC`). `cause` says why.
 */
export class DiscordDispatchError extends CacheError {
  /** The dispatch name, e.g. `GUILD_MEMBER_ADD`. */
  readonly event: string;
  /** The dispatch's sequence number, when it had one. */
  readonly sequence: number | null;
  /** The guild the dispatch belonged to, when it had one. */
  readonly guildId: string | undefined;

  constructor(event: string, sequence: number | null, cause: unknown, guildId?: string) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const where = guildId === undefined ? '' : ` (guild ${guildId})`;
    super(`could not apply ${event}${sequence === null ? '' : ` #${sequence}`}${where}: ${reason}`, {
      cause,
      resource: event,
    });
    this.event = event;
    this.sequence = sequence;
    this.guildId = guildId;
  }
}
