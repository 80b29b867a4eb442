import { EntryNotFound } from '../errors/index.js';
import type { Store, StoredEntry } from '../store/types.js';
import { type Duration, parseDuration } from '../util/duration.js';
import { delay, raceSignal } from './abort.js';
import { LoaderError, LoadTimeout } from './errors.js';
import { type FetchPolicy, type ResolvedFetchPolicy, resolveFetchPolicy } from './fetch-policy.js';
import { emptyFetchStats, type FetchStats } from './fetch-stats.js';
import { isNotFound, type LoadContext } from './loader.js';

/** Loads the value of one key; resolves undefined when the source says it does not exist. */
export type KeyLoader<T> = (context: LoadContext) => Promise<T | undefined>;

/** Writes a loaded value into the cache (with its relations); `ttl` in ms, Infinity for never. */
export type LoadedWriter<T> = (key: string, value: T, ttl: number) => Promise<void>;

/** Per-call options of {@link Fetcher.fetch}. */
export interface FetchCallOptions {
  /** Give up waiting when this signal aborts (the shared load goes on for the other callers). */
  readonly signal?: AbortSignal;
  /** Longest this load may take; overrides the policy's timeout. */
  readonly timeout?: Duration;
  /** Skip the cache and load now (still single-flight). */
  readonly force?: boolean;
}

/** Options of a {@link Fetcher}. */
export interface FetcherOptions<T> {
  readonly store: Store;
  /** The namespace the values live in. */
  readonly namespace: string;
  readonly policy?: FetchPolicy;
  /** How a loaded value is written. Default: a plain `store.set` with the ttl. */
  readonly write?: LoadedWriter<T>;
  /** How an entry the source says is gone is removed. Default: a plain `store.delete`. */
  readonly remove?: (key: string) => Promise<unknown>;
  /** The clock staleness is judged by (epoch ms). Default `Date`. */
  readonly clock?: { now(): number };
  /** Where a failed background refresh is reported. Default: nowhere (the stale value keeps being served). */
  readonly onBackgroundError?: (error: unknown, key: string) => void;
}

/** The namespace where "does not exist" answers are remembered, beside the values' own. */
export function absentNamespace(namespace: string): string {
  return `${namespace}.absent`;
}

/**
 * Cache-aside loading for one namespace: answers from the store, else loads once for every concurrent
 * caller (single-flight, optionally across processes), remembers absences briefly, and serves stale
 * copies while refreshing in the background when the policy says so.
 */
export class Fetcher<T> {
  readonly policy: ResolvedFetchPolicy;
  readonly #stats = emptyFetchStats();
  readonly #flights = new Map<string, Promise<T>>();
  readonly #store: Store;
  readonly #namespace: string;
  readonly #absent: string;
  readonly #write: LoadedWriter<T>;
  readonly #remove: (key: string) => Promise<unknown>;
  readonly #clock: { now(): number };
  readonly #onBackgroundError: ((error: unknown, key: string) => void) | undefined;

