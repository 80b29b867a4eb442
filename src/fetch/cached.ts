import { createHash } from 'node:crypto';
import { EntryNotFound } from '../errors/index.js';
import { MemoryStore } from '../store/memory/memory-store.js';
import type { Store } from '../store/types.js';
import { type Duration, parseDuration } from '../util/duration.js';
import { assertNamespace, assertPositiveInteger } from '../util/validate.js';
import type { FetchPolicy } from './fetch-policy.js';
import type { FetchStats } from './fetch-stats.js';
import { type FetchCallOptions, Fetcher } from './fetcher.js';

/** Options of {@link cached}: where results live, how many, how long, and how calls are keyed. */
export interface CachedOptions<A extends unknown[]> extends Omit<FetchPolicy, 'ttl'> {
  /** The group (a store namespace) the results live in, e.g. 'roles'. Default: the function's name. */
  readonly group?: string;
  /** The store. Default: one MemoryStore shared by every `cached()` call without a store. */
  readonly store?: Store;
  /** Most results kept in the group (least recently used go first). Default: the group's current limit. */
  readonly max?: number;
  /** How long a result stays fresh. Default: the group's TTL, else forever. */
  readonly ttl?: Duration;
  /** Builds the cache key from the arguments. Default: their JSON (hashed when long). */
  readonly key?: (...args: A) => string;
}

/** A function wrapped by {@link cached}: same arguments, answers from the cache, loads once per key. */
export interface CachedFunction<A extends unknown[], R> {
  (...args: A): Promise<R>;
  /** Forgets the cached result of these arguments. */
  invalidate(...args: A): Promise<void>;
  /** Like calling it, with a signal, a timeout or `force` for this call. */
  call(options: FetchCallOptions, ...args: A): Promise<R>;
  /** This process's counters for the wrapped function. */
  stats(): FetchStats;
  /** The group (namespace) its results live in. */
  readonly group: string;
}

let sharedStore: MemoryStore | undefined;

function defaultStore(): MemoryStore {
  if (!sharedStore) sharedStore = new MemoryStore();
  return sharedStore;
}
const MAX_PLAIN_KEY = 200;

function defaultKey(args: readonly unknown[]): string {
  let json: string;
  try {
    json = JSON.stringify(args);
  } catch (cause) {
    throw new TypeError(
      'the arguments of a cached() function must be JSON-serialisable, or give a `key` option',
      {
        cause,
      },
    );
  }
  if (json === '[]') return '()';
  // Long argument lists would make long store keys: a digest keeps keys short and still distinct.
  return json.length <= MAX_PLAIN_KEY ? json : `sha256:${createHash('sha256').update(json).digest('hex')}`;
}

/**
 * Wraps any async function (an SDK call such as `clan.listRoles()`) in cache-aside loading: results are
 * kept per arguments in a bounded group with a TTL, concurrent calls with the same arguments share one
 * call, `undefined` results are remembered briefly (negative TTL), and falsy results are values, not misses.
 *
 * @example
 * const listRoles = cached((clanId: string) => client.clans.fetch(clanId).then((c) => c.listRoles()),
 *   { group: 'roles', max: 1024, ttl: '5m' });
 * await listRoles('1840651530236071936');
 */
export function cached<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
  options: CachedOptions<A> = {},
): CachedFunction<A, R> {
  if (typeof fn !== 'function') throw new TypeError(`cached() needs a function (got ${typeof fn})`);
  const group = options.group ?? (fn.name ? fn.name.replace(/[^A-Za-z0-9_.-]/g, '_') : 'cached');
  assertNamespace(group, 'group');
  if (options.max !== undefined) assertPositiveInteger(options.max, 'max');
  if (options.key !== undefined && typeof options.key !== 'function')
    throw new TypeError('key must be a function');
  const ttl = options.ttl === undefined ? undefined : parseDuration(options.ttl, 'ttl');
  const store = options.store ?? defaultStore();
  if (options.max !== undefined || ttl !== undefined) {
    store.configure(group, {
      ...store.limitsOf(group),
      ...(options.max !== undefined && { max: options.max }),
      ...(ttl !== undefined && { ttl }),
    });
  }
  const { group: _g, store: _s, max: _m, key: keyOf, ...policy } = options;
  const fetcher = new Fetcher<R>({ store, namespace: group, policy: { ...policy, ttl: options.ttl } });
  const toKey = (args: A): string => (keyOf ? keyOf(...args) : defaultKey(args));

  const call = async (callOptions: FetchCallOptions, ...args: A): Promise<R> => {
    try {
      return await fetcher.fetch(toKey(args), async () => fn(...args), callOptions);
    } catch (error) {
      // The wrapped function said "nothing" (undefined): answer that, as it did.
      if (error instanceof EntryNotFound) return undefined as R;
      throw error;
    }
  };
  const wrapped = ((...args: A) => call({}, ...args)) as CachedFunction<A, R>;
  Object.defineProperties(wrapped, {
    call: { value: call },
    invalidate: { value: (...args: A) => fetcher.invalidate(toKey(args)) },
    stats: { value: () => fetcher.stats() },
    group: { value: group, enumerable: true },
  });
  return wrapped;
}
