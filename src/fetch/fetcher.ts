import { EntryNotFound } from '../errors/index.js';
import { limitsInMs } from '../store/base-store.js';
import type { LockProvider, Store, StoredEntry } from '../store/types.js';
import { type Duration, parseDuration } from '../util/duration.js';
import { delay, raceSignal } from './abort.js';
import { LoaderError, LoadTimeout } from './errors.js';
import { type FetchPolicy, type ResolvedFetchPolicy, resolveFetchPolicy } from './fetch-policy.js';
import { emptyFetchStats, type FetchStats } from './fetch-stats.js';
import { Flight } from './flight.js';
import { type LoadWatch, type LoadWatchers, loadWatchersOf } from './load-watch.js';
import { isNotFound, type LoadContext } from './loader.js';
import { startTimeout } from './long-timeout.js';

/** Loads the value of one key; resolves undefined when the source says it does not exist. */
export type KeyLoader<T> = (context: LoadContext) => Promise<T | undefined>;

/**
 * Writes a loaded value into the cache (with its relations); `ttl` in ms, Infinity for never. It must not
 * write when `watch.changed` is true just before the write (a write or delete of the key started while
 * the load ran: events win over loads); it resolves whether it wrote.
 */
export type LoadedWriter<T> = (key: string, value: T, ttl: number, watch: LoadWatch) => Promise<boolean>;

/** Per-call options of {@link Fetcher.fetch}. */
export interface FetchCallOptions {
  /** Stop waiting when this signal aborts (the shared load goes on while other callers wait). */
  readonly signal?: AbortSignal;
  /** Longest this caller waits; overrides the policy's timeout for this caller only. `Infinity`: no limit. */
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
  /**
   * Checks what a loader resolved before anything is written: returns the value to keep, `undefined` for
   * "does not exist", or throws (a TypeError) for a value that cannot be cached; the callers then get a
   * LoaderError with it as `cause`. Default: every value is kept.
   */
  readonly accept?: (value: T) => T | undefined;
  /** The clock staleness is judged by (epoch ms). Default `Date`. */
  readonly clock?: { now(): number };
  /** Where a failed background refresh is reported. Default: nowhere (the stale value keeps being served). */
  readonly onBackgroundError?: (error: unknown, key: string) => void;
  /** Told of every loader call when it settles (for metrics and load-error events). */
  readonly onLoad?: (report: LoadReport) => void;
}

/** One loader call, as {@link FetcherOptions.onLoad} is told of it. */
export interface LoadReport {
  readonly key: string;
  /** From the call to its answer. */
  readonly seconds: number;
  /** `value`: it answered; `absent`: "does not exist"; `error`: it failed (or timed out, or was refused). */
  readonly outcome: 'value' | 'absent' | 'error';
  readonly error?: unknown;
}

/** The namespace where "does not exist" answers are remembered, beside the values' own. */
export function absentNamespace(namespace: string): string {
  return `${namespace}.absent`;
}

/** Did another writer change the entry since `seen` was read? Expiry is not a change. */
function differs<T>(now: StoredEntry<T> | undefined, seen: StoredEntry<T> | undefined): boolean {
  if (!now) return false;
  if (!seen) return true;
  if (now.expiresAt !== seen.expiresAt) return true;
  return now.value !== seen.value && JSON.stringify(now.value) !== JSON.stringify(seen.value);
}

/** What a load started from: the entry the caller saw (undefined on a miss). */
interface LoadStart<T> {
  readonly seen: StoredEntry<T> | undefined;
  /** True when the caller did not read the entry (force) or writes landed since it did: look again. */
  readonly recheck: boolean;
  readonly force: boolean;
}

/**
 * Cache-aside loading for one namespace: answers from the store, else loads once for every concurrent
 * caller (single-flight, optionally across processes), remembers absences briefly, and serves stale
 * copies while refreshing in the background when the policy says so.
 *
 * Events win over loads: a write or delete of a key that starts while its load runs (in this process, or
 * seen in a shared store before the load writes) wins; the load's older answer is not written.
 */
