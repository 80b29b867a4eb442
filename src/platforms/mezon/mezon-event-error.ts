/** The error `attachMezon` reports when it could not apply a Mezon event to the cache. */
import { CacheError } from '../../errors/index.js';

export interface MezonEventErrorOptions {
  readonly event: string;
  /** True when the payload itself was unusable (missing ids, wrong types); false when the store failed. */
  readonly malformed: boolean;
  /** The ids the event named (`clan_id`, `channel_id`, `message_id`, `role.id`…), by payload field. */
  readonly ids?: Readonly<Record<string, string>>;
  readonly cause?: unknown;
}

export class MezonEventError extends CacheError {
  /** The SDK event name, e.g. `'channel_message'`. */
  readonly event: string;
  readonly malformed: boolean;
  /** The ids the event named, by payload field (empty for a refresh). */
  readonly ids: Readonly<Record<string, string>>;

  constructor(message: string, options: MezonEventErrorOptions) {
    super(message, { cause: options.cause, resource: 'mezon' });
    this.event = options.event;
    this.malformed = options.malformed;
    this.ids = options.ids ?? {};
  }
}
