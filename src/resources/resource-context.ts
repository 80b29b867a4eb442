import { ClosedClient } from '../errors/index.js';
import type { LoadReport } from '../fetch/fetcher.js';
import type { Store } from '../store/types.js';
import type { ResolvedLimits } from './limits.js';
import type { ResourceName } from './resource-names.js';

/** What every resource cache of one `createCache()` shares: the store, namespaces, limits, closed state. */
export class ResourceContext {
  #closed = false;
  /** Told of every loader call of every resource (set by the cache for its `load`/`loadError` events). */
  onLoad: ((resource: string, report: LoadReport) => void) | undefined;

  constructor(
    readonly store: Store,
    readonly limits: Readonly<Record<ResourceName, ResolvedLimits>>,
    private readonly namespacePrefix: string | undefined,
    /** Per-resource loaders and fetch policies from `createCache({ fetch })`, checked when first used. */
    private readonly fetchConfig: Readonly<Record<string, object | undefined>> = {},
  ) {}

  /** The fetch options configured for a resource or group, if any. */
  fetchOptions(name: string): object | undefined {
    return Object.hasOwn(this.fetchConfig, name) ? this.fetchConfig[name] : undefined;
  }

  /** The store namespace of a resource or group, with the configured prefix. */
  namespace(name: string): string {
    return this.namespacePrefix === undefined ? name : `${this.namespacePrefix}.${name}`;
  }

  get closed(): boolean {
    return this.#closed;
  }

  markClosed(): void {
    this.#closed = true;
  }

  /** Throws ClosedClient once the cache is closed (even when the store it was given stays open). */
  guard(): void {
    if (this.#closed) throw new ClosedClient('the cache is closed');
  }
}
