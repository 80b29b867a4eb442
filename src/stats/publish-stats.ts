import { type Duration, parseDuration } from '../util/duration.js';
import { assertKey } from '../util/validate.js';
import {
  type DiscordManagerLike,
  discordSource,
  type IngestSource,
  type MezonAttachmentLike,
  mezonSource,
} from './ingest-sources.js';
import { LagWindow } from './lag-window.js';
import {
  type CountedCache,
  PROCESS_STATS_NAMESPACE,
  type ProcessStats,
  processIdentity,
  resourceCounters,
} from './process-stats.js';

export interface PublishStatsOptions {
  /** How often the snapshot is written. Default `'5s'`; at least 250 ms. */
  readonly interval?: Duration;
  /** This process's name on the dashboard. Default `<hostname>:<pid>`. */
  readonly id?: string;
  /** An event adapter whose counters, queue depth and lag are published too. */
  readonly discord?: DiscordManagerLike;
  readonly mezon?: MezonAttachmentLike;
}

/** The handle {@link publishStats} returns. */
export interface StatsPublisher {
  /** Writes a snapshot now (also what the timer does). */
  publish(): Promise<ProcessStats>;
  /** Stops the timer and removes this process's snapshot from the store. */
  stop(): Promise<void>;
}

/**
 * Publishes this process's cache counters, memory and ingest figures into the cache's own store every
 * interval, under {@link PROCESS_STATS_NAMESPACE}, with a TTL of three intervals so a dead process
 * disappears by itself. `botcache dashboard --redis URL` reads them (read-only) beside what Redis holds.
 * A failed write is reported once through `onError` and retried at the next interval.
 */
export function publishStats(
  cache: CountedCache,
  options: PublishStatsOptions & { readonly onError?: (error: unknown) => void } = {},
): StatsPublisher {
  const intervalMs = parseDuration(options.interval ?? '5s', 'options.interval');
  if (!Number.isFinite(intervalMs) || intervalMs < 250)
    throw new RangeError(`options.interval must be at least 250 ms (got ${String(options.interval)})`);
  const { id, host } = processIdentity(options.id);
  assertKey(id, 'options.id');
  const startedAt = Date.now();
  const lag = new LagWindow();
  let source: IngestSource | undefined;
  if (options.discord) source = discordSource(options.discord, (seconds) => lag.add(seconds * 1000));
  else if (options.mezon) source = mezonSource(options.mezon, (seconds) => lag.add(seconds * 1000));

  const snapshot = (): ProcessStats => {
    const { heapUsed, rss } = process.memoryUsage();
    const recent = lag.take();
    return {
      id,
      pid: process.pid,
      host,
      startedAt,
      at: Date.now(),
      intervalMs,
      memory: { heapUsed, rss },
      resources: resourceCounters(cache),
      ...(source
        ? { ingest: { adapter: source.name, ...source.counts(), ...(recent ? { lag: recent } : {}) } }
        : {}),
    };
  };
  const publish = async (): Promise<ProcessStats> => {
    const stats = snapshot();
    await cache.store.set(PROCESS_STATS_NAMESPACE, id, stats, { ttl: intervalMs * 3 });
    return stats;
  };
  let reported = false;
  const timer = setInterval(() => {
    publish().then(
      () => {
        reported = false;
      },
      (error: unknown) => {
        if (reported) return;
        reported = true;
        options.onError?.(error);
      },
    );
  }, intervalMs);
  timer.unref();
  void publish().catch((error: unknown) => options.onError?.(error));

  return {
    publish,
    async stop() {
      clearInterval(timer);
      source?.stop();
      if (!cache.store.closed) await cache.store.delete(PROCESS_STATS_NAMESPACE, id).catch(() => false);
    },
  };
}
