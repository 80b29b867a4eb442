/**
 * Distributed ingest throughput over @discordjs/brokers: one seeded gateway stream published through a
 * real PubSubRedisBroker into 12 partition streams (one redis-server), applied by 1, 2 and 3 worker
 * processes into a RedisStore (a second redis-server), against the same stream applied in one process
 * by the ordinary DiscordEventManager. Each case: workers ready and idle, then the stream is published
 * and the clock runs until every entry is acked.
 * Run: npx tsx bench/frameworks-brokers.bench.ts [--quick]
 */
import { Redis } from 'ioredis';
import { DiscordEventManager, type DiscordValueTypes } from '../src/platforms/discord/index.js';
import { createCache } from '../src/resources/index.js';
import { RedisStore } from '../src/store/redis/index.js';
import {
  forkWorker,
  publishStream,
  until,
  waitUntilConsumed,
} from '../test/integrations/support/brokers-harness.js';
import { generateDispatchStream } from '../test/support/discord/dispatch-stream.js';
import { startRedis } from '../test/support/redis-server.js';
import { machineLine, writeSection } from './harness.js';

const quick = process.argv.includes('--quick');
const EVENTS = quick ? 8000 : 40_000;
const PARTITIONS = 12;
const CAP = 20;

interface Row {
  readonly name: string;
  readonly seconds: number;
  readonly dependencyWaits: number | undefined;
}

async function main(): Promise<void> {
  const stream = generateDispatchStream({ seed: 7, events: EVENTS });
  const [streams, storeServer] = await Promise.all([startRedis(), startRedis()]);
  const rows: Row[] = [];
  try {
    {
      const cache = createCache<DiscordValueTypes>({
        store: new RedisStore({ url: storeServer.url, prefix: 'single', commandTimeout: 60_000 }),
        limits: { messages: { maxPerChannel: CAP } },
      });
      const events = new DiscordEventManager(cache, { bufferTimeout: 600_000 });
      const started = performance.now();
      for (const dispatch of stream) events.handle(dispatch);
      await events.idle();
      rows.push({
        name: 'one process, DiscordEventManager',
        seconds: (performance.now() - started) / 1000,
        dependencyWaits: undefined,
      });
      events.close();
      await cache.close();
      await storeServer.cli('FLUSHALL');
    }
    for (const count of [1, 2, 3]) {
      const options = { group: `bench-${count}`, stream: `bench-${count}`, partitions: PARTITIONS };
      const workers = Array.from({ length: count }, (_, slot) =>
        forkWorker({
          streamsUrl: streams.url,
          store: { url: storeServer.url },
          prefix: `workers${count}`,
          slot,
          slots: count,
          ...options,
          leaseTtl: 2000,
          maxPerChannel: CAP,
          statsEvery: 200,
        }),
      );
      const redis = new Redis(streams.url);
      try {
        await Promise.all(workers.map((worker) => worker.ready));
        const owners = (): number => workers.reduce((sum, worker) => sum + worker.partitions.length, 0);
        await until(() => owners() === PARTITIONS, 60_000, 'every partition to have its owner');
        const started = performance.now();
        await publishStream(streams.url, options, stream);
        await waitUntilConsumed(redis, options, 1_800_000);
        const seconds = (performance.now() - started) / 1000;
        const stopped = await Promise.all(workers.map((worker) => worker.stop()));
        rows.push({
          name: `${count} worker process${count > 1 ? 'es' : ''}`,
          seconds,
          dependencyWaits: stopped.reduce((sum, s) => sum + s.stats.dependencyWaits, 0),
        });
      } finally {
        for (const worker of workers) worker.kill();
        redis.disconnect();
      }
      await storeServer.cli('FLUSHALL');
    }
  } finally {
    await Promise.all([streams.stop(), storeServer.stop()]);
  }
  const base = rows[0]!.seconds;
  const lines = [
    '## Distributed ingest over @discordjs/brokers: throughput with 1, 2 and 3 workers',
    '',
    `${stream.length.toLocaleString('en')} gateway dispatches (seeded: GUILD_CREATEs, member churn with users shared by every guild, presences, messages, voice, outages), ${PARTITIONS} partition streams on one redis-server, a RedisStore on another; workers are child processes. ${machineLine()}`,
    '',
    '| case | seconds | dispatches/s | vs one process | cross-partition waits |',
    '|---|---:|---:|---:|---:|',
    ...rows.map(
      (row) =>
        `| ${row.name} | ${row.seconds.toFixed(1)} | ${Math.round(stream.length / row.seconds).toLocaleString('en')} | ${(base / row.seconds).toFixed(2)}x | ${row.dependencyWaits ?? '-'} |`,
    ),
  ];
  writeSection('frameworks', 'brokers', lines.join('\n'));
}

await main();
// The broker's ioredis clients keep sockets and timers alive after the page is written: end here.
process.exit(0);