export class Fetcher<T> {
  readonly policy: ResolvedFetchPolicy;
  readonly #stats = emptyFetchStats();
  readonly #flights = new Map<string, Flight<T>>();
  /** Reads of a key that missed and have not decided yet, and the loads that settled meanwhile. */
  readonly #readers = new Map<string, { count: number; settled?: { seq: number; flight: Flight<T> } }>();
  #seq = 0;
  /** Keys whose refresh failed: no new load before this time (epoch ms). */
  readonly #retryAt = new Map<string, number>();
  readonly #store: Store;
  readonly #watchers: LoadWatchers;
  readonly #namespace: string;
  readonly #absent: string;
  readonly #write: LoadedWriter<T>;
  readonly #remove: (key: string) => Promise<unknown>;
  readonly #accept: ((value: T) => T | undefined) | undefined;
  readonly #clock: { now(): number };
  readonly #onBackgroundError: ((error: unknown, key: string) => void) | undefined;
  readonly #onLoad: ((report: LoadReport) => void) | undefined;

  constructor(options: FetcherOptions<T>) {
    this.policy = resolveFetchPolicy(options.policy);
    this.#store = options.store;
    this.#watchers = loadWatchersOf(options.store);
    this.#namespace = options.namespace;
    this.#absent = absentNamespace(options.namespace);
    if (this.policy.negativeTtl !== undefined) this.#watchers.trackAbsences(this.#namespace, this.#absent);
    this.#clock = options.clock ?? Date;
    this.#onBackgroundError = options.onBackgroundError;
    this.#onLoad = options.onLoad;
    this.#accept = options.accept;
    this.#write =
      options.write ??
      (async (key, value, ttl, watch) => {
        if (watch.changed) return false;
        await this.#store.set(this.#namespace, key, value, { ttl });
        return true;
      });
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
    const fresh =
      this.policy.ttl ?? limitsInMs(this.#store.limitsOf(this.#namespace)).ttl ?? Number.POSITIVE_INFINITY;
    return fresh + this.staleWindows;
  }

  /** Only stores shared by several processes can change under a load without this process noting it. */
  private get shared(): boolean {
    return this.#store.locks !== undefined;
  }

  /**
   * The cached value, or the loaded one. Rejects with EntryNotFound when the source says the entry
   * does not exist (and remembers that for the negative TTL), with LoaderError when the load fails or
   * this caller's timeout passes.
   */
  async fetch(key: string, load: KeyLoader<T>, options: FetchCallOptions = {}): Promise<T> {
    if (typeof load !== 'function') throw new TypeError(`loader must be a function (got ${typeof load})`);
    options.signal?.throwIfAborted();
    const timeout =
      options.timeout === undefined ? this.policy.timeout : parseDuration(options.timeout, 'timeout');
    const epoch = this.#watchers.epochOf(this.#namespace);
    const seq = this.#beginRead(key);
    try {
      const entry = options.force ? undefined : await this.#store.getEntry<T>(this.#namespace, key);
      if (entry) {
        const answer = this.answerFromEntry(key, entry, load);
        if (answer.served) return answer.value;
      } else if (
        !options.force &&
        this.policy.negativeTtl !== undefined &&
        (await this.#store.has(this.#absent, key))
      ) {
        this.#stats.negativeHits++;
        throw new EntryNotFound(`'${key}' does not exist (remembered)`, { key, resource: this.#namespace });
      }
      // A caller that gave up while the cache was read does not start (or join) a load.
      options.signal?.throwIfAborted();
      this.#stats.misses++;
      const start: LoadStart<T> = {
        seen: entry,
        recheck: options.force === true || this.#watchers.epochOf(this.#namespace) !== epoch,
        force: options.force === true,
      };
      const flight = this.#joinOrStart(key, load, start, seq, options.force === true);
      return await flight.wait(timeout, options.signal, () => this.#timedOut(key, timeout));
    } finally {
      this.#endRead(key);
    }
  }

  #timedOut(key: string, timeout: number): LoaderError {
    return new LoaderError(`loading '${key}' into ${this.#namespace} timed out after ${timeout} ms`, {
      key,
      resource: this.#namespace,
      cause: new LoadTimeout(timeout),
    });
  }

  #beginRead(key: string): number {
    const reader = this.#readers.get(key);
    if (reader) reader.count++;
    else this.#readers.set(key, { count: 1 });
    return ++this.#seq;
  }

  #endRead(key: string): void {
    const reader = this.#readers.get(key);
    if (reader && --reader.count === 0) this.#readers.delete(key);
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
        this.refreshInBackground(key, load, entry, now);
      }
      return { served: true, value: entry.value };
    }
    if (now < freshUntil + this.policy.staleWhileRevalidate) {
      // In the stale-while-revalidate window: serve the copy, refresh once in the background.
      this.#stats.staleServed++;
      this.refreshInBackground(key, load, entry, now);
      return { served: true, value: entry.value };
    }
    if (this.policy.staleIfError > 0 && this.#backingOff(key, now)) {
      // The last reload failed a moment ago: the source is not asked again before the retry delay.
      this.#stats.staleServed++;
      return { served: true, value: entry.value };
    }
    return { served: false, value: entry.value };
  }

