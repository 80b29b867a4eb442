/** A real clashofclans.js Client caching through cocStore(botcache store) against a local fake Clash API. */
import { Client } from 'clashofclans.js';
import { afterEach, describe, expect, it } from 'vitest';
import { COC_GROUP_LIMITS, cocGroupOf, cocStore } from '../../examples/clashofclans/coc-store.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { RedisStore } from '../../src/store/redis/index.js';
import type { Store } from '../../src/store/types.js';
import { type FakeClashApi, startFakeClashApi } from '../support/integrations-clash-api.js';
import { startRedis } from '../support/redis-server.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function clientOver(store: Store, api: FakeClashApi, limits?: Parameters<typeof cocStore>[1]) {
  return new Client({
    baseURL: api.url,
    keys: ['test-key'],
    cache: cocStore(store, limits),
    throttler: null,
  });
}

describe('clashofclans.js through cocStore', () => {
  it('routes paths to coc.py groups', () => {
    expect(cocGroupOf('/clans/%232PP')).toBe('clan');
    expect(cocGroupOf('/clans/%232PP/currentwar')).toBe('war');
    expect(cocGroupOf('/players/%23PY2')).toBe('player');
    expect(cocGroupOf('/locations')).toBe('static');
    expect(COC_GROUP_LIMITS.static.ttl).toBe(Number.POSITIVE_INFINITY);
  });

  for (const backend of ['memory', 'redis'] as const) {
    it(`answers repeated requests from the ${backend} store, one API call each`, async () => {
      const api = await startFakeClashApi();
      closers.push(() => api.close());
      let store: Store;
      if (backend === 'redis') {
        const server = await startRedis();
        closers.push(() => server.stop());
        store = new RedisStore({ url: server.url });
      } else {
        store = new MemoryStore();
      }
      closers.push(() => store.close());
      const client = await clientOver(store, api);
      for (let round = 0; round < 3; round += 1) {
        const clan = await client.rest.getClan('#2PP');
        expect(clan.body).toMatchObject({ tag: '#2PP', name: 'Clan #2PP' });
        expect((await client.rest.getCurrentWar('#2PP')).body).toMatchObject({ state: 'inWar' });
        expect((await client.rest.getPlayer('#PY2')).body).toMatchObject({ trophies: 5000 });
        expect((await client.rest.getLocations()).body).toMatchObject({ items: [{ name: 'Europe' }] });
      }
      expect(api.count('/clans/#2PP')).toBe(1);
      expect(api.count('/clans/#2PP/currentwar')).toBe(1);
      expect(api.count('/players/#PY2')).toBe(1);
      expect(api.count('/locations')).toBe(1);
      // Each group is its own namespace in the store.
      const namespaces = ['coc.clan', 'coc.war', 'coc.player', 'coc.static'];
      for (const ns of namespaces) {
        let keys = 0;
        for await (const _ of store.keys(ns)) keys += 1;
        expect(keys, ns).toBe(1);
      }
    });
  }

  it("keeps a group within its size bound and the API's max-age", async () => {
    const api = await startFakeClashApi(1);
    closers.push(() => api.close());
    const store = new MemoryStore();
    closers.push(() => store.close());
    const client = await clientOver(store, api, { player: { max: 3, ttl: 60_000 } });
    for (const tag of ['#P1', '#P2', '#P3', '#P4']) await client.rest.getPlayer(tag);
    await client.rest.getPlayer('#P1'); // evicted by the bound of 3: asked again
    expect(api.count('/players/#P1')).toBe(2);
    await client.rest.getClan('#2PP');
    await new Promise((resolve) => setTimeout(resolve, 1_300)); // past max-age=1
    await client.rest.getClan('#2PP');
    expect(api.count('/clans/#2PP')).toBe(2);
  });
});
