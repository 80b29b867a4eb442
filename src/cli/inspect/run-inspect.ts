import { assertPrefix } from '../../store/redis/key-layout.js';
import { redactUrl } from '../../store/redis/redis-options.js';
import { intFlag, parseArgs } from '../args.js';
import { printHelp } from '../help.js';
import { checkRedisUrl } from '../store-option.js';
import { EXIT_OK, UsageError } from '../usage-error.js';
import { formatInspectReport } from './format-inspect.js';
import { inspectRedis } from './inspect-redis.js';
import { connectTopology } from './redis-topology.js';

/** `botcache inspect <redis-url>`: what a Redis holds under a botcache prefix, read-only. */
export async function runInspect(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, {
    command: 'inspect',
    values: ['prefix', 'sample', 'top'],
    switches: ['json'],
    maxPositionals: 1,
  });
  if (args.switches.has('help')) return printHelp('inspect');
  const rawUrl = args.positionals[0];
  if (rawUrl === undefined)
    throw new UsageError("inspect: give a Redis URL, e.g. 'botcache inspect redis://127.0.0.1:6379'");
  const url = checkRedisUrl(rawUrl);
  const prefix = args.values.get('prefix') ?? 'botcache';
  try {
    assertPrefix(prefix);
  } catch (error) {
    throw new UsageError(`--prefix: ${error instanceof Error ? error.message : String(error)}`);
  }
  const sample = intFlag(args, 'sample', 200, { min: 1, max: 100_000 });
  const top = intFlag(args, 'top', 5, { min: 0, max: 1000 });

  const topology = await connectTopology(url);
  try {
    const report = await inspectRedis(topology, { prefix, sample, top });
    if (report.totals.keys === 0)
      throw new UsageError(
        `no botcache keys under prefix '${prefix}' at ${redactUrl(url)} (wrong --prefix?)`,
      );
    console.log(
      args.switches.has('json')
        ? JSON.stringify(report, null, 2)
        : formatInspectReport(report, redactUrl(url)),
    );
    return EXIT_OK;
  } finally {
    await topology.close();
  }
}
