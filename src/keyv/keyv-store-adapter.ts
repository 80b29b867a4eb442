import { EventEmitter } from 'node:events';
import type { KeyvStoreAdapter as KeyvAdapterContract } from 'keyv';
import type { Store } from '../store/types.js';
import { assertNamespace } from '../util/validate.js';

/** Options of {@link toKeyvStore}. */
export interface KeyvAdapterOptions {
  /** The botcache namespace that holds the Keyv entries. Default `'keyv'`. */
  readonly namespace?: string;
  /** Close the botcache store when Keyv's `disconnect()` is called. Default false: the store may be shared. */
  readonly closeStoreOnDisconnect?: boolean;
}

/**
 * What Keyv reads in `opts`. Keyv 5 wires `keyv.iterator()` only for adapters whose `dialect` it lists
 * (sqlite, redis, …); the adapter declares `'redis'`, the family whose iterator contract it follows:
 * `iterator(namespace)` yields `[prefixedKey, rawValue]` pairs of that namespace only.
 */
export interface KeyvAdapterOpts {
  dialect: 'redis';
  url: string;
  /** The botcache namespace holding the entries. */
  namespace: string;
  /** Keyv's test suite and some tools write extra fields here. */
  [field: string]: unknown;
}

/** One Keyv `setMany` entry. */
export interface KeyvSetEntry {
  key: string;
  value: unknown;
  ttl?: number;
}

/**
 * Any botcache store used as a Keyv 5 store: `new Keyv({ store: toKeyvStore(store) })`, or as a
 * cache-manager store through Keyv. Keyv keeps its own envelope (`{ value, expires }`, serialized to a
 * string by default); the adapter stores that string in one botcache namespace under Keyv's prefixed key
 * (`keyv:foo`), with the TTL Keyv gives, so the botcache store expires it too.
 *
 * Failures reject (Keyv turns them into its own 'error' event, or throws with `throwOnErrors`) and are
 * also emitted as 'error' on the adapter, because Keyv swallows `get` failures silently otherwise.
 */
export class KeyvStoreAdapter extends EventEmitter implements KeyvAdapterContract {
  readonly opts: KeyvAdapterOpts;
  /** Set by Keyv: its namespace, which it also puts in front of every key as `namespace:`. */
  namespace: string | undefined;
  /** The botcache store underneath. */
  readonly store: Store;
  readonly #ns: string;
  readonly #closeStoreOnDisconnect: boolean;

  constructor(store: Store, options: KeyvAdapterOptions = {}) {
    super();
    if (typeof store !== 'object' || store === null || typeof store.get !== 'function') {
      throw new TypeError('store must be a botcache Store');
    }
    const ns = options.namespace ?? 'keyv';
    assertNamespace(ns, 'options.namespace');
    this.store = store;
    this.#ns = ns;
    this.#closeStoreOnDisconnect = options.closeStoreOnDisconnect === true;
    this.opts = { dialect: 'redis', url: `botcache://${store.kind}/${ns}`, namespace: ns };
  }

  /** Runs a store call; a failure is emitted as 'error' (when someone listens) and rejects. */
  async #call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (this.listenerCount('error') > 0) this.emit('error', error);
      throw error;
    }
  }

  /** Keyv gives the TTL in milliseconds; 0 or none means "never expires". */
  #setOptions(ttl: number | undefined): { ttl?: number; expiresAt?: number } | undefined {
    if (typeof ttl !== 'number' || ttl === 0 || Number.isNaN(ttl)) return undefined;
    // A negative TTL is a deadline already past: the store deletes the entry instead of writing it.
    return ttl > 0 ? { ttl } : { expiresAt: 0 };
  }

  get<Value>(key: string): Promise<Value | undefined> {
    return this.#call(() => this.store.get<Value>(this.#ns, key));
  }

  getMany<Value>(keys: string[]): Promise<(Value | undefined)[]> {
    // Dense on purpose: Keyv walks the result with for...in, which skips the holes of a sparse array.
    return this.#call(async () => Array.from(await this.store.getMany<Value>(this.#ns, keys)));
  }

  set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    return this.#call(async () => {
      await this.store.set(this.#ns, key, value, this.#setOptions(ttl));
      return true;
    });
  }

  /** Writes every entry in one store call (one transaction or pipeline where the store has them). */
  setMany(entries: KeyvSetEntry[]): Promise<void> {
    return this.#call(() =>
      this.store.setMany(
        this.#ns,
        entries.map(({ key, value, ttl }) => [key, value, this.#setOptions(ttl)] as const),
      ),
    );
  }

  delete(key: string): Promise<boolean> {
    return this.#call(() => this.store.delete(this.#ns, key));
  }

  /** Resolves to true when at least one of the keys existed. */
  deleteMany(keys: string[]): Promise<boolean> {
    return this.#call(async () => (await this.store.deleteMany(this.#ns, keys)) > 0);
  }

  has(key: string): Promise<boolean> {
    return this.#call(() => this.store.has(this.#ns, key));
  }

  hasMany(keys: string[]): Promise<boolean[]> {
    return this.#call(() => Promise.all(keys.map((key) => this.store.has(this.#ns, key))));
  }

  /** Clears Keyv's namespace only (its `namespace:` keys), or the whole botcache namespace without one. */
  clear(): Promise<void> {
    return this.#call(async () => {
      if (!this.namespace) return this.store.clear(this.#ns);
      const prefix = `${this.namespace}:`;
      const doomed: string[] = [];
      // Collect first, delete after: deleting while the store iterates could skip keys.
      for await (const key of this.store.keys(this.#ns)) if (key.startsWith(prefix)) doomed.push(key);
      for (let i = 0; i < doomed.length; i += 1000) {
        await this.store.deleteMany(this.#ns, doomed.slice(i, i + 1000));
      }
    });
  }

  /** Yields `[key, raw value]` of one Keyv namespace (all entries without one), as Keyv expects. */
  async *iterator<Value>(namespace?: string): AsyncGenerator<[string, Value], void> {
    const prefix = namespace ? `${namespace}:` : '';
    try {
      for await (const [key, value] of this.store.entries<Value>(this.#ns)) {
        if (key.startsWith(prefix)) yield [key, value];
      }
    } catch (error) {
      if (this.listenerCount('error') > 0) this.emit('error', error);
      throw error;
    }
  }

  async disconnect(): Promise<void> {
    if (this.#closeStoreOnDisconnect) await this.#call(() => this.store.close());
  }
}

/** Any botcache store as a Keyv 5 store: `new Keyv({ store: toKeyvStore(store, { namespace: 'sessions' }) })`. */
export function toKeyvStore(store: Store, options: KeyvAdapterOptions = {}): KeyvStoreAdapter {
  return new KeyvStoreAdapter(store, options);
}
