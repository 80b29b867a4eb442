/**
 * Fetch under races a busy bot meets: gateway events landing while a load runs, callers with their own
 * timeouts, an API that is down. Every case runs on a MemoryStore and on a real RedisStore.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EntryNotFound } from '../../src/errors/index.js';
import { Fetcher, LoaderError } from '../../src/fetch/index.js';
import { createCache } from '../../src/resources/index.js';
import { MemoryStore } from '../../src/store/index.js';
import { RedisStore } from '../../src/store/redis/index.js';
import type { Store } from '../../src/store/types.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';

type Channel = { id: string; guild_id: string; name: string };

/** A loader the test answers by hand: `started` resolves when it is called, `answer` settles it. */
function gatedLoader<T>() {
  let calls = 0;
  let onStart: () => void = () => {};
  let started = new Promise<void>((resolve) => (onStart = resolve));
  let settle: (value: T | undefined) => void = () => {};
  const signals: AbortSignal[] = [];
  const load = (signal: AbortSignal): Promise<T | undefined> => {
    calls++;
    signals.push(signal);
    onStart();
    return new Promise<T | undefined>((resolve) => {
      settle = resolve;
    });
  };
  return {
    load,
    get calls() {
      return calls;
    },
    signals,
    started: () => started,
    answer(value: T | undefined) {
      settle(value);
      started = new Promise<void>((resolve) => (onStart = resolve));
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let redis: RedisServer;
let n = 0;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

const stores: Array<[string, () => Promise<Store>]> = [
  ['memory', async () => new MemoryStore()],
  [
    'redis',
    async () => {
      const store = new RedisStore({ url: redis.url, prefix: `races${n++}` });
      await store.open();
      return store;
    },
  ],
];

describe.each(stores)('fetch races on %s', (_kind, makeStore) => {
  let store: Store;
  beforeEach(async () => {
    store = await makeStore();
  });
  afterEach(() => store.close());

  it('a CHANNEL_UPDATE (set) during a load wins over the load’s older answer', async () => {
    const gate = gatedLoader<Channel>();
    const cache = createCache({
      store,
      fetch: { channels: { loader: (_id, { signal }) => gate.load(signal) } },
    });
    const pending = cache.channels.fetch('c1');
    await gate.started();
    await cache.channels.set('c1', { id: 'c1', guild_id: 'g', name: 'renamed by the event' });
    gate.answer({ id: 'c1', guild_id: 'g', name: 'old REST answer' });
    expect((await pending).name).toBe('renamed by the event');
    expect((await cache.channels.get('c1'))?.name).toBe('renamed by the event');
    await cache.close();
  });

  it('a CHANNEL_DELETE during a load keeps the channel deleted', async () => {
    const gate = gatedLoader<Channel>();
    const cache = createCache({
      store,
      fetch: { channels: { loader: (_id, { signal }) => gate.load(signal) } },
    });
    // A cached channel being refreshed with force, and a channel not cached at all.
    await cache.channels.set('c1', { id: 'c1', guild_id: 'g', name: 'general' });
    const refresh = cache.channels.fetch('c1', { force: true });
    await gate.started();
    await cache.channels.delete('c1');
    gate.answer({ id: 'c1', guild_id: 'g', name: 'general' });
    await refresh;
    expect(await cache.channels.get('c1')).toBeUndefined();
    expect(await cache.channels.forGuild('g').count()).toBe(0);

    const miss = cache.channels.fetch('c2');
    await gate.started();
    await cache.channels.delete('c2');
    gate.answer({ id: 'c2', guild_id: 'g', name: 'gone meanwhile' });
    await miss;
    expect(await cache.channels.get('c2')).toBeUndefined();
    await cache.close();
  });

  it('a guild delete (cascade) during a channel load leaves no orphan channel', async () => {
    const gate = gatedLoader<Channel>();
    const cache = createCache({
      store,
      fetch: { channels: { loader: (_id, { signal }) => gate.load(signal) } },
    });
    await cache.guilds.set('g', { id: 'g' });
    await cache.channels.set('c0', { id: 'c0', guild_id: 'g', name: 'other' });
    const pending = cache.channels.fetch('c1');
    await gate.started();
    await cache.guilds.delete('g');
    gate.answer({ id: 'c1', guild_id: 'g', name: 'of a deleted guild' });
    await pending;
    expect(await cache.channels.get('c1')).toBeUndefined();
    await cache.close();
  });

  it('an invalidate() during a plain Fetcher load wins too', async () => {
    const fetcher = new Fetcher<number>({ store, namespace: 'scores' });
    const gate = gatedLoader<number>();
    const pending = fetcher.fetch('k', ({ signal }) => gate.load(signal));
    await gate.started();
    await fetcher.invalidate('k');
    gate.answer(1);
    expect(await pending).toBe(1);
    expect(await store.get('scores', 'k')).toBeUndefined();
  });

  it('each caller has its own timeout; the load is aborted only when nobody waits', async () => {
    const fetcher = new Fetcher<number>({ store, namespace: 'slow' });
    const gate = gatedLoader<number>();
    const load = ({ signal }: { signal: AbortSignal }) => gate.load(signal);
    const first = fetcher.fetch('k', load, { timeout: 100 }).catch((error: unknown) => error);
    await gate.started();
    const joiners = Array.from({ length: 99 }, () => fetcher.fetch('k', load, { timeout: 5_000 }));
    const quick = fetcher.fetch('k', load, { timeout: 100 });
    const t0 = Date.now();
    await expect(quick).rejects.toThrow(LoaderError);
    // generous margin for a loaded machine, far below the old 1.5 s of a shared timeout
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(String(await first)).toMatch(/timed out after 100 ms/);
    expect(gate.signals[0]?.aborted).toBe(false);
    gate.answer(7);
    expect(await Promise.all(joiners)).toEqual(Array(99).fill(7));
    expect(gate.calls).toBe(1);

    // Everybody leaves: then, and only then, the loader's signal fires.
    const alone = fetcher.fetch('other', load, { timeout: 50 });
    await gate.started();
    await expect(alone).rejects.toThrow(LoaderError);
    expect(gate.signals[1]?.aborted).toBe(true);
  });

  it('a caller’s own signal leaves alone; the last one to leave aborts the load', async () => {
    const fetcher = new Fetcher<number>({ store, namespace: 'signals' });
    const gate = gatedLoader<number>();
    const load = ({ signal }: { signal: AbortSignal }) => gate.load(signal);
    const a = new AbortController();
    const b = new AbortController();
    const pa = fetcher.fetch('k', load, { signal: a.signal });
    await gate.started();
    const pb = fetcher.fetch('k', load, { signal: b.signal });
    await sleep(10);
    a.abort(new Error('a left'));
    await expect(pa).rejects.toThrow('a left');
    expect(gate.signals[0]?.aborted).toBe(false);
    b.abort(new Error('b left'));
    await expect(pb).rejects.toThrow('b left');
    expect(gate.signals[0]?.aborted).toBe(true);
  });

  it('thirty fetches sharing one signal print no MaxListenersExceededWarning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const fetcher = new Fetcher<number>({ store, namespace: 'shared-signal' });
      const { signal } = new AbortController();
      const keys = Array.from({ length: 30 }, (_, i) => `k${i}`);
      const answers = await Promise.all(
        keys.map((key, i) => fetcher.fetch(key, () => sleep(20).then(() => i), { signal })),
      );
      expect(answers).toEqual(keys.map((_, i) => i));
      await sleep(10);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('timeouts above 2^31-1 ms, Infinity and 30d wait instead of failing after 1 ms', async () => {
    const fetcher = new Fetcher<number>({ store, namespace: 'long', policy: { timeout: '30d' } });
    for (const timeout of [undefined, Number.POSITIVE_INFINITY, 2 ** 31 + 10, '30d'] as const) {
      const pending = fetcher.fetch(`k${String(timeout)}`, () => sleep(80).then(() => 5), { timeout });
      expect(await pending).toBe(5);
    }
  });

  it('50 callers spread over 50 ms make one load however fast the loader answers', async () => {
    const fetcher = new Fetcher<number>({ store, namespace: 'spread', policy: { ttl: 60_000 } });
    let calls = 0;
    for (let round = 0; round < 10; round++) {
      const key = `r${round}`;
      const callers = Array.from({ length: 50 }, (_, i) =>
        sleep(i).then(() =>
          fetcher.fetch(key, async () => {
            calls++;
            return round;
          }),
        ),
      );
      expect(await Promise.all(callers)).toEqual(Array(50).fill(round));
    }
    expect(calls).toBe(10);
  });

  it('an API that is down is asked once per retry delay, not on every read', async () => {
    const fetcher = new Fetcher<number>({
      store,
      namespace: 'down',
      policy: { ttl: 50, staleWhileRevalidate: 60_000, serveStaleOnError: true, retryAfterError: 60_000 },
    });
    let calls = 0;
    let up = true;
    const load = async () => {
      calls++;
      if (!up) throw new Error('503');
      return calls;
    };
    expect(await fetcher.fetch('k', load)).toBe(1);
    up = false;
    await sleep(80);
    const answers: number[] = [];
    for (let i = 0; i < 200; i++) {
      answers.push(await fetcher.fetch('k', load));
      if (i % 20 === 0) await sleep(1);
    }
    expect(answers.every((a) => a === 1)).toBe(true);
    expect(calls).toBe(2); // the first load, then one failed refresh
  });

  it('serve-stale-on-error backs off too', async () => {
    const fetcher = new Fetcher<number>({
      store,
      namespace: 'down2',
      policy: { ttl: 50, serveStaleOnError: true, retryAfterError: 60_000 },
    });
    let calls = 0;
    const load = async () => {
      calls++;
      if (calls > 1) throw new Error('503');
      return 1;
    };
    expect(await fetcher.fetch('k', load)).toBe(1);
    await sleep(80);
    for (let i = 0; i < 200; i++) expect(await fetcher.fetch('k', load)).toBe(1);
    expect(calls).toBe(2);
  });

  it('a refresh that answers "gone" removes the stale copy', async () => {
    const fetcher = new Fetcher<number>({
      store,
      namespace: 'gone',
      policy: { ttl: 50, staleWhileRevalidate: 60_000 },
    });
    let calls = 0;
    const load = async () => (++calls === 1 ? 1 : undefined);
    expect(await fetcher.fetch('k', load)).toBe(1);
    await sleep(80);
    expect(await fetcher.fetch('k', load)).toBe(1); // stale, refresh starts
    await sleep(50);
    await expect(fetcher.fetch('k', load)).rejects.toThrow(EntryNotFound);
    for (let i = 0; i < 20; i++) await expect(fetcher.fetch('k', load)).rejects.toThrow(EntryNotFound);
    expect(calls).toBe(2);
  });

  it('a resource loader returning null or a string is refused clearly and never cached', async () => {
    let answer: unknown = null;
    const cache = createCache({
      store,
      fetch: { channels: { loader: async () => answer as Channel, negativeTtl: false } },
    });
    await expect(cache.channels.fetch('c1')).rejects.toThrow(EntryNotFound);
    answer = 'not a payload';
    const failure = await cache.channels.fetch('c1').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LoaderError);
    expect(String((failure as LoaderError).cause)).toMatch(/channels loader's result must be a plain object/);
    expect(await cache.channels.get('c1')).toBeUndefined();
    await cache.close();
  });

  it('a delete forgets a remembered absence: the next fetch asks the loader again', async () => {
    let exists = false;
    let calls = 0;
    const cache = createCache({
      store,
      fetch: {
        channels: {
          loader: async (id) => {
            calls++;
            return exists ? { id, guild_id: 'g', name: 'back' } : undefined;
          },
        },
      },
    });
    await expect(cache.channels.fetch('c1')).rejects.toThrow(EntryNotFound);
    await expect(cache.channels.fetch('c1')).rejects.toThrow(EntryNotFound);
    expect(calls).toBe(1);
    exists = true;
    await cache.channels.delete('c1');
    expect((await cache.channels.fetch('c1')).name).toBe('back');
    expect(calls).toBe(2);
    await cache.close();
  });

  it('background refresh errors of a resource reach onBackgroundError', async () => {
    const errors: Array<[unknown, string]> = [];
    let calls = 0;
    const cache = createCache({
      store,
      fetch: {
        channels: {
          ttl: 50,
          staleWhileRevalidate: 60_000,
          loader: async (id) => {
            if (++calls > 1) throw new Error('REST 500');
            return { id, guild_id: 'g', name: 'x' };
          },
          onBackgroundError: (error, key) => errors.push([error, key]),
        },
      },
    });
    await cache.channels.fetch('c1');
    await sleep(80);
    await cache.channels.fetch('c1');
    await sleep(50);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.[1]).toBe('c1');
    expect(String((errors[0]?.[0] as Error | undefined)?.cause)).toMatch(/REST 500/);
    await cache.close();
  });
});
