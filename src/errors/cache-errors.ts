/**
 * The error taxonomy of botcache. Every failure that reaches a caller is a {@link CacheError}
 * (or a TypeError/RangeError for bad arguments); no raw driver error leaks out.
 */

/** Options shared by every botcache error. */
export interface CacheErrorOptions {
  /** The underlying error, when there is one. */
  cause?: unknown;
  /** The store key the error concerns, when it concerns one. */
  key?: string;
  /** The namespace or resource the error concerns, when it concerns one. */
  resource?: string;
}

/** Base class of every error botcache raises on purpose. */
export class CacheError extends Error {
  /** The namespace or resource concerned, if any. */
  readonly resource: string | undefined;
  /** The key concerned, if any. */
  readonly key: string | undefined;

  constructor(message: string, options: CacheErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.resource = options.resource;
    this.key = options.key;
  }
}

/** The backing store failed (connection lost, timeout, server error). `cause` holds the driver error. */
export class BackendError extends CacheError {}

/** The store or cache was used after `close()`. */
export class ClosedClient extends CacheError {
  constructor(message = 'the store is closed', options: CacheErrorOptions = {}) {
    super(message, options);
  }
}

/** The source of truth confirmed that the entry does not exist (as opposed to a plain cache miss). */
export class EntryNotFound extends CacheError {}

/** The entry cannot be deleted because other entries still reference it. */
export class CannotDelete extends CacheError {}

/** Stored data could not be decoded. `key` names the offending entry. */
export class InvalidDataFound extends CacheError {}
