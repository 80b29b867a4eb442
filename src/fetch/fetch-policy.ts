import { type Duration, parseDuration } from '../util/duration.js';
import { describe as describeValue } from '../util/validate.js';

/** How a resource or group loads on a miss. Durations are milliseconds or strings such as '30s'. */
export interface FetchPolicy {
  /** How long a loaded entry stays fresh. Default: the namespace's TTL, else forever. */
  readonly ttl?: Duration;
  /** How long "does not exist" answers are remembered; `false` turns negative caching off. Default 30 s. */
  readonly negativeTtl?: Duration | false;
  /** After `ttl`, keep serving the entry this long while one background load refreshes it. Default: off. */
  readonly staleWhileRevalidate?: Duration;
  /** Refresh in the background when a fresh entry has less than this left to live. Default: off. */
  readonly refreshThreshold?: Duration;
  /**
   * When a load fails, serve a stale copy instead of raising. `true` keeps copies 5 minutes past their
   * freshness for this; a duration sets that window. Default false.
   */
  readonly serveStaleOnError?: boolean | Duration;
  /**
   * Longest a caller waits for a load before it fails with a LoaderError (each caller may set its own; the
   * load itself is aborted only when no caller waits any more). `Infinity` waits for ever. Default 10 s.
   */
  readonly timeout?: Duration;
  /**
   * After a refresh of a cached entry fails, how long its stale copy is served without asking the source
   * again (stale-while-revalidate and serve-stale-on-error), so an API that is down is not called on every
   * read. Default 5 s.
   */
  readonly retryAfterError?: Duration;
  /**
   * Share loads across processes through the store's lock (stores that offer one, such as Redis): while one
   * process loads a key, the others wait for its result instead of calling the API too. Default false.
   * `lockTtl` (default 5 s) is how long the lock of a holder that died blocks the others; a live holder
   * renews it while it loads. `pollInterval` (default 25 ms) is how often waiters look for the result.
   */
  readonly crossProcess?: boolean | { readonly lockTtl?: Duration; readonly pollInterval?: Duration };
}

/** A policy with every duration resolved to milliseconds. */
export interface ResolvedFetchPolicy {
  readonly ttl: number | undefined;
  readonly negativeTtl: number | undefined;
  readonly staleWhileRevalidate: number;
  readonly refreshThreshold: number;
  /** How long past freshness a copy is kept to be served when a load fails (0: never). */
  readonly staleIfError: number;
  readonly timeout: number;
  readonly retryAfterError: number;
  readonly crossProcess: { readonly lockTtl: number; readonly pollInterval: number } | undefined;
}

export const DEFAULT_NEGATIVE_TTL = 30_000;
export const DEFAULT_LOAD_TIMEOUT = 10_000;
export const DEFAULT_STALE_IF_ERROR = 300_000;
export const DEFAULT_RETRY_AFTER_ERROR = 5_000;

/** Checks a policy and resolves its durations. @param name the option path used in error messages. */
export function resolveFetchPolicy(policy: FetchPolicy = {}, name = 'fetch'): ResolvedFetchPolicy {
  if (typeof policy !== 'object' || policy === null) {
    throw new TypeError(`${name} must be an object (got ${describeValue(policy)})`);
  }
  const duration = (value: Duration | undefined, option: string): number | undefined =>
    value === undefined ? undefined : parseDuration(value, `${name}.${option}`);
  const staleIfError =
    policy.serveStaleOnError === undefined || policy.serveStaleOnError === false
      ? 0
      : policy.serveStaleOnError === true
        ? DEFAULT_STALE_IF_ERROR
        : (duration(policy.serveStaleOnError, 'serveStaleOnError') as number);
  let crossProcess: ResolvedFetchPolicy['crossProcess'];
  if (policy.crossProcess) {
    const options = policy.crossProcess === true ? {} : policy.crossProcess;
    crossProcess = {
      lockTtl: duration(options.lockTtl, 'crossProcess.lockTtl') ?? 5_000,
      pollInterval: duration(options.pollInterval, 'crossProcess.pollInterval') ?? 25,
    };
  }
  return {
    ttl: duration(policy.ttl, 'ttl'),
    negativeTtl:
      policy.negativeTtl === false
        ? undefined
        : (duration(policy.negativeTtl, 'negativeTtl') ?? DEFAULT_NEGATIVE_TTL),
    staleWhileRevalidate: duration(policy.staleWhileRevalidate, 'staleWhileRevalidate') ?? 0,
    refreshThreshold: duration(policy.refreshThreshold, 'refreshThreshold') ?? 0,
    staleIfError,
    timeout: duration(policy.timeout, 'timeout') ?? DEFAULT_LOAD_TIMEOUT,
    retryAfterError: duration(policy.retryAfterError, 'retryAfterError') ?? DEFAULT_RETRY_AFTER_ERROR,
    crossProcess,
  };
}
