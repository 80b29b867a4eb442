import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from '../args.js';
import { table } from '../format.js';
import { printHelp } from '../help.js';
import { checkRedisUrl } from '../store-option.js';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../usage-error.js';
import { type BenchSection, mainRatios, parseBenchResults, shortSection } from './bench-results.js';
import { type EphemeralRedis, startEphemeralRedis } from './ephemeral-redis.js';

/**
 * Where bench/ lives: beside src/ or dist/ in a checkout (the built CLI may sit in a chunk at dist/'s
 * root, so look upwards); undefined in an installed package, which ships no benchmarks.
 */
function findBenchDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 5; up++) {
    if (existsSync(join(dir, 'bench', 'run.ts')) && isBotcacheRoot(dir)) return join(dir, 'bench/');
    dir = dirname(dir);
  }
  return undefined;
}

/** Only botcache's own checkout: never a user's project that happens to have a bench/run.ts. */
function isBotcacheRoot(dir: string): boolean {
  try {
    return (
      (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name === 'botcache'
    );
  } catch {
    return false;
  }
}

/** The benchmarks in bench/, by the names `--only` takes (`memory-store.bench.ts` is `memory`). */
function benchNames(benchDir: string): string[] {
  return readdirSync(benchDir)
    .filter((file) => file.endsWith('.bench.ts'))
    .map((file) => file.replace(/(-store)?\.bench\.ts$/, ''));
}

/** `botcache bench`: runs bench/run.ts, then prints the comparison table (or JSON) from RESULTS.md. */
export async function runBench(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, { command: 'bench', values: ['only', 'redis'], switches: ['quick', 'json'] });
  if (args.switches.has('help')) return printHelp('bench');
  const benchDir = findBenchDir();
  if (benchDir === undefined)
    throw new UsageError('bench runs from a botcache checkout (no bench/run.ts found); run it in a clone');
  const runner = `${benchDir}run.ts`;
  const only = args.values.get('only');
  if (only !== undefined && !/^[a-z0-9-]+(,[a-z0-9-]+)*$/.test(only))
    throw new UsageError(`--only must be comma-separated bench names, e.g. memory,redis (got '${only}')`);
  const names = benchNames(benchDir);
  const unknown = (only?.split(',') ?? []).filter((name) => !names.includes(name));
  if (unknown.length > 0)
    throw new UsageError(`--only: no benchmark named ${unknown.join(', ')} (there are ${names.join(', ')})`);
  const quick = args.switches.has('quick');
  // A quick run writes beside the checkout's scratch files, never over the committed full results.
  const outDir = quick ? join(benchDir, '..', '.tmp', 'bench-quick/') : benchDir;
  const json = args.switches.has('json');
  const given = args.values.get('redis');

  let redis: EphemeralRedis | undefined;
  let redisUrl = given === undefined ? undefined : checkRedisUrl(given);
  if (redisUrl === undefined) {
    redis = await startEphemeralRedis().catch((error: unknown) => {
      // Benches without Redis still run; those that need it report the missing server themselves.
      console.error(
        `bench: no Redis for the Redis benchmarks (${error instanceof Error ? error.message : error})`,
      );
      return undefined;
    });
    redisUrl = redis?.url;
  }
  let status: number;
  try {
    const runArgs = [...(quick ? ['--quick'] : []), ...(only ? [`--only=${only}`] : [])];
    // The runner's progress and tables go to stderr under --json, so stdout is only the JSON.
    status = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', runner, ...runArgs], {
        stdio: ['ignore', json ? 2 : 1, 2],
        env: { ...process.env, ...(redisUrl ? { BOTCACHE_BENCH_REDIS_URL: redisUrl } : {}) },
      });
      child.once('error', reject);
      child.once('exit', (code) => resolve(code ?? EXIT_FAILURE));
    });
  } finally {
    await redis?.stop();
  }

  const resultsFile = `${outDir}RESULTS.md`;
  const sections = existsSync(resultsFile) ? parseBenchResults(readFileSync(resultsFile, 'utf8')) : [];
  if (json) {
    console.log(
      JSON.stringify(
        {
          ok: status === 0,
          results: resultsFile,
          chart: `${outDir}ratios.svg`,
          sections,
          ratios: mainRatios(sections),
        },
        null,
        2,
      ),
    );
  } else {
    console.log(`\n${comparisonTable(sections)}\n\nwritten: ${resultsFile}, ${outDir}ratios.svg`);
  }
  if (status !== 0) console.error(`bench: the benchmark run failed (exit code ${status})`);
  return status === 0 ? EXIT_OK : EXIT_FAILURE;
}

/** One table over every section: each case with its ratio to the anchor of its own table. */
function comparisonTable(sections: readonly BenchSection[]): string {
  const rows = sections.flatMap((section) =>
    section.tables.flatMap((t) =>
      t.rows.map((row) => [
        clip(shortSection(section.title), 24),
        `${t.title === section.title ? '' : `${t.title}: `}${row.case}`,
        row.opsPerSec,
        `${row.ratio.toFixed(2)}x`,
        t.anchor,
      ]),
    ),
  );
  const headlines = mainRatios(sections)
    .filter((h) => h.goal !== undefined)
    .map(
      (h) =>
        `  ${h.ratio >= (h.goal ?? 0) ? 'ok  ' : 'MISS'} ${h.ratio.toFixed(2)}x (goal ${h.goal}x)  ${h.label}`,
    );
  return [
    table(['section', 'case', 'ops/s', 'ratio', 'ratio to'], rows, [0, 1, 4]),
    ...(headlines.length > 0 ? ['', 'goals:', ...headlines] : []),
  ].join('\n');
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
