import type { FetchStats } from '../../fetch/index.js';
import type { CacheSnapshot } from '../cache-snapshot.js';
import { formatBytes, formatCount, formatPercent, table } from '../format.js';
import type { Footprint } from '../store-footprint.js';
import type { BotActivity } from './demo-bot.js';
import type { SessionSize } from './session-simulator.js';

/** Everything `botcache demo` reports; also its `--json` output. */
export interface DemoReport {
  readonly store: string;
  readonly size: SessionSize;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly activity: BotActivity;
  /** The users fetcher: hits are API calls the cache avoided. */
  readonly userFetches: FetchStats;
  /** Calls the simulated Mezon API actually received. */
  readonly apiCalls: number;
  readonly snapshot: CacheSnapshot;
  readonly footprint: Footprint;
}

export function formatDemoReport(report: DemoReport): string {
  const { activity, userFetches, snapshot, size } = report;
  const rows = snapshot.resources
    .filter((r) => r.count > 0 || r.hits + r.misses > 0)
    .map((r) => [
      r.resource,
      formatCount(r.count),
      formatCount(r.hits),
      formatCount(r.misses),
      formatPercent(r.hits, r.hits + r.misses),
    ]);
  const lookups = userFetches.hits + userFetches.misses + userFetches.negativeHits;
  const answeredByCache = userFetches.hits + userFetches.negativeHits;
  return [
    `botcache demo: a simulated Mezon bot session in the ${report.store}`,
    `  ${size.guilds} clans x ${size.members} members, ${formatCount(size.messages)} messages, member churn and role edits`,
    '',
    table(['resource', 'entries', 'hits', 'misses', 'hit rate'], rows),
    '',
    `events         ${formatCount(activity.events)} in ${report.seconds.toFixed(2)} s (${formatCount(report.eventsPerSecond)} events/s)`,
    `plugins        ${formatCount(activity.messagesDispatched)} messages dispatched, ${formatCount(activity.commandsAnswered)} commands answered, ${activity.pluginFailures} failures`,
    `hit rate       ${formatPercent(snapshot.totals.hits, snapshot.totals.hits + snapshot.totals.misses)} of ${formatCount(snapshot.totals.hits + snapshot.totals.misses)} store reads`,
    `fetch (users)  ${formatCount(lookups)} lookups: ${formatCount(answeredByCache)} answered from the cache, ${formatCount(report.apiCalls)} API calls made`,
    `fetches avoided ${formatCount(answeredByCache)} (${formatPercent(answeredByCache, lookups)} of lookups never reached the API)`,
    `memory used    ${report.footprint.bytes === undefined ? 'n/a' : formatBytes(report.footprint.bytes)} (${report.footprint.what})`,
  ].join('\n');
}
