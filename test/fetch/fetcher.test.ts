import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EntryNotFound } from '../../src/errors/index.js';
import { Fetcher, LoaderError, markNotFound } from '../../src/fetch/index.js';
import { MemoryStore } from '../../src/store/index.js';

/** A manual clock: time moves only when the test says so. */
function manualClock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Fetcher', () => {
  let store: MemoryStore;
  beforeEach(() => {
    store = new MemoryStore();
  });
  afterEach(() => store.close());

  it('loads on a miss, stores the result and answers later calls from the cache', async () => {
    const fetcher = new Fetcher<{ id: string }>({ store, namespace: 'roles' });
    let calls = 0;
    const load = async () => {
      calls++;
      return { id: 'r1' };
    };
    expect(await fetcher.fetch('r1', load)).toEqual({ id: 'r1' });
    expect(await fetcher.fetch('r1', load)).toEqual({ id: 'r1' });
    expect(calls).toBe(1);
    expect(await store.get('roles', 'r1')).toEqual({ id: 'r1' });
    expect(fetcher.stats()).toMatchObject({ hits: 1, misses: 1, loads: 1 });
  });

  it('1000 concurrent fetches of one key make exactly one loader call', async () => {
    const fetcher = new Fetcher<number>({ store, namespace: 'clans' });
    let calls = 0;
    const load = async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return 42;
    };
    const answers = await Promise.all(Array.from({ length: 1000 }, () => fetcher.fetch('c', load)));
    expect(calls).toBe(1);
    expect(answers.every((a) => a === 42)).toBe(true);
    expect(fetcher.stats().coalesced).toBe(999);
  });

  it('different keys load independently', async () => {
    const fetcher = new Fetcher<string>({ store, namespace: 'users' });
    const loaded: string[] = [];
    await Promise.all(
      ['a', 'b', 'a', 'c'].map((k) =>
        fetcher.fetch(k, async () => {
          loaded.push(k);
          return k.toUpperCase();
        }),
      ),
    );
    expect(loaded.sort()).toEqual(['a', 'b', 'c']);
  });

  it('falsy results are values, not misses', async () => {
    const fetcher = new Fetcher<unknown>({ store, namespace: 'static' });
    for (const [key, value] of [
      ['zero', 0],
      ['empty', ''],
      ['no', false],
      ['nil', null],
    ] as const) {
      let calls = 0;
      const load = async () => {
        calls++;
        return value;
      };
      expect(await fetcher.fetch(key, load)).toBe(value);
      expect(await fetcher.fetch(key, load)).toBe(value);
      expect(calls).toBe(1);
    }
  });

  it('an absent entry raises EntryNotFound and is remembered for the negative TTL', async () => {
    const clock = manualClock();
    const timed = new MemoryStore({ clock });
    const fetcher = new Fetcher<string>({
      store: timed,
      namespace: 'channels',
      policy: { negativeTtl: '30s' },
      clock,
    });
    let calls = 0;
    const load = async () => {
      calls++;
      return undefined;
    };
    await expect(fetcher.fetch('ghost', load)).rejects.toThrow(EntryNotFound);
    await expect(fetcher.fetch('ghost', load)).rejects.toThrow(EntryNotFound);
    expect(calls).toBe(1);
    expect(fetcher.stats().negativeHits).toBe(1);
    clock.advance(31_000);
    await expect(fetcher.fetch('ghost', load)).rejects.toThrow(EntryNotFound);
    expect(calls).toBe(2);
    await timed.close();
  });

  it('a loader error tagged not-found counts as absence', async () => {
    const fetcher = new Fetcher<string>({ store, namespace: 'channels' });
    const load = async () => {
      throw markNotFound(new Error('Unknown Channel'));
    };
    const error = await fetcher.fetch('x', load).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntryNotFound);
    expect((error as EntryNotFound).key).toBe('x');
    expect(fetcher.stats().loadErrors).toBe(0);
  });

  it('negative caching can be turned off', async () => {
    const fetcher = new Fetcher<string>({ store, namespace: 'channels', policy: { negativeTtl: false } });
    let calls = 0;
    const load = async () => {
      calls++;
      return undefined;
    };
    await expect(fetcher.fetch('ghost', load)).rejects.toThrow(EntryNotFound);
    await expect(fetcher.fetch('ghost', load)).rejects.toThrow(EntryNotFound);
    expect(calls).toBe(2);
  });

  it('a loader error is raised as LoaderError with its cause, and nothing is cached', async () => {
    const fetcher = new Fetcher<string>({ store, namespace: 'roles' });
    const cause = new Error('HTTP 500');
    const error = await fetcher.fetch('r', async () => Promise.reject(cause)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoaderError);
    expect((error as LoaderError).cause).toBe(cause);
    expect(await store.has('roles', 'r')).toBe(false);
    expect(await fetcher.fetch('r', async () => 'ok')).toBe('ok');
    expect(fetcher.stats().loadErrors).toBe(1);
  });

  it('a load that takes too long times out and its signal is aborted', async () => {
    const fetcher = new Fetcher<string>({ store, namespace: 'roles', policy: { timeout: 50 } });
    let aborted = false;
    const load = ({ signal }: { signal: AbortSignal }) =>
      new Promise<string>((resolve) => {
        signal.addEventListener('abort', () => (aborted = true));
        setTimeout(() => resolve('late'), 500);
      });
    const started = Date.now();
    await expect(fetcher.fetch('r', load)).rejects.toThrow(/timed out after 50 ms/);
    expect(Date.now() - started).toBeLessThan(400);
    expect(aborted).toBe(true);
  });

  it('a per-call timeout overrides the policy', async () => {
    const fetcher = new Fetcher<string>({ store, namespace: 'roles' });
    const slow = () => new Promise<string>((resolve) => setTimeout(() => resolve('late'), 300));
    await expect(fetcher.fetch('r', slow, { timeout: 30 })).rejects.toThrow(LoaderError);
  });

  it('a caller that aborts gives up alone; the shared load still answers the others', async () => {
    const fetcher = new Fetcher<string>({ store, namespace: 'roles' });
    const load = () => new Promise<string>((resolve) => setTimeout(() => resolve('value'), 50));
    const controller = new AbortController();
    const impatient = fetcher.fetch('r', load, { signal: controller.signal });
    const patient = fetcher.fetch('r', load);
    controller.abort(new Error('user gave up'));
    await expect(impatient).rejects.toThrow('user gave up');
    expect(await patient).toBe('value');
  });

  it('an already aborted signal rejects at once', async () => {
    const fetcher = new Fetcher<string>({ store, namespace: 'roles' });
    let calls = 0;
    await expect(
      fetcher.fetch(
        'r',
        async () => {
          calls++;
          return 'x';
        },
        { signal: AbortSignal.abort(new Error('stop')) },
      ),
    ).rejects.toThrow('stop');
    expect(calls).toBe(0);
  });

  it('stale-while-revalidate serves the stale copy and refreshes once in the background', async () => {
    const clock = manualClock();
    const timed = new MemoryStore({ clock });
    const fetcher = new Fetcher<number>({
      store: timed,
      namespace: 'clans',
      clock,
      policy: { ttl: '1m', staleWhileRevalidate: '5m' },
    });
    let version = 0;
    const load = async () => ++version;
    expect(await fetcher.fetch('c', load)).toBe(1);
    clock.advance(30_000);
    expect(await fetcher.fetch('c', load)).toBe(1); // fresh
    clock.advance(60_000); // past 1 min: stale but within the window
    const answers = await Promise.all([fetcher.fetch('c', load), fetcher.fetch('c', load)]);
    expect(answers).toEqual([1, 1]);
    await tick();
    await tick();
    expect(version).toBe(2); // one background refresh
    expect(await fetcher.fetch('c', load)).toBe(2);
    clock.advance(7 * 60_000); // past fresh + window: gone, a plain miss
    expect(await fetcher.fetch('c', load)).toBe(3);
    expect(fetcher.stats().staleServed).toBe(2);
    await timed.close();
  });

  it('refresh-ahead reloads a hot entry before it expires', async () => {
    const clock = manualClock();
    const timed = new MemoryStore({ clock });
    const fetcher = new Fetcher<number>({
      store: timed,
      namespace: 'clans',
      clock,
      policy: { ttl: 60_000, refreshThreshold: 10_000 },
    });
    let version = 0;
    const load = async () => ++version;
    await fetcher.fetch('c', load);
    clock.advance(45_000);
    expect(await fetcher.fetch('c', load)).toBe(1);
    expect(version).toBe(1);
    clock.advance(10_000); // 5 s left: inside the threshold
    expect(await fetcher.fetch('c', load)).toBe(1);
    await tick();
    await tick();
    expect(version).toBe(2);
    clock.advance(30_000); // the original copy would have expired by now; the refreshed one has not
    expect(await fetcher.fetch('c', load)).toBe(2);
    await timed.close();
  });

  it('serveStaleOnError answers with the stale copy when the reload fails', async () => {
    const clock = manualClock();
    const timed = new MemoryStore({ clock });
    const fetcher = new Fetcher<string>({
      store: timed,
      namespace: 'roles',
      clock,
      policy: { ttl: '1m', serveStaleOnError: '10m' },
    });
    expect(await fetcher.fetch('r', async () => 'good')).toBe('good');
    clock.advance(2 * 60_000);
    expect(await fetcher.fetch('r', async () => Promise.reject(new Error('API down')))).toBe('good');
    expect(fetcher.stats()).toMatchObject({ loadErrors: 1, staleServed: 1 });
    clock.advance(20 * 60_000);
    await expect(fetcher.fetch('r', async () => Promise.reject(new Error('API down')))).rejects.toThrow(
      LoaderError,
    );
    await timed.close();
  });

  it('without serveStaleOnError a failed reload raises', async () => {
    const clock = manualClock();
    const timed = new MemoryStore({ clock });
    const fetcher = new Fetcher<string>({ store: timed, namespace: 'roles', clock, policy: { ttl: '1m' } });
    await fetcher.fetch('r', async () => 'good');
    clock.advance(2 * 60_000);
    await expect(fetcher.fetch('r', async () => Promise.reject(new Error('API down')))).rejects.toThrow(
      LoaderError,
    );
    await timed.close();
  });

  it('a stale copy the source now calls gone is removed', async () => {
    const clock = manualClock();
    const timed = new MemoryStore({ clock });
    const fetcher = new Fetcher<string>({
      store: timed,
      namespace: 'roles',
      clock,
      policy: { ttl: '1m', serveStaleOnError: true },
    });
    await fetcher.fetch('r', async () => 'good');
    clock.advance(2 * 60_000);
    await expect(fetcher.fetch('r', async () => undefined)).rejects.toThrow(EntryNotFound);
    expect(await timed.has('roles', 'r')).toBe(false);
    await timed.close();
  });

  it('force skips the cache; invalidate forgets value and absence', async () => {
    const fetcher = new Fetcher<number>({ store, namespace: 'clans' });
    let version = 0;
    const load = async () => ++version;
    await fetcher.fetch('c', load);
    expect(await fetcher.fetch('c', load, { force: true })).toBe(2);
    await fetcher.invalidate('c');
    expect(await store.has('clans', 'c')).toBe(false);
    expect(await fetcher.fetch('c', load)).toBe(3);
  });

  it('bad policy values are refused, naming the option', () => {
    expect(() => new Fetcher({ store, namespace: 'x', policy: { negativeTtl: -1 } })).toThrow(
      /fetch\.negativeTtl/,
    );
    expect(
      () => new Fetcher({ store, namespace: 'x', policy: { staleWhileRevalidate: '5 minutes' as '5m' } }),
    ).toThrow(/fetch\.staleWhileRevalidate/);
    expect(() => new Fetcher({ store, namespace: 'x', policy: { timeout: 0 } })).toThrow(/fetch\.timeout/);
  });
});
