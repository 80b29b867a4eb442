import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EntryNotFound } from '../../src/errors/index.js';
import { Fetcher, LoaderError } from '../../src/fetch/index.js';
import { createCache } from '../../src/resources/index.js';
import { RedisStore } from '../../src/store/redis/index.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';

describe('fetch over a real RedisStore', () => {
  let redis: RedisServer;
  let store: RedisStore;
  let n = 0;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());
  beforeEach(async () => {
    store = new RedisStore({ url: redis.url, prefix: `fetch${n++}` });
    await store.open();
  });
  afterEach(() => store.close());

  it('1000 concurrent fetches of one key make exactly one loader call', async () => {
    const fetcher = new Fetcher<{ id: string }>({ store, namespace: 'roles' });
    let calls = 0;
    const load = async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 30));
      return { id: 'r' };
    };
    const answers = await Promise.all(Array.from({ length: 1000 }, () => fetcher.fetch('r', load)));
    expect(calls).toBe(1);
    expect(answers.every((a) => a.id === 'r')).toBe(true);
    expect(await store.get('roles', 'r')).toEqual({ id: 'r' });
  });

  it('negative answers are remembered in Redis for the negative ttl, then asked again', async () => {
    const fetcher = new Fetcher<string>({ store, namespace: 'channels', policy: { negativeTtl: 200 } });
    let calls = 0;
    const load = async () => {
      calls++;
      return undefined;
    };
    await expect(fetcher.fetch('ghost', load)).rejects.toThrow(EntryNotFound);
    await expect(fetcher.fetch('ghost', load)).rejects.toThrow(EntryNotFound);
    expect(calls).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(fetcher.fetch('ghost', load)).rejects.toThrow(EntryNotFound);
    expect(calls).toBe(2);
  });

  it('loader errors and aborts behave as in memory', async () => {
    const fetcher = new Fetcher<string>({ store, namespace: 'roles' });
    await expect(fetcher.fetch('x', async () => Promise.reject(new Error('500')))).rejects.toThrow(
      LoaderError,
    );
    const controller = new AbortController();
    const pending = fetcher.fetch(
      'y',
      () => new Promise((resolve) => setTimeout(() => resolve('late'), 100)),
      {
        signal: controller.signal,
      },
    );
    controller.abort(new Error('gave up'));
    await expect(pending).rejects.toThrow('gave up');
  });

  it('stale-while-revalidate over Redis serves the stale copy and refreshes it', async () => {
    const fetcher = new Fetcher<number>({
      store,
      namespace: 'clans',
      policy: { ttl: 100, staleWhileRevalidate: 5_000 },
    });
    let version = 0;
    const load = async () => ++version;
    expect(await fetcher.fetch('c', load)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await fetcher.fetch('c', load)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(version).toBe(2);
    expect(await fetcher.fetch('c', load)).toBe(2);
  });

  it('resource fetch writes the loaded entry with its relations into Redis', async () => {
    const cache = createCache({
      store,
      fetch: { channels: { loader: async (id) => ({ id, guild_id: 'g' }) } },
    });
    await cache.channels.fetch('c1');
    expect(await cache.channels.forGuild('g').count()).toBe(1);
    await cache.close();
  });
});
