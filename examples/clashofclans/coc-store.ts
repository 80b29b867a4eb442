/**
 * clashofclans.js caching through botcache: `new Client({ cache: cocStore(store) })`. clashofclans.js
 * caches each API response under its request path for the response's `Cache-Control: max-age`
 * (its `RequestHandler`). This store sends each path to one of coc.py's four groups — clan, war,
 * player, static — each a `toKeyvStore(store)` over its own botcache namespace with coc.py's limits
 * (1024 entries; clans and players 1 h, wars 30 min, static data for ever; the API's max-age, when
 * shorter, still wins). Any botcache store fits: memory, Redis, Cluster, SQLite, tiered.
 */
import type { Store } from '../../src/index.js';
import { toKeyvStore } from '../../src/keyv/index.js';

export type CocGroup = 'clan' | 'war' | 'player' | 'static';

export interface CocGroupLimits {
  readonly max: number;
  /** Milliseconds; `Infinity` for never. */
  readonly ttl: number;
}

/** coc.py's defaults (examples/coc-groups). */
export const COC_GROUP_LIMITS: Readonly<Record<CocGroup, CocGroupLimits>> = {
  clan: { max: 1024, ttl: 60 * 60_000 },
  war: { max: 1024, ttl: 30 * 60_000 },
  player: { max: 1024, ttl: 60 * 60_000 },
  static: { max: 1024, ttl: Number.POSITIVE_INFINITY },
};

/** Which group an API path belongs to: wars before clans, since war paths start with `/clans/`. */
export function cocGroupOf(path: string): CocGroup {
  if (/^\/clans\/[^/]+\/(currentwar|warlog)/.test(path) || path.startsWith('/clanwarleagues/')) return 'war';
  if (path.startsWith('/clans')) return 'clan';
  if (path.startsWith('/players')) return 'player';
  return 'static'; // locations, leagues, labels, gold pass
}

/** clashofclans.js's `Store` contract (`ClientOptions.cache`). */
export interface CocStore<T = unknown> {
  set(key: string, value: T, ttl?: number): Promise<boolean>;
  get(key: string): Promise<T | null>;
  delete(key: string): Promise<boolean>;
  clear(): Promise<void>;
}

export function cocStore(
  store: Store,
  limits: Partial<Record<CocGroup, CocGroupLimits>> = {},
  prefix = 'coc',
): CocStore {
  const groups = {} as Record<CocGroup, ReturnType<typeof toKeyvStore>>;
  for (const group of Object.keys(COC_GROUP_LIMITS) as CocGroup[]) {
    const namespace = `${prefix}.${group}`;
    store.configure(namespace, { ...COC_GROUP_LIMITS[group], ...limits[group] });
    groups[group] = toKeyvStore(store, { namespace });
  }
  return {
    set: async (key, value, ttl) => {
      await groups[cocGroupOf(key)].set(key, value, ttl);
      return true;
    },
    get: async (key) => ((await groups[cocGroupOf(key)].get(key)) as unknown) ?? null,
    delete: (key) => groups[cocGroupOf(key)].delete(key),
    clear: async () => {
      for (const group of Object.values(groups)) await group.clear();
    },
  };
}
