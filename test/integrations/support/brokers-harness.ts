/**
 * What the brokers test and bench share: publishing a dispatch stream through a real
 * `PubSubRedisBroker`, forking worker processes (brokers-worker.ts), and waiting until every
 * partition stream is consumed and acked.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PubSubRedisBroker } from '@discordjs/brokers';
import { Redis } from 'ioredis';
import {
  createIngestPublisher,
  type IngestEnvelope,
  type IngestWorkerStats,
  partitionStream,
} from '../../../src/platforms/discord/index.js';
import type { BrokersWorkerMessage, BrokersWorkerSpec } from './brokers-worker.js';

const WORKER = fileURLToPath(new URL('./brokers-worker.ts', import.meta.url));

/** Publishes every dispatch (pipelined, in order) as a gateway process would; resolves to the entries published. */
export async function publishStream(
  streamsUrl: string,
  options: { group: string; stream: string; partitions: number },
  dispatches: readonly unknown[],
): Promise<number> {
  const broker = new PubSubRedisBroker<Record<string, IngestEnvelope>>(new Redis(streamsUrl), {
    group: options.group,
  });
  try {
    const publisher = createIngestPublisher(broker, {
      stream: options.stream,
      partitions: options.partitions,
    });
    await Promise.all(dispatches.map((dispatch) => publisher.publish(dispatch)));
    return publisher.published;
  } finally {
    // Subscribed to nothing: destroy() deletes no consumer, it only closes both connections.
    await broker.destroy();
  }
}

export interface WorkerProcess {
  readonly child: ChildProcess;
  /** The latest stats the worker sent. */
  stats: IngestWorkerStats;
  partitions: number[];
  readonly ready: Promise<void>;
  /** Asks the worker to stop; resolves to its final stats and failed dispatch count. */
  stop(): Promise<{ stats: IngestWorkerStats; failed: number }>;
  kill(): void;
}

export function forkWorker(spec: BrokersWorkerSpec): WorkerProcess {
  const child = fork(WORKER, [JSON.stringify(spec)], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  let markReady!: () => void;
  let stopped: ((value: { stats: IngestWorkerStats; failed: number }) => void) | undefined;
  const handle: WorkerProcess = {
    child,
    stats: {
      read: 0,
      claimed: 0,
      handed: 0,
      duplicates: 0,
      malformed: 0,
      acked: 0,
      dependencyWaits: 0,
      takeovers: 0,
      handedBack: 0,
      lost: 0,
      errors: 0,
    },
    partitions: [],
    ready: new Promise<void>((resolve, reject) => {
      markReady = resolve;
      child.once('exit', (code) =>
        reject(new Error(`worker ${spec.slot} exited with ${String(code)} before ready`)),
      );
    }),
    stop: () =>
      new Promise((resolve) => {
        stopped = resolve;
        child.send({ type: 'stop' });
      }),
    kill: () => {
      child.kill('SIGKILL');
    },
  };
  handle.ready.catch(() => {});
  child.on('message', (message: BrokersWorkerMessage) => {
    if (message.type === 'ready') markReady();
    else if (message.type === 'stats') {
      handle.stats = message.stats;
      handle.partitions = message.partitions;
    } else if (message.type === 'stopped') stopped?.({ stats: message.stats, failed: message.failed });
  });
  return handle;
}

/** Pending entries and entries not yet delivered, over every partition stream of the group. */
export async function backlog(
  redis: Redis,
  options: { group: string; stream: string; partitions: number },
): Promise<{ pending: number; lag: number }> {
  let pending = 0;
  let lag = 0;
  for (let p = 0; p < options.partitions; p++) {
    const groups = (await redis.xinfo('GROUPS', partitionStream(options.stream, p))) as unknown[][];
    const info = groups.find((fields) => fields[1] === options.group);
    if (info === undefined) {
      lag += Number(await redis.xlen(partitionStream(options.stream, p)));
      continue;
    }
    const field = (name: string): number => Number(info[info.indexOf(name) + 1] ?? 0);
    pending += field('pending');
    lag += field('lag');
  }
  return { pending, lag };
}

/** Waits until every entry of every partition is delivered and acked. */
export async function waitUntilConsumed(
  redis: Redis,
  options: { group: string; stream: string; partitions: number },
  timeout: number,
): Promise<void> {
  const deadline = Date.now() + timeout;
  while (true) {
    const { pending, lag } = await backlog(redis, options);
    if (pending === 0 && lag === 0) return;
    if (Date.now() > deadline)
      throw new Error(`not consumed after ${timeout} ms: ${pending} pending, ${lag} undelivered`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Resolves once `check` holds, polling. */
export async function until(check: () => boolean, timeout: number, what: string): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
