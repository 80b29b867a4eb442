import { UsageError } from '../usage-error.js';
import { ReadOnlyRedis } from './read-only-redis.js';

/** The nodes whose keys inspect reads: the one server, or every master of a Cluster. */
export interface RedisTopology {
  readonly cluster: boolean;
  readonly nodes: readonly ReadOnlyRedis[];
  close(): Promise<void>;
}

/**
 * Connects to the URL; on a Cluster node, reads CLUSTER NODES and connects to every master (each
 * holds its own slots, so each is scanned on its own and asked only about the keys it holds).
 */
export async function connectTopology(url: string): Promise<RedisTopology> {
  const seed = await ReadOnlyRedis.connect(url);
  const nodes: ReadOnlyRedis[] = [seed];
  const close = async (): Promise<void> => {
    await Promise.all(nodes.map((node) => node.close()));
  };
  try {
    const info = String(await seed.send(['INFO', 'cluster']));
    if (!/cluster_enabled:1/.test(info)) return { cluster: false, nodes, close };
    const masters = parseMasters(String(await seed.send(['CLUSTER', 'NODES'])));
    if (masters.length === 0) throw new UsageError(`the Cluster at ${seed.address} reports no master nodes`);
    nodes.length = 0;
    await seed.close();
    for (const address of masters) {
      const nodeUrl = new URL(url);
      const [host, port] = splitAddress(address);
      nodeUrl.hostname = host;
      nodeUrl.port = port;
      nodes.push(await ReadOnlyRedis.connect(nodeUrl.toString()));
    }
    return { cluster: true, nodes, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** `id ip:port@bus flags master - ...` lines; masters that are not failing. */
export function parseMasters(clusterNodes: string): string[] {
  const out: string[] = [];
  for (const line of clusterNodes.split('\n')) {
    const [, address, flags] = line.trim().split(' ');
    if (!address || !flags) continue;
    const flagList = flags.split(',');
    if (flagList.includes('master') && !flagList.includes('fail') && !flagList.includes('noaddr'))
      out.push(address.split('@')[0] as string);
  }
  return out;
}

function splitAddress(address: string): [host: string, port: string] {
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon);
  // IPv6 addresses must be bracketed in a URL.
  return [host.includes(':') ? `[${host}]` : host, address.slice(colon + 1)];
}
