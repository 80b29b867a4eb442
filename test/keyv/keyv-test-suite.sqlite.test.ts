import keyvTestSuite, { keyvIteratorTests } from '@keyv/test-suite';
import Keyv from 'keyv';
import * as test from 'vitest';
import { toKeyvStore } from '../../src/keyv/index.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';

// The real @keyv/test-suite, unchanged, against the adapter over one shared SqliteStore.
const sqlite = new SqliteStore();
const store = () => toKeyvStore(sqlite);

keyvTestSuite(test, Keyv, store);
keyvIteratorTests(test, Keyv, store);
