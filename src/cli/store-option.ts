import { redactUrl } from '../store/redis/redis-options.js';
import type { Store } from '../store/types.js';
import { UsageError } from './usage-error.js';

/** Where a command keeps its cache: `--store memory | redis URL | sqlite PATH`. */
export type StoreChoice =
  | { readonly kind: 'memory' }
  | { readonly kind: 'redis'; readonly url: string }
  | { readonly kind: 'sqlite'; readonly path: string };

export const STORE_USAGE = '--store memory | redis URL | sqlite PATH';

/** Reads `--store`; `redis://…` alone is taken as `redis redis://…`. */
export function parseStoreChoice(raw: string | undefined): StoreChoice {
  if (raw === undefined || raw === 'memory') return { kind: 'memory' };
  const [kind, arg, ...extra] = raw.split(' ');
  if (extra.length === 0 && arg === undefined && kind !== undefined && /^(redis|rediss|unix):\/\//.test(kind))
    return { kind: 'redis', url: checkRedisUrl(kind) };
  if (kind === 'redis' && arg !== undefined) return { kind: 'redis', url: checkRedisUrl(arg) };
  if (kind === 'sqlite' && arg !== undefined) return { kind: 'sqlite', path: arg };
  if (kind === 'redis' || kind === 'sqlite')
    throw new UsageError(`--store ${kind} needs a ${kind === 'redis' ? 'URL' : 'PATH'}`);
  throw new UsageError(`--store must be one of: ${STORE_USAGE} (got '${raw}')`);
}

/** A redis URL the store can use; anything else is a UsageError, not a driver stack trace. */
export function checkRedisUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The text is not shown: it may hold a password.
    throw new UsageError('the Redis URL does not parse (expected redis://host:port)');
  }
  if (!['redis:', 'rediss:', 'unix:'].includes(parsed.protocol))
    throw new UsageError(`'${redactUrl(url)}' is not a Redis URL (expected redis://, rediss:// or unix://)`);
  return url;
}

/** Describes the choice for summaries, without any password. */
export function describeStore(choice: StoreChoice): string {
  if (choice.kind === 'memory') return 'embedded MemoryStore';
  if (choice.kind === 'sqlite') return `SqliteStore at ${choice.path}`;
  const url = new URL(choice.url);
  if (url.password) url.password = '***';
  return `RedisStore at ${url.toString()}`;
}

/**
 * Opens the chosen store. Redis and SQLite are imported only when chosen, so the memory demo never
 * loads node-redis or better-sqlite3. A store that cannot open is a UsageError (wrong URL, no server).
 */
export async function openStore(choice: StoreChoice, prefix = 'botcache'): Promise<Store> {
  let store: Store;
  if (choice.kind === 'memory') {
    const { MemoryStore } = await import('../store/memory/memory-store.js');
    store = new MemoryStore();
  } else if (choice.kind === 'redis') {
    const { RedisStore } = await import('../store/redis/index.js');
    store = new RedisStore({ url: choice.url, prefix, connectTimeout: 3000 });
  } else {
    const { SqliteStore } = await import('../store/sqlite/index.js');
    store = new SqliteStore({ path: choice.path });
  }
  try {
    await store.open();
  } catch (error) {
    await store.close().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`cannot open ${describeStore(choice)}: ${reason}`);
  }
  return store;
}
