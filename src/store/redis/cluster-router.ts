import { resendUntil } from './cluster-retry.js';
import { ClusterTopology, type SlotMap } from './cluster-topology.js';
import type { Encoded } from './redis-connection.js';
import type { NodeRedisCluster } from './redis-options.js';

type CommandOptions = Parameters<NodeRedisCluster['sendCommand']>[3];
type NodeClient = Awaited<ReturnType<NodeRedisCluster['nodeClient']>>;

/**
 * Sends commands on a Redis Cluster: routed by their first key through the driver, sent again within
 * the command timeout when the Cluster answered that it did not run them (TRYAGAIN during a slot
 * move, CLUSTERDOWN or MOVED during a failover), with the slot map read again after failures.
 */
export class ClusterRouter {
  readonly #cluster: NodeRedisCluster;
  readonly #commandTimeout: number;
  readonly topology: ClusterTopology;

  constructor(cluster: NodeRedisCluster, commandTimeout: number, refreshBound: number) {
    this.#cluster = cluster;
    this.#commandTimeout = commandTimeout;
    this.topology = new ClusterTopology(() => cluster._slots as unknown as SlotMap, refreshBound);
  }

  send(firstKey: string, readonly: boolean, args: Encoded[], options: CommandOptions): Promise<unknown> {
    const attempt = (): Promise<unknown> =>
      this.#cluster.sendCommand(firstKey, readonly, args as string[], options);
    const first = attempt();
    const deadline = Date.now() + this.#commandTimeout;
    return first.catch((error: unknown) =>
      resendUntil(attempt, error, deadline, () => this.topology.refreshSoon()),
    );
  }

  /** A command routed by `firstKey` failed for good (its own error or its timeout). */
  noteFailure(firstKey: string, error: unknown): void {
    this.topology.noteFailure(firstKey, error);
  }

  /**
   * A connected client of every master, from a slot map read just now (so a master that joined since
   * the last read is included); with the routing signature they were taken under.
   */
  async masterClients(): Promise<{ clients: NodeClient[]; signature: string }> {
    const masters = await this.topology.masters();
    const signature = this.topology.signature();
    const clients: NodeClient[] = [];
    for (const master of masters) {
      clients.push(await this.#cluster.nodeClient(master as Parameters<NodeRedisCluster['nodeClient']>[0]));
    }
    return { clients, signature };
  }
}
