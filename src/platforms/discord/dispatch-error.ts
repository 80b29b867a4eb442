import { CacheError } from '../../errors/index.js';

/** A gateway dispatch that could not be applied (malformed, or the store failed). `cause` says why. */
export class DiscordDispatchError extends CacheError {
  /** The dispatch name, e.g. `GUILD_MEMBER_ADD`. */
  readonly event: string;
  /** The dispatch's sequence number, when it had one. */
  readonly sequence: number | null;

  constructor(event: string, sequence: number | null, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`could not apply ${event}${sequence === null ? '' : ` #${sequence}`}: ${reason}`, {
      cause,
      resource: event,
    });
    this.event = event;
    this.sequence = sequence;
  }
}
