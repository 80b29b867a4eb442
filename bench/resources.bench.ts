/**
 * Resource caches over a 100k-member guild: `members.get` (random users) and one full
 * `members.forGuild(id)` iteration, in memory and on Redis, with the raw store and lru-cache as anchors.
 * Run: npx tsx bench/resources.bench.ts
 */
import { LRUCache } from 'lru-cache';
import { createCache } from '../src/resources/index.js';
import { MemoryStore } from '../src/store/index.js';
import { RedisStore } from '../src/store/redis/index.js';
import type { Store } from '../src/store/types.js';
import { startRedis } from '../test/support/redis-server.js';
import {
  type Measurement,
  machineLine,
  measure,
  ratioTable,
  shuffledIndexes,
  writeResults,
} from './harness.js';

const MEMBERS = 100_000;
const GUILD = '81384788765712384';
const member = (i: number) => ({
  user: { id: `u${i}` },
  nick: `member ${i}`,
  roles: ['r1', 'r2'],
  joined_at: '2024-01-01T00:00:00Z',
});

async function fill(store: Store): Promise<ReturnType<typeof createCache>> {
  const cache = createCache({ store, namespacePrefix: 'bench' });
  await cache.open();
  for (let start = 0; start < MEMBERS; start += 1000) {
    await cache.transaction((tx) => {
      for (let i = start; i < start + 1000; i++) tx.members.set(GUILD, `u${i}`, member(i));
    });
  }
  return cache;
}

async function iterateOnce(name: string, iterable: AsyncIterable<unknown>): Promise<Measurement> {
  const start = process.hrtime.bigint();
  let n = 0;
  for await (const _ of iterable) n++;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (n !== MEMBERS) throw new Error(`${name}: iterated ${n} of ${MEMBERS}`);
  return { name, opsPerSec: n / seconds };
}

async function run(label: string, store: Store, gets: number): Promise<string> {
  const fillStart = process.hrtime.bigint();
  const cache = await fill(store);
  const fillSeconds = Number(process.hrtime.bigint() - fillStart) / 1e9;
  const order = shuffledIndexes(MEMBERS, gets);
  const ns = cache.members.ns;
  const rows: Measurement[] = [];
  rows.push(
    await measure(`${label}: store.get (raw)`, gets, (i) => store.get(ns, `{${GUILD}}:u${order[i]}`)),
  );
  rows.push(await measure(`${label}: members.get`, gets, (i) => cache.members.get(GUILD, `u${order[i]}`)));
  rows.push(await iterateOnce(`${label}: forGuild iteration (entries/s)`, cache.members.forGuild(GUILD)));
  rows.push(
    await iterateOnce(
      `${label}: store.indexEntries (raw, entries/s)`,
      store.indexEntries(ns, { by: 'guild', parent: GUILD }),
    ),
  );
  const count = await cache.members.forGuild(GUILD).count();
  await cache.close();
  return [
    ratioTable(rows, rows[0] as Measurement),
    '',
    `${label}: filled ${count} members in ${fillSeconds.toFixed(2)} s (transactions of 1000: ${(MEMBERS / fillSeconds / 1000).toFixed(1)} k members/s).`,
  ].join('\n');
}

const lru = new LRUCache<string, object>({ max: MEMBERS });
for (let i = 0; i < MEMBERS; i++) lru.set(`u${i}`, member(i));
const lruOrder = shuffledIndexes(MEMBERS, 200_000);
const anchor = await measure('lru-cache get (awaited)', 200_000, (i) => lru.get(`u${lruOrder[i]}`));

const sections = [`## Resources: a ${MEMBERS / 1000}k-member guild`, '', machineLine(), ''];
sections.push(ratioTable([anchor], anchor), '');
const memoryStore = new MemoryStore();
sections.push(await run('memory', memoryStore, 200_000), '');
await memoryStore.close();

const server = await startRedis();
try {
  const redisStore = new RedisStore({ url: server.url, prefix: 'bench' });
  sections.push(await run('redis', redisStore, 20_000), '');
  await redisStore.close();
} finally {
  await server.stop();
}
sections.push(
  'Ratios in each table are to its first row, measured in the same run. members.get awaits every call (one',
  'round trip each on Redis); iteration reads windows of 1000.',
);
writeResults('resources', sections.join('\n'));
process.exit(0);
