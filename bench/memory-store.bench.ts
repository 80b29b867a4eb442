/**
 * MemoryStore get/set against lru-cache used directly and a plain Map, on 100k entries with a TTL.
 * Run: npx tsx bench/memory-store.bench.ts [--quick]
 */
import { LRUCache } from 'lru-cache';
import { MemoryStore } from '../src/index.js';
import { machineLine, measure, measureSync, ratioTable, shuffledIndexes, writeResults } from './harness.js';

const quick = process.argv.includes('--quick');
const ENTRIES = 100_000;
const OPS = quick ? 200_000 : 2_000_000;
const TTL = 3_600_000;

const keys = Array.from({ length: ENTRIES }, (_, i) => `${1_000_000_000_000_000_000n + BigInt(i)}`);
const values = keys.map((id) => ({
  id,
  username: `user${id.slice(-5)}`,
  discriminator: '0',
  avatar: null,
  bot: false,
}));
const order = shuffledIndexes(ENTRIES, OPS);

const lru = new LRUCache<string, object>({ max: ENTRIES, ttl: TTL });
const map = new Map<string, object>();
const store = new MemoryStore({ namespaces: { users: { max: ENTRIES, ttl: TTL } } });
for (let i = 0; i < ENTRIES; i++) {
  lru.set(keys[i]!, values[i]!);
  map.set(keys[i]!, values[i]!);
}
await store.setMany(
  'users',
  keys.map((key, i) => [key, values[i]] as const),
);

const key = (i: number): string => keys[order[i]!]!;

const gets = [
  measureSync('lru-cache get (sync, raw ceiling)', OPS, (i) => lru.get(key(i))),
  await measure('lru-cache get (awaited)', OPS, (i) => lru.get(key(i))),
  measureSync('Map get (sync)', OPS, (i) => map.get(key(i))),
  await measure('MemoryStore get (awaited)', OPS, (i) => store.get('users', key(i))),
  measureSync('MemoryStore getSync (sync)', OPS, (i) => store.getSync('users', key(i))),
  await measure('MemoryStore getMany x100 (per key)', OPS / 100, async (i) => {
    const batch = new Array<string>(100);
    for (let j = 0; j < 100; j++) batch[j] = key((i * 100 + j) % OPS);
    await store.getMany('users', batch);
  }).then((m) => ({ name: m.name, opsPerSec: m.opsPerSec * 100 })),
];
const sets = [
  measureSync('lru-cache set (sync)', OPS / 4, (i) => lru.set(key(i), values[order[i]!]!)),
  await measure('lru-cache set (awaited)', OPS / 4, (i) => lru.set(key(i), values[order[i]!]!)),
  await measure('MemoryStore set (awaited, copies + freezes)', OPS / 4, (i) =>
    store.set('users', key(i), values[order[i]!]),
  ),
];
await store.close();

const getAnchor = gets[0]!;
const awaitedAnchor = gets[1]!;
const storeGet = gets[3]!;
const storeGetSync = gets[4]!;
writeResults(
  'memory',
  `## MemoryStore vs lru-cache and Map (${ENTRIES.toLocaleString('en')} entries, TTL 1 h${quick ? ', --quick' : ''})

${machineLine()}. Random reads over all keys, every case reads the same key sequence.

### get
${ratioTable(gets, getAnchor)}

- MemoryStore \`get\` (the async Store contract) vs lru-cache awaited the same way:
  **${(storeGet.opsPerSec / awaitedAnchor.opsPerSec).toFixed(2)}x** (goal >= 0.8x).
- MemoryStore \`getSync\` vs the raw synchronous lru-cache call:
  **${(storeGetSync.opsPerSec / getAnchor.opsPerSec).toFixed(2)}x** (goal >= 0.8x).
- Any promise costs a microtask: an awaited lru-cache call runs at ${(awaitedAnchor.opsPerSec / getAnchor.opsPerSec).toFixed(2)}x of the synchronous one,
  which bounds every async cache API, ours included.

### set
${ratioTable(sets, sets[0]!)}`,
);
