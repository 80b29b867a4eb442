import { type FetchCallOptions, Fetcher, type FetchPolicy, type FetchStats } from '../fetch/index.js';
import type { LoadWatch } from '../fetch/load-watch.js';
import type { Loader } from '../fetch/loader.js';
import type { SetOptions } from '../store/types.js';
import { checkValue, type ResourceCore } from './resource-core.js';
import type { WritePlan } from './write-plan.js';

/** How one resource loads on a miss: the loader and its policy (negative TTL, SWR, timeout…). */
export interface ResourceFetchOptions<V, K extends unknown[] = [id: string]> extends FetchPolicy {
  /** Loads the entry from the platform (REST/SDK); resolves undefined (or null) when it does not exist. */
  readonly loader?: Loader<V, K>;
  /** Where a failed background refresh (stale-while-revalidate, refresh-ahead) is reported, with its key. */
  readonly onBackgroundError?: (error: unknown, key: string) => void;
}

/** Options of one `fetch` call: a loader for this call only, a signal, a timeout, `force`. */
export interface ResourceFetchCall<V, K extends unknown[] = [id: string]> extends FetchCallOptions {
  readonly loader?: Loader<V, K>;
}

/**
 * Binds a {@link Fetcher} to a resource: loaded values are written through the resource's own write
 * path (one batch with their relations), and entries the source calls gone are deleted with their cascades.
 */
export class ResourceFetching<V extends object, K extends unknown[]> {
  readonly fetcher: Fetcher<V>;
  #loader: Loader<V, K> | undefined;

  constructor(
    private readonly core: ResourceCore<V>,
    options: ResourceFetchOptions<V, K>,
    /** Turns a store key back into the ids the loader and the write path take. */
    private readonly idsOf: (key: string) => K,
    /** Adds the write of a loaded value to a plan; returns the position of the entry's own write. */
    private readonly planLoaded: (plan: WritePlan, ids: K, value: V) => number,
  ) {
    const { loader, onBackgroundError, ...policy } = options;
    if (loader !== undefined && typeof loader !== 'function')
      throw new TypeError(`fetch.${core.name}.loader must be a function (got ${typeof loader})`);
    if (onBackgroundError !== undefined && typeof onBackgroundError !== 'function')
      throw new TypeError(`fetch.${core.name}.onBackgroundError must be a function`);
    this.#loader = loader;
    this.fetcher = new Fetcher<V>({
      store: core.ctx.store,
      namespace: core.ns,
      policy,
      ...(onBackgroundError && { onBackgroundError }),
      onLoad: (report) => core.ctx.onLoad?.(core.name, report),
      // A payload is a plain object: null is the platform's "no such entity"; anything else is refused
      // before the write path sees it (and is never cached).
      accept: (value) => {
        if ((value as unknown) === null) return undefined;
        checkValue(value, `the ${core.name} loader's result`);
        return value;
      },
      write: (key, value, ttl, watch) => this.write(key, value, ttl, watch),
      remove: (key) =>
        core.commit(async (plan) => {
          await core.planDelete(plan, key);
        }),
    });
  }

  /** Writes a loaded value with its relations, unless the entry was written or deleted while it loaded. */
  private async write(key: string, value: V, ttl: number, watch: LoadWatch): Promise<boolean> {
    const { policy } = this.fetcher;
    // Only a fetch policy with its own freshness changes the entry's expiry; otherwise the resource's rules
    // (namespace TTL, users kept alive by references) stay in charge.
    const ownExpiry = policy.ttl !== undefined || policy.staleWhileRevalidate > 0 || policy.staleIfError > 0;
    let written: WritePlan | undefined;
    await this.core.commit((plan) => {
      written = plan;
      plan.ownLoad = watch;
      const index = this.planLoaded(plan, this.idsOf(key), value);
      const op = plan.ops[index];
      if (ownExpiry && op?.type === 'set') {
        const options: SetOptions = op.options?.indexes ? { indexes: op.options.indexes, ttl } : { ttl };
        plan.ops[index] = { ...op, options };
      }
    });
    return written?.skipped !== true;
  }

  /** The cached entry, else the loaded one (see {@link Fetcher.fetch}). */
  fetch(key: string, ids: K, call: ResourceFetchCall<V, K> = {}): Promise<V> {
    if (typeof call !== 'object' || call === null) throw new TypeError('options must be an object');
    const loader = call.loader ?? this.#loader;
    if (!loader) {
      return Promise.reject(
        new TypeError(
          `${this.core.name} has no loader: pass fetch(…, { loader }) or configure createCache({ fetch: { ${this.core.name}: { loader } } })`,
        ),
      );
    }
    return this.fetcher.fetch(key, (context) => loader(...ids, context), call);
  }

  setLoader(loader: Loader<V, K>): void {
    if (typeof loader !== 'function') throw new TypeError(`loader must be a function (got ${typeof loader})`);
    this.#loader = loader;
  }

  stats(): FetchStats {
    return this.fetcher.stats();
  }
}
