import { afterEach, beforeEach, describe } from 'vitest';
import { type BotCache, createCache } from '../resources/create-cache.js';
import type { Store } from '../store/types.js';
import { sleep } from './context.js';
import { resourceBasicTests } from './resource-basic-tests.js';
import type { ResourceConformanceOptions, ResourceSuiteContext } from './resource-context.js';
import { resourceIterationTests } from './resource-iteration-tests.js';
import { resourceLimitTests } from './resource-limit-tests.js';
import { resourcePropertyTests } from './resource-property-tests.js';
import { resourceRelationTests } from './resource-relation-tests.js';
import { resourceTransactionTests } from './resource-transaction-tests.js';

let suiteRuns = 0;

/**
 * Registers the resource conformance suite with vitest: the resource caches must behave the same over
 * every store. Each test gets a fresh store; each cache it makes gets a namespace prefix of its own.
 *
 * @example
 * resourceConformance('MemoryStore', { create: () => new MemoryStore() });
 */
export function resourceConformance(
  name: string,
  options: ResourceConformanceOptions & { readonly propertyRuns?: number },
): void {
  const slack = options.ttlSlack ?? 0;
  const suiteId = `rc${(suiteRuns++).toString(36)}${Date.now().toString(36)}`;
  let current: Store | undefined;
  let caches: BotCache[] = [];
  let made = 0;
  const ctx: ResourceSuiteContext = {
    store: () => {
      if (!current) throw new Error('the conformance store is not created yet');
      return current;
    },
    cache: (cacheOptions = {}) => {
      const cache = createCache({
        ...cacheOptions,
        store: ctx.store(),
        namespacePrefix: `${suiteId}-${made++}`,
      });
      caches.push(cache);
      return cache;
    },
    waitPast: (ttl) => sleep(ttl + 40 + slack),
  };

  describe(`${name} resource conformance`, () => {
    beforeEach(async () => {
      current = await options.create();
      await current.open();
    });
    afterEach(async () => {
      for (const cache of caches) await cache.close();
      caches = [];
      await current?.close();
      current = undefined;
    });

    resourceBasicTests(ctx);
    resourceRelationTests(ctx);
    resourceLimitTests(ctx);
    resourceTransactionTests(ctx);
    resourceIterationTests(ctx);
    resourcePropertyTests(ctx, options.propertyRuns ?? 60);
  });
}