  constructor(options: FetcherOptions<T>) {
    this.policy = resolveFetchPolicy(options.policy);
    this.#store = options.store;
    this.#namespace = options.namespace;
    this.#absent = absentNamespace(options.namespace);
    this.#clock = options.clock ?? Date;
    this.#onBackgroundError = options.onBackgroundError;
    this.#write =
      options.write ?? ((key, value, ttl) => this.#store.set(this.#namespace, key, value, { ttl }));
    this.#remove = options.remove ?? ((key) => this.#store.delete(this.#namespace, key));
  }

  /** This process's counters. */
  stats(): FetchStats {
    return { ...this.#stats };
  }

  /** How long an entry is kept past its freshness: the stale-while-revalidate and stale-if-error windows. */
  private get staleWindows(): number {
    return this.policy.staleWhileRevalidate + this.policy.staleIfError;
  }

  /** The TTL a loaded entry is written with: fresh life plus the stale windows. */
  private writeTtl(): number {
    const fresh = this.policy.ttl ?? this.#store.limitsOf(this.#namespace).ttl ?? Number.POSITIVE_INFINITY;
    return fresh + this.staleWindows;
  }

  /**
   * The cached value, or the loaded one. Rejects with EntryNotFound when the source says the entry
   * does not exist (and remembers that for the negative TTL), with LoaderError when the load fails.
   */
  async fetch(key: string, load: KeyLoader<T>, options: FetchCallOptions = {}): Promise<T> {
    if (typeof load !== 'function') throw new TypeError(`loader must be a function (got ${typeof load})`);
    options.signal?.throwIfAborted();
    const entry = options.force ? undefined : await this.#store.getEntry<T>(this.#namespace, key);
    if (entry) {
      const answer = this.answerFromEntry(key, entry, load);
      if (answer.served) return answer.value;
      // Past freshness and past stale-while-revalidate: load, keeping the copy for serve-stale-on-error.
      this.#stats.misses++;
      return raceSignal(this.join(key, load, options, entry), options.signal);
    }
    if (
      !options.force &&
      this.policy.negativeTtl !== undefined &&
      (await this.#store.has(this.#absent, key))
    ) {
      this.#stats.negativeHits++;
      throw new EntryNotFound(`'${key}' does not exist (remembered)`, { key, resource: this.#namespace });
    }
    this.#stats.misses++;
    return raceSignal(this.join(key, load, options, entry), options.signal);
  }

  /** Decides whether a cached entry answers the call, and starts a background refresh when it should. */
  private answerFromEntry(
    key: string,
    entry: StoredEntry<T>,
    load: KeyLoader<T>,
  ): { served: boolean; value: T } {
    const now = this.#clock.now();
    const expiresAt = entry.expiresAt ?? Number.POSITIVE_INFINITY;
    const freshUntil = expiresAt - this.staleWindows;
    if (now < freshUntil) {
      this.#stats.hits++;
      if (this.policy.refreshThreshold > 0 && freshUntil - now <= this.policy.refreshThreshold) {
        this.refreshInBackground(key, load);
      }
      return { served: true, value: entry.value };
    }
    if (now < freshUntil + this.policy.staleWhileRevalidate) {
      // In the stale-while-revalidate window: serve the copy, refresh once in the background.
      this.#stats.staleServed++;
      this.refreshInBackground(key, load);
      return { served: true, value: entry.value };
    }
    return { served: false, value: entry.value };
  }

  private refreshInBackground(key: string, load: KeyLoader<T>): void {
    if (this.#flights.has(key)) return;
    this.join(key, load, {}, undefined).catch((error: unknown) => this.#onBackgroundError?.(error, key));
  }

  /** Joins the load in flight for this key, or starts one. */
  private join(
    key: string,
    load: KeyLoader<T>,
    options: FetchCallOptions,
    stale: StoredEntry<T> | undefined,
  ): Promise<T> {
    const inFlight = this.#flights.get(key);
    if (inFlight) {
      this.#stats.coalesced++;
      return inFlight;
    }
    const timeout =
      options.timeout === undefined ? this.policy.timeout : parseDuration(options.timeout, 'timeout');
    const flight = this.loadOnce(key, load, timeout, stale).finally(() => this.#flights.delete(key));
    this.#flights.set(key, flight);
    return flight;
  }

  private async loadOnce(
    key: string,
    load: KeyLoader<T>,
    timeout: number,
    stale: StoredEntry<T> | undefined,
  ): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new LoadTimeout(timeout)), timeout);
    const lock = this.policy.crossProcess ? this.#store.locks : undefined;
    const lockName = `${this.#namespace}:${key}`;
    let token: string | undefined;
    try {
      if (lock && this.policy.crossProcess) {
        const { lockTtl, pollInterval } = this.policy.crossProcess;
        for (;;) {
          token = await lock.acquire(lockName, Math.max(lockTtl, timeout));
          if (token !== undefined) break;
          // Another process holds the lock: wait for its result instead of calling the API too.
          await delay(pollInterval, controller.signal).catch(() => {
            throw new LoaderError(`waiting for another process to load '${key}' timed out`, {
              key,
              resource: this.#namespace,
              cause: controller.signal.reason,
            });
          });
          const landed = await this.#store.getEntry<T>(this.#namespace, key);
          if (landed && (!stale || landed.expiresAt !== stale.expiresAt)) return landed.value;
          if (this.policy.negativeTtl !== undefined && (await this.#store.has(this.#absent, key))) {
            throw new EntryNotFound(`'${key}' does not exist`, { key, resource: this.#namespace });
          }
        }
      }
      if (token !== undefined) {
        // The lock's previous holder may have finished between our miss and our acquire.
        const landed = await this.#store.getEntry<T>(this.#namespace, key);
        if (landed && (!stale || landed.expiresAt !== stale.expiresAt)) return landed.value;
      }
      return await this.callLoader(key, load, controller.signal, timeout, stale);
    } finally {
      clearTimeout(timer);
      if (lock && token !== undefined) await lock.release(lockName, token).catch(() => undefined);
    }
  }

  private async callLoader(
    key: string,
    load: KeyLoader<T>,
    signal: AbortSignal,
    timeout: number,
    stale: StoredEntry<T> | undefined,
  ): Promise<T> {
    this.#stats.loads++;
    let value: T | undefined;
    try {
      // The race makes a loader that ignores its signal still time out for the callers.
      value = await raceSignal(load({ signal }), signal);
    } catch (error) {
      if (!isNotFound(error)) {
        this.#stats.loadErrors++;
        if (stale && this.policy.staleIfError > 0) {
          this.#stats.staleServed++;
          return stale.value;
        }
        const why = error instanceof LoadTimeout ? `timed out after ${timeout} ms` : 'failed';
        throw new LoaderError(`loading '${key}' into ${this.#namespace} ${why}`, {
          key,
          resource: this.#namespace,
          cause: error,
        });
      }
    }
    if (value === undefined) {
      // The source says it is gone: a stale copy must not outlive that answer.
      if (stale) await this.#remove(key);
      if (this.policy.negativeTtl !== undefined) {
        await this.#store.set(this.#absent, key, true, { ttl: this.policy.negativeTtl });
      }
      throw new EntryNotFound(`'${key}' does not exist`, { key, resource: this.#namespace });
    }
    await this.#write(key, value, this.writeTtl());
    return value;
  }

  /** Forgets a key: its value and any remembered absence. */
  async invalidate(key: string): Promise<void> {
    await this.#store.batch([
      { type: 'delete', ns: this.#namespace, key },
      { type: 'delete', ns: this.#absent, key },
    ]);
  }
}
