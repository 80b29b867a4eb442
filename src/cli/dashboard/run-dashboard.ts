import type { Server } from 'node:http';
import { assertPrefix } from '../../store/redis/key-layout.js';
import { redactUrl } from '../../store/redis/redis-options.js';
import { intFlag, type ParsedArgs, parseArgs } from '../args.js';
import { takeSnapshot } from '../cache-snapshot.js';
import { DemoBot } from '../demo/demo-bot.js';
import { SessionSimulator } from '../demo/session-simulator.js';
import { durationFlag } from '../duration-flag.js';
import { printHelp } from '../help.js';
import { connectTopology } from '../inspect/redis-topology.js';
import { ProgressBar } from '../progress-bar.js';
import { checkRedisUrl, describeStore, openStore, parseStoreChoice } from '../store-option.js';
import { EXIT_OK, UsageError } from '../usage-error.js';
import { attachedSample } from './attached-view.js';
import { serverUrl, startDashboardServer } from './dashboard-server.js';
import { DashboardHistory, type DashboardSample } from './dashboard-view.js';
import { demoSample } from './demo-view.js';

const DEMO_SAMPLE_EVERY_MS = 1000;

/** `botcache dashboard`: a live page of a real bot's shared Redis (--redis), or of a simulated bot. */
export async function runDashboard(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, {
    command: 'dashboard',
    values: ['store', 'port', 'rate', 'guilds', 'members', 'messages', 'redis', 'prefix', 'every'],
    twoWord: { store: ['redis', 'sqlite'] },
  });
  if (args.switches.has('help')) return printHelp('dashboard');
  const port = intFlag(args, 'port', 7077, { min: 0, max: 65_535 });
  if (args.values.has('redis')) {
    for (const demoOnly of ['store', 'rate', 'guilds', 'members', 'messages'])
      if (args.values.has(demoOnly))
        throw new UsageError(
          `dashboard: --${demoOnly} is for the demo; with --redis the page shows the real bot`,
        );
    return runAttached(args, port);
  }
  for (const attachedOnly of ['prefix', 'every'])
    if (args.values.has(attachedOnly)) throw new UsageError(`dashboard: --${attachedOnly} needs --redis URL`);
  return runDemo(args, port);
}

/** Attached: every interval, one read-only sample of the shared Redis and of the processes' published stats. */
async function runAttached(args: ParsedArgs, port: number): Promise<number> {
  const url = checkRedisUrl(args.values.get('redis') as string);
  const prefix = args.values.get('prefix') ?? 'botcache';
  try {
    assertPrefix(prefix);
  } catch (error) {
    throw new UsageError(`--prefix: ${error instanceof Error ? error.message : String(error)}`);
  }
  const every = durationFlag(args.values.get('every'), '--every', 2000, 500);
  const topology = await connectTopology(url);
  const source = `${topology.cluster ? 'Redis Cluster' : 'Redis'} at ${redactUrl(url)} (prefix ${prefix}, read-only)`;
  const history = new DashboardHistory();
  return serveUntilSignal(
    history,
    port,
    () => attachedSample(topology, prefix, source),
    every,
    async () => {
      await topology.close();
    },
    source,
  );
}

/** Demo: a simulated bot fills its own cache and keeps it busy. */
async function runDemo(args: ParsedArgs, port: number): Promise<number> {
  const choice = parseStoreChoice(args.values.get('store'));
  const rate = intFlag(args, 'rate', 20, { min: 0, max: 100_000 });
  const size = {
    guilds: intFlag(args, 'guilds', 5, { min: 1, max: 10_000 }),
    members: intFlag(args, 'members', 100, { min: 1, max: 100_000 }),
    messages: intFlag(args, 'messages', 2000, { min: 0, max: 10_000_000 }),
  };
  const store = await openStore(choice);
  const session = new SessionSimulator(size);
  const bot = new DemoBot(store, session);
  let ticker: NodeJS.Timeout | undefined;
  try {
    const progress = new ProgressBar('first session', session.totalEvents);
    for (const event of session.events()) {
      await bot.handle(event);
      if (bot.activity.events % 256 === 0) progress.update(bot.activity.events);
    }
    progress.finish();
    if (rate > 0) ticker = startLiveTraffic(bot, session, rate);
    const source = `demo bot on ${describeStore(choice)}`;
    return await serveUntilSignal(
      new DashboardHistory(),
      port,
      async () => demoSample(await takeSnapshot(bot.cache), source),
      DEMO_SAMPLE_EVERY_MS,
      async () => {
        clearInterval(ticker);
      },
      source,
    );
  } finally {
    clearInterval(ticker);
    await bot.close();
    await store.close();
  }
}

/**
 * Takes a first sample, serves the page, samples every `every` ms (serialised: a slow server must not
 * pile samples up behind each other) until SIGINT/SIGTERM, then closes everything.
 */
async function serveUntilSignal(
  history: DashboardHistory,
  port: number,
  sample: () => Promise<DashboardSample>,
  every: number,
  cleanup: () => Promise<void>,
  source: string,
): Promise<number> {
  let server: Server | undefined;
  let sampler: NodeJS.Timeout | undefined;
  try {
    history.add(await sample());
    server = await startDashboardServer(() => history.view(), port);
    let sampling = false;
    sampler = setInterval(() => {
      if (sampling) return;
      sampling = true;
      sample()
        .then((s) => history.add(s), reportOnce)
        .finally(() => {
          sampling = false;
        });
    }, every);
    console.log(`botcache dashboard: ${serverUrl(server)} (${source}; Ctrl-C to stop)`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    return EXIT_OK;
  } finally {
    clearInterval(sampler);
    const closing = server;
    if (closing) {
      const closed = new Promise((resolve) => closing.close(resolve));
      closing.closeAllConnections();
      await closed;
    }
    await cleanup();
  }
}

/** Keeps the bot busy: every 100 ms, a tenth of a second's worth of events, applied in order. */
function startLiveTraffic(bot: DemoBot, session: SessionSimulator, rate: number): NodeJS.Timeout {
  const traffic = session.traffic(Number.POSITIVE_INFINITY);
  let busy = false;
  let owed = 0;
  return setInterval(() => {
    // At most a second of backlog: a slow store slows the bot down rather than queueing forever.
    owed = Math.min(owed + rate / 10, rate);
    if (busy) return;
    busy = true;
    void (async () => {
      try {
        while (owed >= 1) {
          owed--;
          const next = traffic.next();
          if (next.done) return;
          await bot.handle(next.value);
        }
      } catch (error) {
        reportOnce(error);
      } finally {
        busy = false;
      }
    })();
  }, 100);
}

let reported = false;
/** A failing store or server is reported once, not every second. */
function reportOnce(error: unknown): void {
  if (reported) return;
  reported = true;
  console.error(`dashboard: ${error instanceof Error ? error.message : String(error)}`);
}
