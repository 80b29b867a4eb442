import { afterEach, beforeEach, describe } from 'vitest';
import type { Store } from '../store/types.js';
import { basicTests } from './basic-tests.js';
import { batchTests } from './batch-tests.js';
import { type StoreConformanceOptions, type SuiteContext, sleep } from './context.js';
import { indexTests } from './index-tests.js';
import { iterationTests } from './iteration-tests.js';
import { keepAliveTests } from './keep-alive-tests.js';
import { lifecycleTests } from './lifecycle-tests.js';
import { limitTests } from './limit-tests.js';
import { ttlTests } from './ttl-tests.js';
import { valueSizeTests } from './value-size-tests.js';

/**
 * Registers the store conformance suite with vitest: every botcache store must pass it unchanged.
 * Call it at the top level of a test file.
 *
 * @example
 * storeConformance('MemoryStore', { create: () => new MemoryStore() });
 */
export function storeConformance(name: string, options: StoreConformanceOptions): void {
  const slack = options.ttlSlack ?? 0;
  let current: Store | undefined;
  const ctx: SuiteContext = {
    store: () => {
      if (!current) throw new Error('the conformance store is not created yet');
      return current;
    },
    waitPast: (ttl) => sleep(ttl + 40 + slack),
  };

  describe(`${name} store conformance`, () => {
    beforeEach(async () => {
      current = await options.create();
      await current.open();
    });
    afterEach(async () => {
      await current?.close();
      current = undefined;
    });

    basicTests(ctx);
    ttlTests(ctx);
    limitTests(ctx);
    indexTests(ctx);
    batchTests(ctx);
    keepAliveTests(ctx);
    iterationTests(ctx);
    lifecycleTests(ctx);
    valueSizeTests(ctx);
  });
}
