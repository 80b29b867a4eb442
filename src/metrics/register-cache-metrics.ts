import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { FetchStats } from '../fetch/fetch-stats.js';
import { RESOURCE_NAMES, type ResourceName } from '../resources/resource-names.js';
import {
  type DiscordManagerLike,
  discordSource,
  type IngestSource,
  type MezonAttachmentLike,
  mezonSource,
} from '../stats/ingest-sources.js';
import type { NamespaceStats, Store } from '../store/types.js';
import { LATENCY_BUCKETS, METRIC_NAMES } from './metric-names.js';
import { TIMED_STORE_CALLS, timeStoreCalls } from './store-timing.js';

/** The part of a resource cache the metrics read. */
export interface MeasurableResource {
  readonly ns: string;
  fetchStats(): FetchStats;
  count(): Promise<number>;
}

/** One loader call, as the cache's `load` event tells it. */
export interface LoadSeen {
  readonly resource: string;
  readonly seconds: number;
  readonly outcome: string;
}

/** The part of a `createCache()` result the metrics read. */
export type MeasurableCache = {
  readonly store: Store;
  on(event: 'load', listener: (event: LoadSeen) => void): unknown;
  off(event: 'load', listener: (event: LoadSeen) => void): unknown;
} & { readonly [R in ResourceName]: MeasurableResource };

export interface CacheMetricsOptions {
  /** The prom-client registry to register into (e.g. `new Registry()` or prom-client's `register`). */
  readonly registry: Registry;
  /** Prepended to every metric name. Default `'botcache_'`. */
  readonly prefix?: string;
  /** The `store` label. Default: the store's `kind` (`memory`, `redis`, `tiered`, `sqlite`). */
  readonly storeLabel?: string;
  /**
   * Also report live entries per resource (`cache_entries`) at each scrape. Off by default: on a remote
   * store it costs one count per resource per scrape.
   */
  readonly countEntries?: boolean;
  /** Extra namespaces to report beside the resources (e.g. `define()` groups), labelled by namespace. */
  readonly namespaces?: readonly string[];
}

/** The handle {@link registerCacheMetrics} returns. */
export interface CacheMetrics {
  /** Adds a Discord event manager's counters, queue depth and ingest lag. */
  observeDiscord(manager: DiscordManagerLike): void;
  /** Adds a Mezon attachment's counters and queue depth. */
  observeMezon(attachment: MezonAttachmentLike): void;
  /** Removes every metric from the registry and every hook from the cache, the store and the adapters. */
  unregister(): void;
}

const STORE_COUNTERS = [
  ['hits', METRIC_NAMES.cacheHits, 'Reads answered by the store'],
  ['misses', METRIC_NAMES.cacheMisses, 'Reads the store could not answer'],
  ['sets', METRIC_NAMES.cacheSets, 'Entries written'],
  ['deletes', METRIC_NAMES.cacheDeletes, 'Entries deleted'],
  ['evictions', METRIC_NAMES.cacheEvictions, 'Entries evicted by a size limit'],
  ['expirations', METRIC_NAMES.cacheExpirations, 'Entries removed by their TTL'],
] as const satisfies readonly (readonly [keyof NamespaceStats, string, string])[];

const FETCH_COUNTERS = [
  ['loads', METRIC_NAMES.fetchLoads, 'Loader calls made by this process'],
  ['loadErrors', METRIC_NAMES.fetchLoadErrors, 'Loader calls that failed (not "does not exist")'],
  ['coalesced', METRIC_NAMES.fetchCoalesced, 'Misses that joined a load already in flight'],
  ['hits', METRIC_NAMES.fetchHits, 'fetch() calls answered from the cache'],
  ['misses', METRIC_NAMES.fetchMisses, 'fetch() calls that needed a load'],
  ['staleServed', METRIC_NAMES.fetchStaleServed, 'fetch() answers served from a stale copy'],
  ['negativeHits', METRIC_NAMES.fetchNegativeHits, 'fetch() answers from a remembered absence'],
] as const satisfies readonly (readonly [keyof FetchStats, string, string])[];

/**
 * Registers a cache's metrics into a prom-client registry. Counters are read from the counters the
 * cache keeps anyway, at scrape time; the only hooks installed are the store-call timer and the
 * adapters' lag probe, and only from this call on. A cache that is never registered pays nothing.
 */
