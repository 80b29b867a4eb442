#!/usr/bin/env node
/**
 * The `botcache` command line. Commands live in their own folders and are imported when chosen, so
 * `botcache demo` never loads node-redis or the benchmark runner. This file only routes and turns
 * errors into exit codes: 2 and one line for a user's mistake, 1 for a failure.
 */
import { createRequire } from 'node:module';
import { isCommand, printHelp } from './help.js';
import { EXIT_FAILURE, EXIT_USAGE, UsageError } from './usage-error.js';

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'demo':
      return (await import('./demo/run-demo.js')).runDemo(rest);
    case 'inspect':
      return (await import('./inspect/run-inspect.js')).runInspect(rest);
    case 'bench':
      return (await import('./bench/run-bench.js')).runBench(rest);
    case 'dashboard':
      return (await import('./dashboard/run-dashboard.js')).runDashboard(rest);
    case '--version':
    case '-v':
      // package.json sits two levels up from both src/cli/main.ts and dist/cli/main.js.
      console.log((createRequire(import.meta.url)('../../package.json') as { version: string }).version);
      return 0;
    case undefined:
    case '--help':
    case '-h':
      return printHelp();
    case 'help': {
      const topic = rest[0];
      if (topic === undefined) return printHelp();
      if (!isCommand(topic)) throw new UsageError(`help: unknown command '${topic}' (try 'botcache help')`);
      return printHelp(topic);
    }
    default:
      throw new UsageError(`unknown command '${command}' (try 'botcache help')`);
  }
}

// Exits explicitly: a driver's reconnect timer left behind by a failed connection must not keep a
// finished command alive. stdout and stderr are synchronous for files and pipes on Linux and macOS.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`botcache: ${error.message}`);
      process.exit(EXIT_USAGE);
    }
    // A failure of botcache itself: one line; BOTCACHE_DEBUG=1 adds the stack for a bug report.
    const message = error instanceof Error ? error.message : String(error);
    console.error(`botcache: ${message}`);
    if (process.env.BOTCACHE_DEBUG === '1' && error instanceof Error) console.error(error.stack);
    process.exit(EXIT_FAILURE);
  },
);
