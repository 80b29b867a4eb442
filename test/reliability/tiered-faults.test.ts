import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendError } from '../../src/errors/index.js';
import { RedisStore } from '../../src/store/redis/index.js';
import { DEFAULT_NEAR_MAX_AGE, TieredStore } from '../../src/store/tiered/index.js';
import { freePort, type RedisServer, startRedis } from '../support/redis-server.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `read` answers `expected`; resolves to how long it took, or rejects after `ms`. */
async function until(read: () => Promise<unknown>, expected: unknown, ms: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value === expected) return Date.now() - started;
    if (Date.now() - started > ms)
      throw new Error(`still ${String(value)} after ${ms} ms, expected ${String(expected)}`);
    await sleep(25);
  }
}

/** A TieredStore with its own far and invalidation connections, as one bot process has. */
function tiered(url: string, prefix: string, near: { maxAge?: number } = {}, password?: string): TieredStore {
  const store = new TieredStore({
    far: new RedisStore({ url, prefix, commandTimeout: 1000, ...(password ? { password } : {}) }),
    invalidation: { url, ...(password ? { password } : {}), reconnect: { initialDelay: 20, maxDelay: 100 } },
    near,
  });
  store.on('error', () => {});
  return store;
}

/** TieredStore under faults, on real redis-server processes (issue 17, items 1-3). */
describe('TieredStore under faults', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis({ args: ['--enable-debug-command', 'local'] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a write that timed out (server stalled past the timeout) still invalidates the other process', async () => {
    const a = tiered(server.url, 'stall');
    const b = tiered(server.url, 'stall');
    await Promise.all([a.open(), b.open()]);
    await a.set('users', 'k', 'old');
    expect(await b.get('users', 'k')).toBe('old');
    const hits = b.stats('users').hits;
    expect(await b.get('users', 'k')).toBe('old');
    expect(b.stats('users').hits).toBe(hits + 1); // B now answers from its near copy

    const admin = createClient({ url: server.url });
    await admin.connect();
    const stalled = admin.sendCommand(['DEBUG', 'SLEEP', '1.5']);
    await sleep(50);
    const write = await a.set('users', 'k', 'new').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(write).toBeInstanceOf(BackendError);
    expect((write as Error).message).toMatch(/outcome is unknown/);
    await stalled;
    await admin.close();

    // Redis applied the write after its sleep; B must stop serving 'old' well before the maxAge bound.
    expect(await new RedisStore({ url: server.url, prefix: 'stall' }).get('users', 'k')).toBe('new');
    const took = await until(() => b.get('users', 'k'), 'new', 5000);
    expect(took).toBeLessThan(DEFAULT_NEAR_MAX_AGE);
    await Promise.all([a.close(), b.close()]);
  }, 20_000);

  it('has a finite default staleness bound, and a write nobody announced is served at most that long', async () => {
    const defaults = tiered(server.url, 'bound');
    expect(defaults.nearMaxAge).toBe(DEFAULT_NEAR_MAX_AGE);
    expect(Number.isFinite(defaults.nearMaxAge)).toBe(true);
    await defaults.close();

    const b = tiered(server.url, 'bound', { maxAge: 1500 });
    await b.set('users', 'k', 'v1');
    expect(await b.get('users', 'k')).toBe('v1');
    // A writer that died between its write and its publish: the far store changes, nobody says so.
    const silent = new RedisStore({ url: server.url, prefix: 'bound' });
    await silent.set('users', 'k', 'v2');
    await silent.close();
    const started = Date.now();
    expect(await b.get('users', 'k')).toBe('v1');
    await until(() => b.get('users', 'k'), 'v2', 4000);
    expect(Date.now() - started).toBeLessThan(1500 + 1000);
    await b.close();
  });

  it('used without open(), writes succeed, are announced and are applied once', async () => {
    const a = tiered(server.url, 'lazy');
    const b = tiered(server.url, 'lazy');
    await b.open();
    await a.set('users', 'k', 'v1'); // A was never opened
    expect(await b.get('users', 'k')).toBe('v1');
    expect(await b.get('users', 'k')).toBe('v1'); // near copy filled
    await a.set('users', 'k', 'v2');
    await until(() => b.get('users', 'k'), 'v2', 2000);
    expect(a.nearCopyTrusted).toBe(true);
    await Promise.all([a.close(), b.close()]);
  });

  it('a write the far store applied resolves even when its invalidation cannot be published', async () => {
    const bus = await startRedis();
    try {
      const store = new TieredStore({
        far: new RedisStore({ url: server.url, prefix: 'nopub' }),
        invalidation: { url: bus.url, publishTimeout: 300 },
      });
      const errors: Error[] = [];
      store.on('error', (error) => errors.push(error));
      await store.open();
      const pid = Number((await bus.cli('INFO', 'server')).match(/process_id:(\d+)/)?.[1]);
      process.kill(pid, 'SIGSTOP');
      try {
        await store.set('users', 'k', 'applied'); // must not reject: the far store has it
        expect(await new RedisStore({ url: server.url, prefix: 'nopub' }).get('users', 'k')).toBe('applied');
        expect(errors.some((error) => /invalidation not delivered/.test(error.message))).toBe(true);
        const closing = Date.now();
        await store.close();
        expect(Date.now() - closing).toBeLessThan(1500); // close() bounded too
      } finally {
        process.kill(pid, 'SIGCONT');
      }
    } finally {
      await bus.stop();
    }
  });
});

