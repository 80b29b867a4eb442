import { formatCount, table } from '../format.js';
import { formatInspectReport } from './format-inspect.js';
import { type InspectOptions, type InspectReport, inspectRedis } from './inspect-redis.js';
import type { RedisTopology } from './redis-topology.js';

/** Entries per namespace that changed since the previous report, per second. */
function changeTable(report: InspectReport, previous: InspectReport, seconds: number): string {
  const before = new Map(previous.namespaces.map((ns) => [ns.namespace, ns.entries]));
  const rows = report.namespaces.map((ns) => {
    const delta = ns.entries - (before.get(ns.namespace) ?? 0);
    return [
      ns.namespace,
      formatCount(ns.entries),
      `${delta >= 0 ? '+' : ''}${formatCount(delta)}`,
      (delta / seconds).toFixed(1),
    ];
  });
  return table(['namespace', 'entries', 'change', 'per second'], rows);
}

/**
 * `inspect --watch`: the report again every interval until SIGINT/SIGTERM, with the change of each
 * namespace since the previous one. On a terminal the screen is redrawn in place; piped, reports follow
 * each other separated by a rule. Reads stay read-only, as in a single report.
 */
export async function watchInspect(
  topology: RedisTopology,
  options: InspectOptions,
  url: string,
  every: number,
): Promise<void> {
  let stopped = false;
  let wake: (() => void) | undefined;
  const stop = (): void => {
    stopped = true;
    wake?.();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    let previous: { report: InspectReport; at: number } | undefined;
    while (!stopped) {
      const at = Date.now();
      const report = await inspectRedis(topology, options);
      const body = [
        `botcache inspect --watch · ${new Date(at).toLocaleTimeString()} · every ${every} ms · Ctrl-C to stop`,
        formatInspectReport(report, url),
        previous
          ? `\nchange since ${((at - previous.at) / 1000).toFixed(1)} s ago\n${changeTable(report, previous.report, (at - previous.at) / 1000)}`
          : '',
      ].join('\n');
      if (process.stdout.isTTY) process.stdout.write(`\x1b[2J\x1b[H${body}\n`);
      else process.stdout.write(`${body}\n${'-'.repeat(72)}\n`);
      previous = { report, at };
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, Math.max(0, every - (Date.now() - at)));
      });
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
