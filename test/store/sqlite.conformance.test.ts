import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { storeConformance } from '../../src/conformance/index.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';

storeConformance('SqliteStore (:memory:)', { create: () => new SqliteStore({ path: ':memory:' }) });

const dir = mkdtempSync(join(tmpdir(), 'botcache-sqlite-conformance-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A fresh file per test: every test starts from an empty database, as the suite requires.
storeConformance('SqliteStore (file, WAL)', {
  create: () => new SqliteStore({ path: join(dir, `store-${files++}.db`) }),
});
