import { assertPrefix } from '../../store/redis/key-layout.js';
import { redactUrl } from '../../store/redis/redis-options.js';
import { intFlag, parseArgs } from '../args.js';
import { durationFlag } from '../duration-flag.js';
import { printHelp } from '../help.js';
import { checkRedisUrl } from '../store-option.js';
import { EXIT_OK, UsageError } from '../usage-error.js';
import { formatInspectReport } from './format-inspect.js';
import { inspectRedis } from './inspect-redis.js';
import { connectTopology } from './redis-topology.js';
import { watchInspect } from './watch-inspect.js';

/** `botcache inspect <redis-url>`: what a Redis holds under a botcache prefix, read-only. */
export async function runInspect(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, {
    command: 'inspect',
    values: ['prefix', 'sample', 'top', 'every'],
    switches: ['json', 'watch'],
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

  const watch = args.switches.has('watch');
  if (watch && args.switches.has('json'))
    throw new UsageError('inspect: --watch draws a screen; use --json without it');
  if (!watch && args.values.has('every')) throw new UsageError('inspect: --every needs --watch');
  const every = watch ? durationFlag(args.values.get('every'), '--every', 2000, 500) : 0;

  const topology = await connectTopology(url);
  try {
    if (watch) {
      await watchInspect(topology, { prefix, sample, top }, redactUrl(url), every);
      return EXIT_OK;
    }
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
