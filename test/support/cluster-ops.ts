/**
 * Operations on a local test Cluster started by `startRedisCluster`: who is master now, waiting for
 * a healthy cluster, moving one slot by hand (as `redis-cli --cluster reshard` does, at a chosen pace),
 * and running traffic workers in child processes.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TrafficReport, TrafficSpec } from './cluster-traffic.js';
import type { RedisClusterHandle } from './redis-server.js';

const WORKER = fileURLToPath(new URL('./cluster-traffic-worker.ts', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ClusterNodeInfo {
  readonly index: number;
  readonly id: string;
  readonly master: boolean;
  readonly failed: boolean;
  /** Slot ranges as [from, to]. */
  readonly slots: readonly (readonly [number, number])[];
}

/** CLUSTER NODES as seen by the first node that answers, mapped onto the handle's node indexes. */
export async function clusterNodes(cluster: RedisClusterHandle, skip: readonly number[] = []) {
  for (let i = 0; i < cluster.nodes.length; i++) {
    if (skip.includes(i)) continue;
    const text = await cluster
      .node(i)
      .cli('CLUSTER', 'NODES')
      .catch(() => '');
    if (!text.trim()) continue;
    const infos: ClusterNodeInfo[] = [];
    for (const line of text.trim().split('\n')) {
      const [id, address, flags, , , , , , ...slotParts] = line.split(' ');
      const port = Number(address?.split('@')[0]?.split(':')[1]);
      const index = cluster.nodes.findIndex((node) => node.port === port);
      const slots = slotParts
        .filter((part) => !part.startsWith('['))
        .map((part) => {
          const [from, to] = part.split('-').map(Number);
          return [from as number, (to ?? from) as number] as const;
        });
      infos.push({
        index,
        id: id as string,
        master: flags?.includes('master') === true,
        failed: flags?.includes('fail') === true && !flags.includes('fail?'),
        slots,
      });
    }
    return infos;
  }
  throw new Error('no cluster node answered CLUSTER NODES');
}

/** The index of the node that owns a slot now. */
export async function masterOf(cluster: RedisClusterHandle, slot: number, skip: readonly number[] = []) {
  const nodes = await clusterNodes(cluster, skip);
  const owner = nodes.find((n) => n.master && n.slots.some(([from, to]) => slot >= from && slot <= to));
  if (!owner) throw new Error(`no master owns slot ${slot}`);
  return owner;
}

/** Waits until every node but `skip` says cluster_state:ok and none of them is flagged failed. */
export async function waitForHealthy(
  cluster: RedisClusterHandle,
  timeoutMs = 30_000,
  skip: readonly number[] = [],
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const watched = cluster.nodes.map((_, i) => i).filter((i) => !skip.includes(i));
  let last = '';
  while (Date.now() < deadline) {
    const infos = await Promise.all(
      watched.map((i) =>
        cluster
          .node(i)
          .cli('CLUSTER', 'INFO')
          .catch(() => ''),
      ),
    );
    const nodes = await clusterNodes(cluster, skip).catch(() => []);
    const failed = nodes.filter((n) => n.failed && watched.includes(n.index)).map((n) => n.index);
    if (infos.every((info) => info.includes('cluster_state:ok')) && failed.length === 0) return;
    last = `states ${infos.map((i) => /cluster_state:(\w+)/.exec(i)?.[1] ?? 'no answer').join(',')}, failed ${failed.join(',')}`;
    await sleep(200);
  }
  throw new Error(`the cluster did not become healthy in ${timeoutMs} ms (${last})`);
}

/** Waits until a master's replicas have every write it has (so a failover loses nothing acknowledged before). */
export async function waitForReplicas(cluster: RedisClusterHandle, masterIndex: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const info = await cluster.node(masterIndex).cli('INFO', 'replication');
    const offset = info.match(/master_repl_offset:(\d+)/)?.[1];
    if (offset && new RegExp(`slave0:.*offset=${offset},`).test(info)) return;
    await sleep(50);
  }
}

/**
 * Moves one slot between masters the way `redis-cli --cluster reshard` does (IMPORTING, MIGRATING,
 * MIGRATE in batches, SETSLOT NODE everywhere), pausing `pauseMs` between batches to make a slow move.
 */
export async function moveSlot(
  cluster: RedisClusterHandle,
  slot: number,
  toIndex: number,
  options: { batch?: number; pauseMs?: number } = {},
): Promise<{ keys: number; ms: number }> {
  const started = Date.now();
  const nodes = await clusterNodes(cluster);
  const from = await masterOf(cluster, slot);
  const to = nodes.find((n) => n.index === toIndex);
  if (!to) throw new Error(`node ${toIndex} is not in the cluster`);
  const source = cluster.node(from.index);
  const target = cluster.node(toIndex);
  const targetAddress = cluster.nodes[toIndex] as { host: string; port: number };
  await target.cli('CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', from.id);
  await source.cli('CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', to.id);
  let moved = 0;
  const batch = options.batch ?? 10;
  for (;;) {
    const keys = (await source.cli('CLUSTER', 'GETKEYSINSLOT', String(slot), String(batch)))
      .split('\n')
      .filter(Boolean);
    if (keys.length === 0) break;
    await source.cli(
      'MIGRATE',
      targetAddress.host,
      String(targetAddress.port),
      '',
      '0',
      '5000',
      'REPLACE',
      'KEYS',
      ...keys,
    );
    moved += keys.length;
    if (options.pauseMs) await sleep(options.pauseMs);
  }
  for (const node of nodes.filter((n) => n.master && !n.failed)) {
    await cluster.node(node.index).cli('CLUSTER', 'SETSLOT', String(slot), 'NODE', to.id);
  }
  return { keys: moved, ms: Date.now() - started };
}

/** Spreads slots onto masters that own none (a scale-out), with redis-cli's rebalance. */
export async function rebalanceOntoEmptyMasters(cluster: RedisClusterHandle): Promise<void> {
  const seed = cluster.nodes[0] as { host: string; port: number };
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      'redis-cli',
      ['--cluster', 'rebalance', `${seed.host}:${seed.port}`, '--cluster-use-empty-masters', '--cluster-yes'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`rebalance exited ${code}: ${out.slice(-800)}`)),
    );
  });
}

/** A traffic worker running in a child process. */
export interface TrafficRun {
  /** Resolves once the worker's store is open and its traffic (and clock) started. */
  readonly started: Promise<void>;
  /** Resolves with the worker's report when it exits. */
  readonly done: Promise<TrafficReport>;
}

/** Starts one traffic worker in a child process. */
export function runTraffic(spec: TrafficSpec): TrafficRun {
  let onStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    onStarted = resolve;
  });
  const done = new Promise<TrafficReport>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.startsWith('started\n')) onStarted();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      onStarted();
      if (code !== 0) reject(new Error(`traffic worker exited with ${code}: ${err.slice(0, 2000)}`));
      else {
        try {
          resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as TrafficReport);
        } catch (error) {
          reject(error);
        }
      }
    });
  });
  return { started, done };
}

export { sleep };
