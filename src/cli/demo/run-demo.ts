import { intFlag, parseArgs } from '../args.js';
import { takeSnapshot } from '../cache-snapshot.js';
import { printHelp } from '../help.js';
import { ProgressBar } from '../progress-bar.js';
import { measureFootprint } from '../store-footprint.js';
import { describeStore, openStore, parseStoreChoice } from '../store-option.js';
import { EXIT_OK } from '../usage-error.js';
import { DemoBot } from './demo-bot.js';
import { type DemoReport, formatDemoReport } from './demo-report.js';
import { SessionSimulator } from './session-simulator.js';

/** `botcache demo`: one simulated Mezon bot session into a cache, then what the cache did. */
export async function runDemo(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, {
    command: 'demo',
    values: ['store', 'guilds', 'members', 'messages'],
    switches: ['json'],
    twoWord: { store: ['redis', 'sqlite'] },
  });
  if (args.switches.has('help')) return printHelp('demo');
  const choice = parseStoreChoice(args.values.get('store'));
  const size = {
    guilds: intFlag(args, 'guilds', 20, { min: 1, max: 10_000 }),
    members: intFlag(args, 'members', 250, { min: 1, max: 100_000 }),
    messages: intFlag(args, 'messages', 10_000, { min: 0, max: 10_000_000 }),
  };
  const json = args.switches.has('json');

  const heapBefore = process.memoryUsage().heapUsed;
  const store = await openStore(choice);
  const session = new SessionSimulator(size);
  const bot = new DemoBot(store, session);
  try {
    // A previous demo run on a persistent store would otherwise be counted in this one.
    if (choice.kind !== 'memory') await clearDemoData(bot);
    const progress = new ProgressBar('simulating', session.totalEvents);
    const started = performance.now();
    for (const event of session.events()) {
      await bot.handle(event);
      if (bot.activity.events % 256 === 0) progress.update(bot.activity.events);
    }
    const seconds = (performance.now() - started) / 1000;
    progress.finish();

    const report: DemoReport = {
      store: describeStore(choice),
      size,
      seconds,
      eventsPerSecond: bot.activity.events / Math.max(seconds, 1e-6),
      activity: { ...bot.activity },
      userFetches: bot.cache.users.fetchStats(),
      apiCalls: session.apiCalls,
      snapshot: await takeSnapshot(bot.cache),
      footprint: await measureFootprint(choice, heapBefore),
    };
    console.log(json ? JSON.stringify(report, null, 2) : formatDemoReport(report));
    return EXIT_OK;
  } finally {
    await bot.close();
    await store.close();
  }
}

async function clearDemoData(bot: DemoBot): Promise<void> {
  const { cache } = bot;
  // Dependents first: users are kept alive by the members and messages that reference them.
  for (const resource of [
    cache.messages,
    cache.members,
    cache.users,
    cache.roles,
    cache.channels,
    cache.guilds,
  ])
    await resource.clear();
}
