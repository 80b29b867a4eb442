import keyvTestSuite, { keyvIteratorTests } from '@keyv/test-suite';
import Keyv from 'keyv';
import * as test from 'vitest';
import { toKeyvStore } from '../../src/keyv/index.js';
import { MemoryStore } from '../../src/store/index.js';

// The real @keyv/test-suite, unchanged, against the adapter over one shared MemoryStore.
const memory = new MemoryStore();
const store = () => toKeyvStore(memory);

keyvTestSuite(test, Keyv, store);
keyvIteratorTests(test, Keyv, store);
