/** The bounded stand-in for mezon-sdk's CacheManager, over the SDK's own Collection class. */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  BoundedManager,
  type SdkCollection,
} from '../../src/platforms/mezon/mezon-preset-bounded-manager.js';

// The SDK's own Collection (a Map with helpers), as mezon-sdk's CacheManager holds it.
const { default: Collection } = createRequire(import.meta.url)(
  'mezon-sdk/dist/cjs/mezon-client/utils/Collection.js',
) as {
  default: new () => SdkCollection<string>;
};

function manager(options: Partial<ConstructorParameters<typeof BoundedManager<string>>[1]> = {}) {
  const loads: string[] = [];
  const evicted: string[] = [];
  const bounded = new BoundedManager<string>(new Collection(), {
    max: 2,
    ttlMs: Number.POSITIVE_INFINITY,
    fetcher: async (id) => {
      loads.push(id);
      return `sdk:${id}`;
    },
    onEvict: (id) => evicted.push(id),
    ...options,
  });
  return { bounded, loads, evicted };
}

describe('BoundedManager', () => {
  it('evicts the least recently used, and a re-set of a present key evicts nothing', () => {
    const { bounded, evicted } = manager();
    bounded.set('a', 'A');
    bounded.set('b', 'B');
    bounded.set('b', 'B2'); // the SDK's CacheManager would evict 'a' here
    expect(bounded.size).toBe(2);
    bounded.get('a');
    bounded.set('c', 'C');
    expect([...bounded.cache.keys()]).toEqual(['a', 'c']);
    expect(evicted).toEqual(['b']);
  });

  it('shares one load between concurrent misses and asks the fallback first', async () => {
    const { bounded, loads } = manager({
      fallback: async (id) => (id === 'known' ? 'botcache:known' : undefined),
    });
    const [x, y] = await Promise.all([bounded.fetch('x'), bounded.fetch('x')]);
    expect([x, y]).toEqual(['sdk:x', 'sdk:x']);
    expect(loads).toEqual(['x']);
    expect(await bounded.fetch('known')).toBe('botcache:known');
    expect(loads).toEqual(['x']);
  });

  it('expires entries after ttlMs', async () => {
    const { bounded } = manager({ ttlMs: 30 });
    bounded.set('a', 'A');
    expect(bounded.get('a')).toBe('A');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(bounded.get('a')).toBeUndefined();
  });

  it('iterates a snapshot, so reading while iterating ends', () => {
    const { bounded } = manager();
    bounded.set('a', 'A');
    bounded.set('b', 'B');
    const seen: string[] = [];
    for (const value of bounded.values()) {
      seen.push(value);
      bounded.get(value.toLowerCase());
    }
    expect(seen).toEqual(['A', 'B']);
    expect(bounded.filter((v) => v === 'A').size).toBe(1);
  });
});