describe('TieredStore.open() is bounded and names the reason', () => {
  let secured: RedisServer;
  beforeAll(async () => {
    secured = await startRedis({ password: 'tiered-right-pw' });
  });
  afterAll(async () => {
    await secured?.stop();
  });

  async function openOutcome(store: TieredStore): Promise<{ error: Error; took: number }> {
    store.on('error', () => {});
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<Error>((resolve) => {
      timer = setTimeout(() => resolve(new Error('open() did not settle within 8 s')), 8000);
    });
    const error = await Promise.race([
      store.open().then(
        () => new Error('open() succeeded'),
        (e: Error) => e,
      ),
      hang,
    ]);
    clearTimeout(timer);
    const took = Date.now() - started;
    await store.close();
    return { error, took };
  }

  it('an invalidation server on a closed port: rejects within connectTimeout, naming ECONNREFUSED', async () => {
    const port = await freePort();
    const { error, took } = await openOutcome(
      new TieredStore({
        far: new RedisStore({ url: secured.url, password: 'tiered-right-pw', prefix: 'tc' }),
        invalidation: { url: `redis://127.0.0.1:${port}`, connectTimeout: 1000 },
      }),
    );
    expect(error).toBeInstanceOf(BackendError);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(took).toBeLessThan(3000);
  });

  it('an invalidation server that does not answer (SIGSTOP): rejects at connectTimeout', async () => {
    const stopped = await startRedis();
    const pid = Number((await stopped.cli('INFO', 'server')).match(/process_id:(\d+)/)?.[1]);
    process.kill(pid, 'SIGSTOP');
    try {
      const { error, took } = await openOutcome(
        new TieredStore({
          far: new RedisStore({ url: secured.url, password: 'tiered-right-pw', prefix: 'tc' }),
          invalidation: { url: stopped.url, connectTimeout: 1000 },
        }),
      );
      expect(error).toBeInstanceOf(BackendError);
      expect(error.message).toMatch(/timed out after 1000 ms/);
      expect(took).toBeLessThan(3000);
    } finally {
      process.kill(pid, 'SIGCONT');
      await stopped.stop();
    }
  });

  it('a wrong invalidation password: rejects at once with WRONGPASS, never the password', async () => {
    const { error, took } = await openOutcome(
      new TieredStore({
        far: new RedisStore({ url: secured.url, password: 'tiered-right-pw', prefix: 'tc' }),
        invalidation: { url: secured.url, password: 'tiered-wrong-pw' },
      }),
    );
    expect(error).toBeInstanceOf(BackendError);
    expect(error.message).toMatch(/WRONGPASS/);
    expect(error.message).not.toContain('tiered-wrong-pw');
    expect(took).toBeLessThan(2500);
  });
});
