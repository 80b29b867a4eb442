import { EXIT_OK } from './usage-error.js';

export const COMMANDS = ['demo', 'inspect', 'bench', 'dashboard', 'help'] as const;
export type CommandName = (typeof COMMANDS)[number];

const OVERVIEW = `botcache: a cache standard for chat-bot SDKs (Mezon, Discord) and API clients

usage: botcache <command> [options]

commands:
  demo       simulate a Mezon bot session into a cache and show what the cache did
  inspect    show what a Redis holds for botcache: counts, memory, TTLs, largest guilds (read-only)
  bench      run the benchmark suite, print the comparison table, write bench/RESULTS.md and a chart
  dashboard  serve a live local web page of a cache's counts, hit rates and memory
  help       show this text, or 'botcache help <command>'

botcache --version prints the version.
exit codes: 0 ok, 1 failure, 2 usage error (bad option, bad URL, unreachable server)`;

const STORE = `  --store memory        the embedded in-memory store (default, no server needed)
  --store redis URL     a RedisStore, e.g. redis://127.0.0.1:6379 (keys under the 'botcache' prefix)
  --store sqlite PATH   a SqliteStore in the file PATH (needs better-sqlite3)`;

const HELP: Record<CommandName, string> = {
  demo: `usage: botcache demo [--store memory|redis URL|sqlite PATH] [--guilds N] [--members M] [--messages K] [--json]

Simulates a Mezon bot's gateway session: clans arrive at login with their channels, roles and users,
then messages flow with member churn and role edits. Every message is dispatched to plugins
(!whois, !clan, !roles and a per-message author lookup) that answer from the cache. Prints entities
per resource, hit rates, API fetches avoided, memory used and events/s.

options:
${STORE}
  --guilds N            clans at login (default 20)
  --members M           members per clan (default 250)
  --messages K          messages over the session (default 10000)
  --json                print the report as JSON (progress still goes to stderr)`,
  inspect: `usage: botcache inspect <redis-url> [--prefix P] [--sample N] [--top N] [--json | --watch [--every D]]

Shows what a Redis (standalone or Cluster) holds under a botcache key prefix: per resource the
entry count, memory (MEMORY USAGE of a sample of keys, scaled), the TTL distribution, and the
largest guilds by the size of their indexes. Strictly read-only: SCAN, TYPE, MEMORY USAGE, PTTL,
ZCARD, INFO and CLUSTER NODES; it never writes or deletes.

options:
  --prefix P            the store's key prefix (default 'botcache')
  --sample N            keys sampled per resource for memory and TTLs (default 200)
  --top N               largest guilds listed (default 5)
  --json                print the report as JSON
  --watch               redraw the report every interval, with each namespace's change, until Ctrl-C
  --every D             the --watch interval, e.g. 2s or 500ms (default 2s, at least 500ms)

exit code 2 when the server is unreachable or nothing lives under the prefix.`,
  bench: `usage: botcache bench [--quick] [--only NAMES] [--redis URL] [--json]

Runs every bench/*.bench.ts (one process each), prints the comparison tables (ratios against
lru-cache, Keyv + @keyv/redis, cache-manager, node-redis, redis-benchmark, measured in the same
run), writes bench/RESULTS.md and a bar chart of the headline ratios to bench/ratios.svg.
Benchmarks that need Redis get BOTCACHE_BENCH_REDIS_URL: the --redis URL, or a redis-server this
command starts on a free port and stops afterwards. Runs from a botcache checkout.

options:
  --quick               fewer iterations (what CI runs so the benchmarks never rot); written to
                        .tmp/bench-quick/, never over the committed bench/RESULTS.md
  --only NAMES          comma-separated bench names, e.g. memory,redis
  --redis URL           use this Redis instead of starting one
  --json                print the parsed results (sections, tables, ratios) as JSON`,
  dashboard: `usage: botcache dashboard --redis URL [--prefix P] [--every D] [--port P]
       botcache dashboard [--store memory|redis URL|sqlite PATH] [--port P] [--rate R] [--guilds N] [--members M] [--messages K]

Serves a local web page (http://127.0.0.1:P/) with per-namespace entry counts, hit rates, the bot
processes, and time series of hit rate, operations per second, ingest lag and memory.

With --redis, the page is attached to the shared Redis (or Cluster) a real bot uses, read-only (SCAN,
GET, PTTL, ZCARD, MEMORY USAGE, INFO): what Redis holds under the prefix (counts, memory, remaining TTLs,
largest guilds) and the live counters every bot process publishes there with publishStats().
Without --redis, the CLI fills a cache with a simulated bot session (same options as demo) and keeps
the bot busy at R events per second: a demo. Stop it with Ctrl-C.

options:
  --redis URL           attach to this Redis (redis://, rediss://; a Cluster node finds the others)
  --prefix P            the bot's key prefix (default botcache)
  --every D             how often Redis is read, e.g. 2s or 500ms (default 2s, at least 500ms)
${STORE}
  --port P              port to listen on, 127.0.0.1 only (default 7077; 0 picks a free one)
  --rate R              simulated events per second after the first session (default 20; 0: none)
  --guilds/--members/--messages   size of the first session (defaults 5, 100, 2000)`,
  help: `usage: botcache help [command]

Shows the overview, or one command's options. 'botcache <command> --help' does the same.`,
};

export function isCommand(name: string): name is CommandName {
  return (COMMANDS as readonly string[]).includes(name);
}

/** Prints a command's help (or the overview) on stdout; a help request is a success. */
export function printHelp(command?: CommandName): number {
  console.log(command === undefined ? OVERVIEW : HELP[command]);
  return EXIT_OK;
}
