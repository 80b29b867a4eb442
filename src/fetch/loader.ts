/** What a loader is given: an AbortSignal that fires on timeout or when the caller gives up. */
export interface LoadContext {
  readonly signal: AbortSignal;
}

/**
 * Loads one entry from the source of truth (an SDK or REST call) on a cache miss.
 * Resolve `undefined` (or throw an error that {@link isNotFound} recognises) when the entry does not exist:
 * that absence is cached briefly so a bad id cannot hammer the API.
 */
export type Loader<T, K extends unknown[] = [id: string]> = (
  ...args: [...key: K, context: LoadContext]
) => Promise<T | undefined>;

/** Marks an error as "the source says this does not exist" so fetch turns it into EntryNotFound. */
export const NOT_FOUND = Symbol.for('botcache.notFound');

/** An error a platform loader throws (or tags) when the API answers "unknown entity". */
export interface NotFoundMarked {
  readonly [NOT_FOUND]: true;
}

export function isNotFound(error: unknown): error is NotFoundMarked {
  return (
    typeof error === 'object' && error !== null && (error as Partial<NotFoundMarked>)[NOT_FOUND] === true
  );
}

/** Tags an error as a not-found answer from the source. */
export function markNotFound<E extends object>(error: E): E & NotFoundMarked {
  Object.defineProperty(error, NOT_FOUND, { value: true, enumerable: false });
  return error as E & NotFoundMarked;
}
