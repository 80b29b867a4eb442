import { intFlag, parseArgs } from '../args.js';
import { takeSnapshot } from '../cache-snapshot.js';
import { DemoBot } from '../demo/demo-bot.js';
import { SessionSimulator } from '../demo/session-simulator.js';
import { printHelp } from '../help.js';
import { ProgressBar } from '../progress-bar.js';
import { describeStore, openStore, parseStoreChoice } from '../store-option.js';
import { EXIT_OK } from '../usage-error.js';
import { serverUrl, startDashboardServer } from './dashboard-server.js';
import { SnapshotHistory } from './snapshot-history.js';

const SAMPLE_EVERY_MS = 1000;

/** `botcache dashboard`: a simulated bot fills a cache; a local page shows its numbers live. */
export async function runDashboard(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, {
    command: 'dashboard',
    values: ['store', 'port', 'rate', 'guilds', 'members', 'messages'],
    twoWord: { store: ['redis', 'sqlite'] },
  });
  if (args.switches.has('help')) return printHelp('dashboard');
  const choice = parseStoreChoice(args.values.get('store'));
  const port = intFlag(args, 'port', 7077, { min: 0, max: 65_535 });
  const rate = intFlag(args, 'rate', 20, { min: 0, max: 100_000 });
  const size = {
    guilds: intFlag(args, 'guilds', 5, { min: 1, max: 10_000 }),
    members: intFlag(args, 'members', 100, { min: 1, max: 100_000 }),
    messages: intFlag(args, 'messages', 2000, { min: 0, max: 10_000_000 }),
  };

  const store = await openStore(choice);
  const session = new SessionSimulator(size);
  const bot = new DemoBot(store, session);
  const history = new SnapshotHistory();
  const started = Date.now();
  let server: Awaited<ReturnType<typeof startDashboardServer>> | undefined;
  let sampler: NodeJS.Timeout | undefined;
  let ticker: NodeJS.Timeout | undefined;
  try {
    server = await startDashboardServer(
      {
        history,
        info: () => ({ store: describeStore(choice), startedAt: started, events: bot.activity.events, rate }),
      },
      port,
    );
    const progress = new ProgressBar('first session', session.totalEvents);
    for (const event of session.events()) {
      await bot.handle(event);
      if (bot.activity.events % 256 === 0) progress.update(bot.activity.events);
    }
    progress.finish();

    // Sampling is serialised: a slow store must not pile snapshots up behind each other.
    let sampling = false;
    const sample = async (): Promise<void> => {
      if (sampling) return;
      sampling = true;
      try {
        history.add(await takeSnapshot(bot.cache));
      } finally {
        sampling = false;
      }
    };
    await sample();
    sampler = setInterval(() => void sample().catch(reportOnce), SAMPLE_EVERY_MS);
    if (rate > 0) ticker = startLiveTraffic(bot, session, rate);
    console.log(`botcache dashboard: ${serverUrl(server)} (${describeStore(choice)}; Ctrl-C to stop)`);

    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    return EXIT_OK;
  } finally {
    clearInterval(sampler);
    clearInterval(ticker);
    const closing = server;
    if (closing) {
      const closed = new Promise((resolve) => closing.close(resolve));
      closing.closeAllConnections();
      await closed;
    }
    await bot.close();
    await store.close();
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
/** A failing store is reported once, not every second. */
function reportOnce(error: unknown): void {
  if (reported) return;
  reported = true;
  console.error(`dashboard: ${error instanceof Error ? error.message : String(error)}`);
}
