import { EntryNotFound } from '../errors/index.js';
import { MemoryStore } from '../store/memory/memory-store.js';
import type { Store } from '../store/types.js';
import { type Duration, parseDuration } from '../util/duration.js';
import { frozenJsonCopy } from '../util/json-value.js';
import { assertNamespace, assertPositiveInteger } from '../util/validate.js';
import { argumentsKey } from './cached-key.js';
import { LoaderError } from './errors.js';
import type { FetchPolicy } from './fetch-policy.js';
import type { FetchStats } from './fetch-stats.js';
import { type FetchCallOptions, Fetcher } from './fetcher.js';

/** Options of {@link cached}: where results live, how many, how long, and how calls are keyed. */
export interface CachedOptions<A extends unknown[]> extends Omit<FetchPolicy, 'ttl'> {
  /**
   * The group (a store namespace) the results live in, e.g. 'roles'. Functions given the same group share
   * its entries on purpose (a call of one answers the same arguments of the other). Default: a group of
   * the function's own, named after it (`getUser`; a second function of that name gets `getUser.2`,
   * an unnamed one `cached`, `cached.2`, ...). Give a group when several processes must share results.
   */
  readonly group?: string;
  /** The store. Default: one MemoryStore shared by every `cached()` call without a store. */
  readonly store?: Store;
  /** Most results kept in the group (least recently used go first). Default: the group's current limit. */
  readonly max?: number;
  /** How long a result stays fresh. Default: the group's TTL, else forever. */
  readonly ttl?: Duration;
  /**
   * Builds the cache key from the arguments. Default: a faithful key of the arguments (see the docs:
   * null, undefined, NaN, Maps and Sets are told apart, object keys are sorted; class instances are refused).
   */
  readonly key?: (...args: A) => string;
  /** Where a failed background refresh is reported. Default: nowhere (`stats().loadErrors` counts it). */
  readonly onBackgroundError?: (error: unknown, key: string) => void;
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

/** The functions that took a default group on each store, so two functions never share one by accident. */
const defaultGroups = new WeakMap<Store, Map<string, unknown>>();

function defaultGroupFor(store: Store, fn: unknown, name: string): string {
  let taken = defaultGroups.get(store);
  if (!taken) {
    taken = new Map();
    defaultGroups.set(store, taken);
  }
  const base = (name.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[.-]+/, '') || 'cached').slice(0, 56);
  for (let n = 1; ; n++) {
    const group = n === 1 ? base : `${base}.${n}`;
    const owner = taken.get(group);
    if (owner === undefined || owner === fn) {
      taken.set(group, fn);
      return group;
    }
  }
}

/** A result that is not JSON-compatible: refused on every call, before anything is kept. */
class ResultNotCacheable extends TypeError {}

/** Every answer is a deep-frozen JSON value, the first one as much as the cached ones. */
function frozenAnswer<R>(value: R): R {
  return typeof value === 'object' && value !== null && !Object.isFrozen(value)
    ? frozenJsonCopy(value, 'result')
    : value;
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
  const store = options.store ?? defaultStore();
  if (options.group !== undefined) assertNamespace(options.group, 'group');
  const group = options.group ?? defaultGroupFor(store, fn, fn.name);
  if (options.max !== undefined) assertPositiveInteger(options.max, 'max');
  if (options.key !== undefined && typeof options.key !== 'function')
    throw new TypeError('key must be a function');
  const ttl = options.ttl === undefined ? undefined : parseDuration(options.ttl, 'ttl');
  if (options.max !== undefined || ttl !== undefined) {
    store.configure(group, {
      ...store.limitsOf(group),
      ...(options.max !== undefined && { max: options.max }),
      ...(ttl !== undefined && { ttl }),
    });
  }
  const { group: _g, store: _s, max: _m, key: keyOf, onBackgroundError, ...policy } = options;
  const fetcher = new Fetcher<R>({
    store,
    namespace: group,
    policy: { ...policy, ttl: options.ttl },
    // Results are stored as JSON on every store: a result that is not JSON is refused before it is kept.
    accept: (value) => {
      try {
        return frozenJsonCopy(value, 'the result');
      } catch (cause) {
        throw new ResultNotCacheable(
          `${(cause as Error).message}. cached() keeps results as JSON on every store: return plain data (a Date as its toISOString(), a Map as an object or entries)`,
          { cause },
        );
      }
    },
    ...(onBackgroundError && { onBackgroundError }),
  });
  const toKey = (args: A): string => {
    if (!keyOf) return argumentsKey(args);
    const key = keyOf(...args);
    if (typeof key !== 'string') throw new TypeError(`key() must return a string (got ${typeof key})`);
    return key;
  };

  const call = async (callOptions: FetchCallOptions, ...args: A): Promise<R> => {
    try {
      return frozenAnswer(await fetcher.fetch(toKey(args), async () => fn(...args), callOptions));
    } catch (error) {
      // The wrapped function said "nothing" (undefined): answer that, as it did.
      if (error instanceof EntryNotFound) return undefined as R;
      // A result that cannot be stored is the caller's to fix: say so plainly, not as a failed load.
      if (error instanceof LoaderError && error.cause instanceof ResultNotCacheable) throw error.cause;
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
