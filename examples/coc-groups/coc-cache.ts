/**
 * coc.py's custom cache, in botcache: four groups (clan, war, player, static) with coc.py's limits,
 * each loading through the Clash of Clans HTTP API on a miss. Any API client can follow this pattern.
 *
 *   const coc = createCocCache({ baseUrl: 'https://api.clashofclans.com/v1', token: process.env.COC_TOKEN! });
 *   const player = await coc.players.fetch('#PY2');
 */
import { type BotCache, createCache, markNotFound, type Store } from '../../src/index.js';

export interface CocCacheOptions {
  readonly baseUrl: string;
  readonly token: string;
  /** Where the groups live (default: the embedded MemoryStore). */
  readonly store?: Store;
}

export interface Player {
  readonly tag: string;
  readonly name: string;
  readonly trophies: number;
}
export interface Clan {
  readonly tag: string;
  readonly name: string;
}
export interface War {
  readonly state: string;
}
export type StaticData = Record<string, unknown>;

/** coc.py's defaults: 1024 entries per group; clans and players 1 h, wars 30 min, static data forever. */
export function createCocCache(options: CocCacheOptions) {
  const cache: BotCache = createCache(options.store ? { store: options.store } : {});
  const get = async <T>(path: string, signal: AbortSignal): Promise<T | undefined> => {
    const response = await fetch(`${options.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${options.token}` },
      signal,
    });
    if (response.status === 404) return undefined; // remembered briefly: a bad tag cannot hammer the API
    if (!response.ok) throw markNotFoundIf(response.status, new Error(`HTTP ${response.status} for ${path}`));
    return (await response.json()) as T;
  };
  const tagPath = (tag: string) => encodeURIComponent(tag);

  const clans = cache.define<Clan>('clan', { max: 1024, ttl: '1h' });
  const wars = cache.define<War>('war', { max: 1024, ttl: '30m' });
  const players = cache.define<Player>('player', { max: 1024, ttl: '1h' });
  const statics = cache.define<StaticData>('static', { max: 1024, ttl: Number.POSITIVE_INFINITY });
  clans.setLoader((tag, { signal }) => get<Clan>(`/clans/${tagPath(tag)}`, signal));
  wars.setLoader((tag, { signal }) => get<War>(`/clans/${tagPath(tag)}/currentwar`, signal));
  players.setLoader((tag, { signal }) => get<Player>(`/players/${tagPath(tag)}`, signal));
  statics.setLoader((name, { signal }) => get<StaticData>(`/${name}`, signal));
  return { cache, clans, wars, players, statics, close: () => cache.close() };
}

/** 410 Gone is an absence too: tagged so fetch remembers it like a 404. Other statuses stay errors. */
function markNotFoundIf(status: number, error: Error): Error {
  return status === 410 ? markNotFound(error) : error;
}
