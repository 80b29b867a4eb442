import { classifyKey, prefixPattern } from './key-kind.js';
import type { ReadOnlyRedis } from './read-only-redis.js';
import type { RedisTopology } from './redis-topology.js';
import { bucketOf, emptyDistribution, type TtlDistribution } from './ttl-buckets.js';

/** One namespace (a resource, a group, or a fetcher's `.absent` list) as stored in Redis. */
export interface NamespaceReport {
  readonly namespace: string;
  /** Values stored (live entries). */
  readonly entries: number;
  /** Parent indexes (one per guild, channel, author... that has entries). */
  readonly indexes: number;
  /** Every key of the namespace: values, link sets, indexes, registry. */
  readonly keys: number;
  /** MEMORY USAGE of the sampled keys, scaled to every key of the namespace. */
  readonly memoryBytes: number;
  /** How many keys MEMORY USAGE was asked about. */
  readonly memorySampled: number;
  /** Remaining TTL of sampled values, by bucket. */
  readonly ttl: TtlDistribution;
  readonly ttlSampled: number;
}

/** A guild with everything bound to it through a `guild` index. */
export interface GuildReport {
  readonly guildId: string;
  /** Entries over every namespace's guild index. */
  readonly entries: number;
  readonly byNamespace: Readonly<Record<string, number>>;
}

export interface InspectReport {
  readonly prefix: string;
  /** Keys sampled at most per namespace for MEMORY USAGE and PTTL (`--sample`). */
  readonly sampleSize: number;
  readonly cluster: boolean;
  readonly nodes: readonly string[];
  readonly totals: { readonly keys: number; readonly entries: number; readonly memoryBytes: number };
  readonly namespaces: readonly NamespaceReport[];
  readonly largestGuilds: readonly GuildReport[];
}

export interface InspectOptions {
  readonly prefix: string;
  /** Keys sampled per namespace for MEMORY USAGE and PTTL. */
  readonly sample: number;
  /** Largest guilds reported. */
  readonly top: number;
}

const SCAN_COUNT = '1000';
/** Commands sent together; node-redis pipelines what is issued in one tick. */
const CHUNK = 500;

interface NamespaceTally {
  entries: number;
  indexes: number;
  keys: number;
  /** Reservoir samples, per node so each key is asked of the node that holds it. */
  readonly anyKeys: Sample;
  readonly valueKeys: Sample;
}

/** A fixed-size uniform sample of a stream (reservoir sampling), remembering each key's node. */
class Sample {
  readonly items: [ReadOnlyRedis, string][] = [];
  #seen = 0;
  #seed = 11;

  constructor(private readonly size: number) {}

  offer(node: ReadOnlyRedis, key: string): void {
    this.#seen++;
    if (this.items.length < this.size) {
      this.items.push([node, key]);
      return;
    }
    this.#seed = (this.#seed * 1103515245 + 12345) & 0x7fffffff;
    const slot = this.#seed % this.#seen;
    if (slot < this.size) this.items[slot] = [node, key];
  }
}

/**
 * Reads what lives under the prefix: SCANs every node in windows (never KEYS), tallies keys by
 * namespace and kind, then asks MEMORY USAGE and PTTL of a sample and ZCARD of every guild index.
 */
export async function inspectRedis(topology: RedisTopology, options: InspectOptions): Promise<InspectReport> {
  const tallies = new Map<string, NamespaceTally>();
  const guildIndexes: [ReadOnlyRedis, string, string, string][] = [];
  let totalKeys = 0;
  for (const node of topology.nodes) {
    let cursor = '0';
    do {
      const reply = (await node.send([
        'SCAN',
        cursor,
        'MATCH',
        prefixPattern(options.prefix),
        'COUNT',
        SCAN_COUNT,
      ])) as [string, string[]];
      cursor = String(reply[0]);
      for (const key of reply[1]) {
        const kind = classifyKey(options.prefix, key);
        if (!kind) continue;
        totalKeys++;
        let tally = tallies.get(kind.ns);
        if (!tally) {
          tally = {
            entries: 0,
            indexes: 0,
            keys: 0,
            anyKeys: new Sample(options.sample),
            valueKeys: new Sample(options.sample),
          };
          tallies.set(kind.ns, tally);
        }
        tally.keys++;
        tally.anyKeys.offer(node, key);
        if (kind.kind === 'value') {
          tally.entries++;
          tally.valueKeys.offer(node, key);
        } else if (kind.kind === 'index') {
          tally.indexes++;
          if (kind.by === 'guild') guildIndexes.push([node, key, kind.ns, kind.parent]);
        }
      }
    } while (cursor !== '0');
  }

  const namespaces: NamespaceReport[] = [];
  for (const [namespace, tally] of [...tallies].sort(([a], [b]) => a.localeCompare(b))) {
    const usages = await inChunks(tally.anyKeys.items, ([node, key]) => node.send(['MEMORY', 'USAGE', key]));
    const sampledBytes = usages.reduce<number>((sum, bytes) => sum + (Number(bytes) || 0), 0);
    const ttls = await inChunks(tally.valueKeys.items, ([node, key]) => node.send(['PTTL', key]));
    const ttl = emptyDistribution();
    for (const pttl of ttls) {
      const bucket = bucketOf(Number(pttl));
      if (bucket) ttl[bucket]++;
    }
    namespaces.push({
      namespace,
      entries: tally.entries,
      indexes: tally.indexes,
      keys: tally.keys,
      memoryBytes: usages.length === 0 ? 0 : Math.round((sampledBytes / usages.length) * tally.keys),
      memorySampled: usages.length,
      ttl,
      ttlSampled: ttls.length,
    });
  }

  const sizes = await inChunks(guildIndexes, ([node, key]) => node.send(['ZCARD', key]));
  const guilds = new Map<string, { entries: number; byNamespace: Record<string, number> }>();
  guildIndexes.forEach(([, , ns, guildId], i) => {
    const size = Number(sizes[i]) || 0;
    const guild = guilds.get(guildId) ?? { entries: 0, byNamespace: {} };
    guild.entries += size;
    guild.byNamespace[ns] = (guild.byNamespace[ns] ?? 0) + size;
    guilds.set(guildId, guild);
  });
  const largestGuilds = [...guilds]
    .map(([guildId, g]) => ({ guildId, ...g }))
    .sort((a, b) => b.entries - a.entries || a.guildId.localeCompare(b.guildId))
    .slice(0, options.top);

  return {
    prefix: options.prefix,
    sampleSize: options.sample,
    cluster: topology.cluster,
    nodes: topology.nodes.map((node) => node.address),
    totals: {
      keys: totalKeys,
      entries: namespaces.reduce((n, r) => n + r.entries, 0),
      memoryBytes: namespaces.reduce((n, r) => n + r.memoryBytes, 0),
    },
    namespaces,
    largestGuilds,
  };
}

async function inChunks<T>(items: readonly T[], send: (item: T) => Promise<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let i = 0; i < items.length; i += CHUNK)
    out.push(...(await Promise.all(items.slice(i, i + CHUNK).map(send))));
  return out;
}
