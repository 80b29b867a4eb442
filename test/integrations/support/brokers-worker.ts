/**
 * One ingest worker process for the brokers tests and bench: `startIngestWorker` over a real ioredis
 * client (the streams) and a RedisStore (standalone or Cluster). Forked with a JSON spec as argv[2];
 * tells the parent `{ type: 'ready' }`, then its stats every `statsEvery` ms; on `{ type: 'stop' }` it
 * stops cleanly, sends `{ type: 'stopped', stats }` and exits.
 */
import { decode } from '@msgpack/msgpack';
import { Redis } from 'ioredis';
import type { DiscordValueTypes } from '../../../src/platforms/discord/index.js';
import { type IngestWorkerStats, startIngestWorker } from '../../../src/platforms/discord/index.js';
import { createCache } from '../../../src/resources/index.js';
import { RedisStore } from '../../../src/store/redis/index.js';

export interface BrokersWorkerSpec {
  readonly streamsUrl: string;
  /** A standalone store URL, or Cluster seed URLs. */
  readonly store: { readonly url: string } | { readonly rootNodes: readonly string[] };
  readonly prefix: string;
  readonly slot: number;
  readonly slots: number;
  readonly partitions: number;
  readonly group: string;
  readonly stream: string;
  readonly leaseTtl: number;
  readonly maxPerChannel: number;
  readonly statsEvery?: number;
}

export type BrokersWorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'stats'; readonly stats: IngestWorkerStats; readonly partitions: number[] }
  | { readonly type: 'stopped'; readonly stats: IngestWorkerStats; readonly failed: number };

const spec = JSON.parse(process.argv[2] ?? '{}') as BrokersWorkerSpec;
const send = (message: BrokersWorkerMessage): void => {
  process.send?.(message);
};

const redis = new Redis(spec.streamsUrl);
const store =
  'url' in spec.store
    ? new RedisStore({ url: spec.store.url, prefix: spec.prefix, commandTimeout: 60_000 })
    : new RedisStore({
        cluster: { rootNodes: [...spec.store.rootNodes] },
        prefix: spec.prefix,
        commandTimeout: 60_000,
      });
const cache = createCache<DiscordValueTypes>({
  store,
  limits: { messages: { maxPerChannel: spec.maxPerChannel } },
});
const worker = await startIngestWorker({
  redis,
  decode: (data) => decode(data),
  cache,
  slot: spec.slot,
  slots: spec.slots,
  partitions: spec.partitions,
  group: spec.group,
  stream: spec.stream,
  leaseTtl: spec.leaseTtl,
  blockTimeout: 200,
  events: { bufferTimeout: 600_000 },
});
const errors: string[] = [];
worker.events.on('error', (error) => errors.push(error.message));
send({ type: 'ready' });
const timer = setInterval(
  () => send({ type: 'stats', stats: { ...worker.stats }, partitions: [...worker.partitions] }),
  spec.statsEvery ?? 50,
);
process.on('message', (message: { type?: string }) => {
  if (message.type !== 'stop') return;
  clearInterval(timer);
  void (async () => {
    await worker.stop();
    await cache.close();
    redis.disconnect();
    for (const error of errors.slice(0, 5)) console.error(error);
    send({ type: 'stopped', stats: { ...worker.stats }, failed: worker.events.stats.failed });
    process.disconnect?.();
  })();
});
