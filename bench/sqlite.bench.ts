/**
 * SqliteStore get/set against better-sqlite3 used directly and against Keyv + @keyv/sqlite, all on a
 * WAL file with synchronous=NORMAL, in the same run.
 * Run: npx tsx bench/sqlite.bench.ts [--quick]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Database from 'better-sqlite3';
import Keyv from 'keyv';
import { toKeyvStore } from '../src/keyv/index.js';
import { SqliteStore } from '../src/store/sqlite/index.js';
import {
  formatOps,
  type Measurement,
  machineLine,
  measure,
  measureSync,
  ratioTable,
  shuffledIndexes,
  writeResults,
} from './harness.js';

const quick = process.argv.includes('--quick');
const ENTRIES = 20_000;
const GETS = quick ? 20_000 : 200_000;
const SETS = quick ? 5_000 : 50_000;
const KEYV_OPS = quick ? 2_000 : 10_000; // @keyv/sqlite is ~100x slower: fewer rounds, same per-op figure

const dir = mkdtempSync(join(tmpdir(), 'botcache-sqlite-bench-'));
const keys = Array.from({ length: ENTRIES }, (_, i) => `${1_000_000_000_000_000_000n + BigInt(i)}`);
const values = keys.map((id) => ({
  id,
  username: `user${id.slice(-5)}`,
  global_name: 'A Bot User',
  discriminator: '0',
  avatar: 'a_1269e74af4df7417b13759eae50c83dc',
  bot: false,
  flags: 64,
}));
const order = shuffledIndexes(ENTRIES, Math.max(GETS, SETS));
const key = (i: number): string => keys[order[i]!]!;
const value = (i: number): object => values[order[i]!]!;

// ---- better-sqlite3 used directly: the floor (one table, prepared statements, JSON text) ----------
const raw = new Database(join(dir, 'raw.db'));
raw.pragma('journal_mode = WAL');
raw.pragma('synchronous = NORMAL');
raw.exec('CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
const rawGet = raw.prepare('SELECT value FROM kv WHERE key = ?').pluck();
const rawSet = raw.prepare(
  'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
);
raw.transaction(() => {
  for (let i = 0; i < ENTRIES; i++) rawSet.run(keys[i], JSON.stringify(values[i]));
})();

// ---- SqliteStore ------------------------------------------------------------------------------------
const store = new SqliteStore({ path: join(dir, 'store.db') });
await store.setMany(
  'users',
  keys.map((k, i) => [k, values[i]] as const),
);

// ---- Keyv + @keyv/sqlite (sqlite3, async), set to WAL + NORMAL like the others -----------------------
const keyvSqliteAdapter = new KeyvSqlite(`sqlite://${join(dir, 'keyv.db')}`);
await keyvSqliteAdapter.query('PRAGMA journal_mode = WAL');
await keyvSqliteAdapter.query('PRAGMA synchronous = NORMAL');
const keyvSqlite = new Keyv({ store: keyvSqliteAdapter, namespace: 'users' });
await keyvSqlite.setMany(keys.map((k, i) => ({ key: k, value: values[i] })));

// ---- Keyv over SqliteStore through the adapter ------------------------------------------------------
const adapterStore = new SqliteStore({ path: join(dir, 'adapter.db') });
const keyvOnStore = new Keyv({ store: toKeyvStore(adapterStore), namespace: 'users' });
await keyvOnStore.setMany(keys.map((k, i) => ({ key: k, value: values[i] })));

// ---- get ----------------------------------------------------------------------------------------------
const getRows: Measurement[] = [];
const rawGetSync = measureSync('better-sqlite3 direct get (sync)', GETS, (i) =>
  JSON.parse(rawGet.get(key(i)) as string),
);
getRows.push(rawGetSync);
getRows.push(
  await measure('better-sqlite3 direct get (awaited)', GETS, async (i) =>
    JSON.parse(rawGet.get(key(i)) as string),
  ),
);
const storeGet = await measure('SqliteStore get (awaited)', GETS, (i) => store.get('users', key(i)));
getRows.push(storeGet);
const batch = 100;
const many = await measure(`SqliteStore getMany x${batch}`, GETS / batch, (i) =>
  store.getMany(
    'users',
    Array.from({ length: batch }, (_, j) => key((i * batch + j) % GETS)),
  ),
);
getRows.push({ name: `SqliteStore getMany x${batch} (per key)`, opsPerSec: many.opsPerSec * batch });
const keyvGet = await measure('Keyv + @keyv/sqlite get', KEYV_OPS, (i) => keyvSqlite.get(key(i)), {
  warmup: 1_000,
});
getRows.push(keyvGet);
getRows.push(
  await measure('Keyv + toKeyvStore(SqliteStore) get', KEYV_OPS * 5, (i) => keyvOnStore.get(key(i))),
);

// ---- set ----------------------------------------------------------------------------------------------
const setRows: Measurement[] = [];
const rawSetSync = measureSync('better-sqlite3 direct upsert (sync, autocommit)', SETS, (i) =>
  rawSet.run(key(i), JSON.stringify(value(i))),
);
setRows.push(rawSetSync);
const storeSet = await measure('SqliteStore set (awaited, one transaction each)', SETS, (i) =>
  store.set('users', key(i), value(i)),
);
setRows.push(storeSet);
setRows.push(
  await measure('SqliteStore set with a parent index link', SETS, (i) =>
    store.set('members', key(i), value(i), { indexes: [{ by: 'guild', parent: `g${order[i]! % 50}` }] }),
  ),
);
const setMany = await measure(`SqliteStore setMany x${batch}`, SETS / batch, (i) =>
  store.setMany(
    'users',
    Array.from(
      { length: batch },
      (_, j) => [key((i * batch + j) % SETS), value((i * batch + j) % SETS)] as const,
    ),
  ),
);
setRows.push({ name: `SqliteStore setMany x${batch} (per entry)`, opsPerSec: setMany.opsPerSec * batch });
const keyvSet = await measure('Keyv + @keyv/sqlite set', KEYV_OPS, (i) => keyvSqlite.set(key(i), value(i)), {
  warmup: 1_000,
});
setRows.push(keyvSet);
setRows.push(
  await measure('Keyv + toKeyvStore(SqliteStore) set', KEYV_OPS * 2, (i) =>
    keyvOnStore.set(key(i), value(i)),
  ),
);

await store.close();
await adapterStore.close();
await keyvSqlite.disconnect();
raw.close();
rmSync(dir, { recursive: true, force: true });

const x = (a: Measurement, b: Measurement): string => `${(a.opsPerSec / b.opsPerSec).toFixed(2)}x`;
writeResults(
  'sqlite',
  `
## SqliteStore vs better-sqlite3 and Keyv + @keyv/sqlite (${ENTRIES.toLocaleString('en')} users, WAL file)

${machineLine()}. Every database is a file in WAL mode with synchronous=NORMAL; values are a ~200-byte
Discord user as JSON text; reads follow one fixed random key sequence.

### get
${ratioTable(getRows, rawGetSync)}

### set
${ratioTable(setRows, rawSetSync)}

- SqliteStore get vs better-sqlite3 direct: **${x(storeGet, rawGetSync)}** (${formatOps(storeGet.opsPerSec)} ops/s);
  vs Keyv + @keyv/sqlite: **${x(storeGet, keyvGet)}**.
- SqliteStore set vs better-sqlite3 direct: **${x(storeSet, rawSetSync)}**; vs Keyv + @keyv/sqlite: **${x(storeSet, keyvSet)}**.
- What SqliteStore adds per call: argument and JSON-value checks, the versioned envelope, expiry,
  per-namespace counts (triggers) and limits, and for set an explicit IMMEDIATE transaction.
  @keyv/sqlite goes through the asynchronous sqlite3 driver (a thread-pool hop per query).
`,
);
