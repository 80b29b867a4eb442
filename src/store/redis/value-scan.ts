import type { StoreContext } from './store-context.js';

/**
 * The keys of a namespace found by their values: SCAN MATCH `<prefix>:<ns>:v:*` on every master (the
 * master list re-read when the topology changes, see `RedisConnection.scan`). Redis skips keys
 * whose expiry has passed, so what a walk yields had a value when it was scanned. SCAN may return a
 * key twice (and a walk may be repeated after a topology change): each walk yields a key once.
 */
export async function* scanValueKeys(
  context: StoreContext,
  ns: string,
  window: number,
): AsyncIterable<string[]> {
  await context.ready();
  const { connection, layout } = context;
  const seen = new Set<string>();
  for await (const redisKeys of connection.scan(ns, layout.valuePattern(ns), window)) {
    const keys: string[] = [];
    for (const redisKey of redisKeys) {
      const key = layout.keyOfValue(ns, redisKey);
      if (key === undefined || seen.has(key)) continue;
      seen.add(key);
      keys.push(key);
    }
    if (keys.length > 0) yield keys;
  }
}
