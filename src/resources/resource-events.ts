import { EventEmitter } from 'node:events';
import type { LoadReport } from '../fetch/fetcher.js';
import type { IndexLink, Store, StoreEventMap } from '../store/types.js';

/** An entry of a resource (or a `define()` group) that changed. */
export interface ResourceEvent {
  /** The resource (`'members'`, `'users'`…) or group name. */
  readonly resource: string;
  /** The entry's store key (`{guildId}:userId` for members, presences and voice states). */
  readonly key: string;
}

/** Why an entry left the cache, for the {@link CacheEventMap.dispose} hook. */
export type DisposeReason = 'delete' | 'evict' | 'expire';

/**
 * Events of a `createCache()` result, named as cache-manager and lru-cache users know them. They
 * describe what this process did and saw: writes and deletes it made, and evictions and expiries on
 * stores that see them (MemoryStore). Nothing is watched until the first listener is added.
 */
export interface CacheEventMap {
  /** An entry was written (set, patch, an event adapter's write, a loaded value). */
  set: [event: ResourceEvent];
  /** An entry was deleted, on its own or by a cascade. */
  delete: [event: ResourceEvent];
  /** An entry was dropped by a size limit. */
  evict: [event: ResourceEvent];
  /** An entry was dropped by its TTL. */
  expire: [event: ResourceEvent];
  /** A whole resource was cleared, or (with `parent`) every entry under one parent, e.g. a guild's members. */
  clear: [event: { readonly resource: string; readonly parent?: IndexLink }];
  /** Every entry that left the cache, with the reason (lru-cache's `dispose`). */
  dispose: [event: ResourceEvent & { readonly reason: DisposeReason }];
  /** A loader call settled (`fetch` on a miss, a refresh): how long it took and what it answered. */
  load: [event: LoadEvent];
  /** A loader call failed (an error or a timeout; "does not exist" is not an error). */
  loadError: [event: ResourceEvent & { readonly error: unknown }];
}

/** One loader call of a resource. */
export interface LoadEvent extends ResourceEvent {
  readonly seconds: number;
  readonly outcome: LoadReport['outcome'];
}

type Listener<E extends keyof CacheEventMap> = (...args: CacheEventMap[E]) => void;

const STORE_EVENTS = ['set', 'delete', 'clear', 'evict', 'expire'] as const;

/**
 * Turns the store's change events into resource events: listens to the store only while someone
 * listens here, and maps namespaces back to resource names (other namespaces are not announced).
 */
export class ResourceEvents {
  readonly #emitter = new EventEmitter();
  #attached = false;
  readonly #forward: { [E in (typeof STORE_EVENTS)[number]]: (...args: StoreEventMap[E]) => void };

  constructor(
    private readonly store: Store,
    private readonly resourceOf: (ns: string) => string | undefined,
  ) {
    const entry =
      (event: 'set' | 'delete' | 'evict' | 'expire') =>
      (ns: string, key: string): void => {
        const resource = this.resourceOf(ns);
        if (resource === undefined) return;
        this.#emitter.emit(event, { resource, key });
        if (event !== 'set') this.#emitter.emit('dispose', { resource, key, reason: event });
      };
    this.#forward = {
      set: entry('set'),
      delete: entry('delete'),
      evict: entry('evict'),
      expire: entry('expire'),
      clear: (ns, index) => {
        const resource = this.resourceOf(ns);
        if (resource !== undefined)
          this.#emitter.emit('clear', index ? { resource, parent: index } : { resource });
      },
    };
  }

  /** A loader call settled: announced only while someone listens. */
  loaded(resource: string, report: LoadReport): void {
    const emitter = this.#emitter;
    if (emitter.listenerCount('load') > 0)
      emitter.emit('load', { resource, key: report.key, seconds: report.seconds, outcome: report.outcome });
    if (report.outcome === 'error' && emitter.listenerCount('loadError') > 0)
      emitter.emit('loadError', { resource, key: report.key, error: report.error });
  }

  on<E extends keyof CacheEventMap>(event: E, listener: Listener<E>): void {
    if (typeof listener !== 'function')
      throw new TypeError(`listener must be a function (got ${typeof listener})`);
    this.#emitter.on(event, listener as (...args: unknown[]) => void);
    this.#sync();
  }

  off<E extends keyof CacheEventMap>(event: E, listener: Listener<E>): void {
    this.#emitter.off(event, listener as (...args: unknown[]) => void);
    this.#sync();
  }

  /** Listens to the store exactly while anyone listens here. */
  #sync(): void {
    const wanted = this.#emitter.eventNames().some((name) => name !== 'load' && name !== 'loadError');
    if (wanted === this.#attached) return;
    this.#attached = wanted;
    for (const event of STORE_EVENTS) {
      const forward = this.#forward[event] as (...args: unknown[]) => void;
      if (wanted) this.store.on(event, forward as never);
      else this.store.off(event, forward as never);
    }
  }
}