export function registerCacheMetrics(cache: MeasurableCache, options: CacheMetricsOptions): CacheMetrics {
  const { registry } = options;
  if (!registry || typeof (registry as Partial<Registry>).registerMetric !== 'function')
    throw new TypeError('options.registry must be a prom-client Registry');
  const prefix = options.prefix ?? 'botcache_';
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix))
    throw new TypeError(`options.prefix must be a Prometheus metric name prefix (got '${prefix}')`);
  const store = cache.store;
  const storeLabel = options.storeLabel ?? store.kind;
  const resources = RESOURCE_NAMES.map((resource) => [resource, cache[resource]] as const);
  const extra = options.namespaces ?? [];
  const registers = [registry];
  const names: string[] = [];
  const name = (suffix: string): string => {
    const full = prefix + suffix;
    names.push(full);
    return full;
  };

  for (const [field, suffix, help] of STORE_COUNTERS) {
    new Counter({
      name: name(suffix),
      help: `${help}, by resource (this process's counters)`,
      labelNames: ['resource'],
      registers,
      collect() {
        this.reset();
        for (const [resource, cacheOf] of resources) this.inc({ resource }, store.stats(cacheOf.ns)[field]);
        for (const ns of extra) this.inc({ resource: ns }, store.stats(ns)[field]);
      },
    });
  }
  if (options.countEntries) {
    new Gauge({
      name: name(METRIC_NAMES.cacheEntries),
      help: 'Live entries in the store, by resource (shared by every process on the store)',
      labelNames: ['resource'],
      registers,
      async collect() {
        const counts = await Promise.all(
          resources.map(([, cacheOf]) => cacheOf.count().catch(() => Number.NaN)),
        );
        this.reset();
        resources.forEach(([resource], i) => {
          this.set({ resource }, counts[i] as number);
        });
      },
    });
  }
  for (const [field, suffix, help] of FETCH_COUNTERS) {
    new Counter({
      name: name(suffix),
      help: `${help}, by resource`,
      labelNames: ['resource'],
      registers,
      collect() {
        this.reset();
        for (const [resource, cacheOf] of resources) this.inc({ resource }, cacheOf.fetchStats()[field]);
      },
    });
  }

  const loadDuration = new Histogram({
    name: name(METRIC_NAMES.fetchLoadDuration),
    help: 'Loader calls, from call to answer, by resource and outcome (value, absent, error)',
    labelNames: ['resource', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const onLoad = (event: LoadSeen): void =>
    loadDuration.observe({ resource: event.resource, outcome: event.outcome }, event.seconds);
  cache.on('load', onLoad);

  const commandDuration = new Histogram({
    name: name(METRIC_NAMES.storeCommandDuration),
    help: 'Store calls, from call to settlement, by store and command',
    labelNames: ['store', 'command'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const commandErrors = new Counter({
    name: name(METRIC_NAMES.storeCommandErrors),
    help: 'Store calls that rejected, by store and command',
    labelNames: ['store', 'command'],
    registers,
  });
  const inFlight = new Gauge({
    name: name(METRIC_NAMES.storeInFlight),
    help: 'Store calls started and not yet settled',
    labelNames: ['store'],
    registers,
  });
  inFlight.set({ store: storeLabel }, 0);
  const backendErrors = new Counter({
    name: name(METRIC_NAMES.storeBackendErrors),
    help: "Errors the store reported through its 'error' event (connection trouble, server errors)",
    labelNames: ['store'],
    registers,
  });
  const reconnects = new Counter({
    name: name(METRIC_NAMES.storeReconnects),
    help: 'Reconnection attempts of the store',
    labelNames: ['store'],
    registers,
  });
  backendErrors.inc({ store: storeLabel }, 0);
  reconnects.inc({ store: storeLabel }, 0);
  // Labelled children made once: prom-client hashes a label object on every call otherwise.
  const inFlightChild = inFlight.labels({ store: storeLabel });
  const durationOf = new Map(
    TIMED_STORE_CALLS.map((command) => [command, commandDuration.labels({ store: storeLabel, command })]),
  );
  const errorsOf = new Map(
    TIMED_STORE_CALLS.map((command) => [command, commandErrors.labels({ store: storeLabel, command })]),
  );
  const timing = timeStoreCalls(store, {
    started: () => inFlightChild.inc(),
    finished: (command, seconds, failed) => {
      inFlightChild.dec();
      durationOf.get(command)?.observe(seconds);
      if (failed) errorsOf.get(command)?.inc();
    },
  });
  const onError = (): void => backendErrors.inc({ store: storeLabel });
  const onReconnecting = (): void => reconnects.inc({ store: storeLabel });
  store.on('error', onError);
  store.on('reconnecting', onReconnecting);

  const sources: IngestSource[] = [];
  new Counter({
    name: name(METRIC_NAMES.ingestEvents),
    help: 'Gateway events by adapter and outcome (received, applied, failed, dropped)',
    labelNames: ['adapter', 'outcome'],
    registers,
    collect() {
      this.reset();
      for (const source of sources) {
        const counts = source.counts();
        for (const outcome of ['received', 'applied', 'failed', 'dropped'] as const)
          this.inc({ adapter: source.name, outcome }, counts[outcome]);
      }
    },
  });
  new Gauge({
    name: name(METRIC_NAMES.ingestQueueDepth),
    help: 'Events received and not yet applied, failed or dropped, by adapter',
    labelNames: ['adapter'],
    registers,
    collect() {
      this.reset();
      for (const source of sources) this.set({ adapter: source.name }, source.counts().queueDepth);
    },
  });
  const lag = new Histogram({
    name: name(METRIC_NAMES.ingestLag),
    help: 'Time from receiving a gateway event to having applied it to the cache, by adapter',
    labelNames: ['adapter'],
    buckets: LATENCY_BUCKETS,
    registers,
  });

  let registered = true;
  const live = (): void => {
    if (!registered) throw new Error('these cache metrics were unregistered');
  };
  return {
    observeDiscord(manager) {
      live();
      sources.push(discordSource(manager, (seconds) => lag.observe({ adapter: 'discord' }, seconds)));
    },
    observeMezon(attachment) {
      live();
      sources.push(mezonSource(attachment, (seconds) => lag.observe({ adapter: 'mezon' }, seconds)));
    },
    unregister() {
      if (!registered) return;
      registered = false;
      timing.restore();
      cache.off('load', onLoad);
      store.off('error', onError);
      store.off('reconnecting', onReconnecting);
      for (const source of sources) source.stop();
      sources.length = 0;
      for (const metric of names) registry.removeSingleMetric(metric);
    },
  };
}
