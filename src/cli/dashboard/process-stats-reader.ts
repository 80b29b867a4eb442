import { JsonCodec } from '../../codec/json-codec.js';
import { PROCESS_STATS_NAMESPACE, type ProcessStats } from '../../stats/process-stats.js';
import { classifyKey, prefixPattern } from '../inspect/key-kind.js';
import type { RedisTopology } from '../inspect/redis-topology.js';

const codec = new JsonCodec();

/**
 * The stats every bot process published under the prefix (see `publishStats`), read with SCAN and GET
 * only. A snapshot that does not decode (another codec, a damaged value) is skipped.
 */
export async function readProcessStats(topology: RedisTopology, prefix: string): Promise<ProcessStats[]> {
  const out: ProcessStats[] = [];
  for (const node of topology.nodes) {
    let cursor = '0';
    do {
      const [next, keys] = (await node.send([
        'SCAN',
        cursor,
        'MATCH',
        prefixPattern(`${prefix}:${PROCESS_STATS_NAMESPACE}`),
        'COUNT',
        '1000',
      ])) as [string, string[]];
      cursor = String(next);
      for (const key of keys) {
        const kind = classifyKey(prefix, key);
        if (kind?.kind !== 'value' || kind.ns !== PROCESS_STATS_NAMESPACE) continue;
        const raw = await node.send(['GET', key]);
        if (typeof raw !== 'string') continue;
        try {
          const stats = codec.decode(raw, key) as ProcessStats;
          if (stats && typeof stats.id === 'string' && stats.resources) out.push(stats);
        } catch {
          // not ours to judge here: inspect reports undecodable values
        }
      }
    } while (cursor !== '0');
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}