  #backingOff(key: string, now: number): boolean {
    const retryAt = this.#retryAt.get(key);
    if (retryAt === undefined) return false;
    if (now < retryAt) return true;
    this.#retryAt.delete(key);
    return false;
  }

  private refreshInBackground(key: string, load: KeyLoader<T>, entry: StoredEntry<T>, now: number): void {
    if (this.#flights.has(key) || this.#backingOff(key, now)) return;
    const flight = this.#start(key, load, { seen: entry, recheck: false, force: false });
    flight
      .wait(this.policy.timeout, undefined, () => this.#timedOut(key, this.policy.timeout))
      .catch((error: unknown) => this.#onBackgroundError?.(error, key));
  }

  /**
   * The load this caller shares: the one in flight, else one that settled after this caller's read
   * began (its answer is at least as new as what the read missed), else a new one.
   */
  #joinOrStart(key: string, load: KeyLoader<T>, start: LoadStart<T>, seq: number, force: boolean): Flight<T> {
    const inFlight = this.#flights.get(key);
    if (inFlight) {
      this.#stats.coalesced++;
      return inFlight;
    }
    const settled = this.#readers.get(key)?.settled;
    if (!force && settled && settled.seq > seq) {
      this.#stats.coalesced++;
      return settled.flight;
    }
    return this.#start(key, load, start);
  }

  #start(key: string, load: KeyLoader<T>, start: LoadStart<T>): Flight<T> {
    // Watching starts before the first await, so no write of the key can slip between look and load.
    const watch = this.#watchers.watch(this.#namespace, key);
    const flight: Flight<T> = new Flight<T>(
      (signal) =>
        this.loadOnce(key, load, start, watch, signal).finally(() => {
          watch.end();
          if (this.#flights.get(key) === flight) this.#flights.delete(key);
          const reader = this.#readers.get(key);
          if (reader && !flight.abandoned) reader.settled = { seq: ++this.#seq, flight };
        }),
      () => {
        if (this.#flights.get(key) === flight) this.#flights.delete(key);
      },
    );
    this.#flights.set(key, flight);
    return flight;
  }

  private async loadOnce(
    key: string,
    load: KeyLoader<T>,
    start: LoadStart<T>,
    watch: LoadWatch,
    signal: AbortSignal,
  ): Promise<T> {
    let seen = start.seen;
    if (start.recheck) {
      // Writes landed between the caller's look and the load's start, or the caller did not look (force).
      const now = await this.#store.getEntry<T>(this.#namespace, key);
      if (!start.force && now && differs(now, seen)) return now.value;
      seen = now;
    }
    const cross = this.policy.crossProcess;
    const locks = cross ? this.#store.locks : undefined;
    if (!cross || !locks) return this.callLoader(key, load, signal, seen, watch);
    const lockName = `${this.#namespace}:${key}`;
    let token: string | undefined;
    for (;;) {
      token = await locks.acquire(lockName, cross.lockTtl);
      if (token !== undefined) break;
      // Another process holds the lock: wait for its result instead of calling the API too.
      await delay(cross.pollInterval, signal);
      const landed = await this.#store.getEntry<T>(this.#namespace, key);
      if (differs(landed, seen)) return (landed as StoredEntry<T>).value;
      if (
        !start.force &&
        this.policy.negativeTtl !== undefined &&
        (await this.#store.has(this.#absent, key))
      ) {
        throw new EntryNotFound(`'${key}' does not exist`, { key, resource: this.#namespace });
      }
    }
    const stopRenewing = this.#keepLock(locks, lockName, token, cross.lockTtl);
    try {
      // The lock's previous holder may have finished between our look and our acquire.
      const landed = await this.#store.getEntry<T>(this.#namespace, key);
      if (differs(landed, seen)) return (landed as StoredEntry<T>).value;
      return await this.callLoader(key, load, signal, seen, watch);
    } finally {
      stopRenewing();
      await locks.release(lockName, token).catch(() => undefined);
    }
  }

  /** Renews a held lock every third of its ttl, so only a dead holder's lock ever expires. */
  #keepLock(locks: LockProvider, name: string, token: string, ttl: number): () => void {
    if (!locks.extend) return () => {};
    const extend = locks.extend.bind(locks);
    let stop = (): void => {};
    let stopped = false;
    const renew = (): void => {
      stop = startTimeout(
        Math.max(1, Math.floor(ttl / 3)),
        () => {
          if (stopped) return;
          extend(name, token, ttl).then(
            (held) => {
              if (held && !stopped) renew();
            },
            () => {
              if (!stopped) renew();
            },
          );
        },
        true,
      );
    };
    renew();
    return () => {
      stopped = true;
      stop();
    };
  }

  /**
   * Did a write or delete of the key win over this load? In this process the watch knows; on a store
   * shared by several processes the entry is looked at again.
   */
  async #overtaken(
    key: string,
    watch: LoadWatch,
    seen: StoredEntry<T> | undefined,
  ): Promise<{ overtaken: boolean; current: StoredEntry<T> | undefined }> {
    if (!watch.changed && !this.shared) return { overtaken: false, current: undefined };
    const current = await this.#store.getEntry<T>(this.#namespace, key);
    if (watch.changed) return { overtaken: true, current };
    if (differs(current, seen)) return { overtaken: true, current };
    // A copy that vanished before its expiry was deleted (by another process) while we loaded.
    const expired = seen?.expiresAt !== undefined && seen.expiresAt <= this.#clock.now();
    return { overtaken: seen !== undefined && !current && !expired, current };
  }

  private async callLoader(
    key: string,
    load: KeyLoader<T>,
    signal: AbortSignal,
    seen: StoredEntry<T> | undefined,
    watch: LoadWatch,
  ): Promise<T> {
    this.#stats.loads++;
    const started = this.#onLoad ? performance.now() : 0;
    let value: T | undefined;
    try {
      // The race makes a loader that ignores its signal still stop when nobody waits for it any more.
      value = await raceSignal(load({ signal }), signal);
      if (value !== undefined && this.#accept) value = this.#accept(value);
    } catch (error) {
      if (!isNotFound(error)) {
        this.#onLoad?.({ key, seconds: (performance.now() - started) / 1000, outcome: 'error', error });
        return this.#failed(key, error, seen);
      }
      value = undefined;
    }
    this.#onLoad?.({
      key,
      seconds: (performance.now() - started) / 1000,
      outcome: value === undefined ? 'absent' : 'value',
    });
    this.#retryAt.delete(key);
    if (value === undefined) {
      const race = await this.#overtaken(key, watch, seen);
      if (race.overtaken) {
        // A write during the load is newer than the source's "gone": it stays; a delete agrees with it.
        if (race.current) return race.current.value;
      } else {
        // The source says it is gone: a cached copy must not outlive that answer.
        if (seen) await this.#remove(key);
        if (this.policy.negativeTtl !== undefined) {
          await this.#store.set(this.#absent, key, true, { ttl: this.policy.negativeTtl });
        }
      }
      throw new EntryNotFound(`'${key}' does not exist`, { key, resource: this.#namespace });
    }
    const race = this.shared ? await this.#overtaken(key, watch, seen) : undefined;
    if (race?.overtaken) return race.current?.value ?? value;
    const written = await this.#write(key, value, this.writeTtl(), watch);
    if (written === false) {
      // Overtaken in this process at the last moment: the cache's newer entry is the answer.
      const current = await this.#store.getEntry<T>(this.#namespace, key);
      return current?.value ?? value;
    }
    return value;
  }

  /** A load failed: serve the stale copy if the policy allows, and do not ask again before the retry delay. */
  #failed(key: string, error: unknown, seen: StoredEntry<T> | undefined): T {
    this.#stats.loadErrors++;
    if (seen) this.#retryAt.set(key, this.#clock.now() + this.policy.retryAfterError);
    if (seen && this.policy.staleIfError > 0) {
      this.#stats.staleServed++;
      return seen.value;
    }
    if (error instanceof LoaderError) throw error;
    throw new LoaderError(`loading '${key}' into ${this.#namespace} failed`, {
      key,
      resource: this.#namespace,
      cause: error,
    });
  }

  /** Forgets a key: its value and any remembered absence. A load of the key in flight does not write. */
  async invalidate(key: string): Promise<void> {
    const ops = [
      { type: 'delete', ns: this.#namespace, key },
      { type: 'delete', ns: this.#absent, key },
    ] as const;
    this.#watchers.noteBatch(ops);
    await this.#store.batch(ops);
  }
}
