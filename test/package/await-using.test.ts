import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClosedClient, createCache, MemoryStore } from '../../src/index.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';

const dir = mkdtempSync(join(tmpdir(), 'botcache-using-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('await using', () => {
  it('closes a store when its scope ends', async () => {
    let kept: MemoryStore | undefined;
    {
      await using store = new MemoryStore();
      kept = store;
      await store.set('ns', 'k', { v: 1 });
      expect(await store.get('ns', 'k')).toEqual({ v: 1 });
    }
    await expect(kept.get('ns', 'k')).rejects.toBeInstanceOf(ClosedClient);
  });

  it('closes a createCache() result, and the store it created, when its scope ends', async () => {
    let keptCache: ReturnType<typeof createCache> | undefined;
    {
      await using cache = createCache();
      keptCache = cache;
      await cache.guilds.set('1', { id: '1' });
      expect(await cache.guilds.get('1')).toEqual({ id: '1' });
    }
    expect(keptCache.closed).toBe(true);
    await expect(keptCache.store.get('guilds', '1')).rejects.toBeInstanceOf(ClosedClient);
  });

  it('leaves a store the cache did not create open', async () => {
    await using store = new MemoryStore();
    {
      await using cache = createCache({ store });
      await cache.guilds.set('1', { id: '1' });
    }
    expect(await store.count('guilds')).toBe(1);
  });
});

describe('SqliteStore path', () => {
  it('creates the missing directories of its database file', async () => {
    const path = join(dir, 'data', 'nested', 'cache.db');
    {
      await using store = new SqliteStore({ path });
      await store.set('ns', 'k', { v: 1 });
    }
    await using again = new SqliteStore({ path });
    expect(await again.get('ns', 'k')).toEqual({ v: 1 });
  });
});
