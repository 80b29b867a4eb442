import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendError } from '../../src/errors/index.js';
import { RedisStore } from '../../src/store/redis/index.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';

/** A slow server and a connection cut mid-pipeline, on a real standalone server (issue 12). */
describe('RedisStore under server faults', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis({ args: ['--enable-debug-command', 'local'] });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('a server busy in DEBUG SLEEP makes calls fail with BackendError at the timeout, then works again', async () => {
    const store = new RedisStore({ url: server.url, prefix: 'slow', commandTimeout: 300 });
    await store.set('users', 'u', 1);
    const admin = createClient({ url: server.url });
    admin.on('error', () => {}); // the next test's CLIENT KILL must not surface it if this one fails early
    await admin.connect();
    const sleeping = admin.sendCommand(['DEBUG', 'SLEEP', '2']);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the server is now blocked

    const started = Date.now();
    const outcomes = await Promise.all([
      store.get('users', 'u').catch((e: unknown) => e),
      store.set('users', 'v', 2).catch((e: unknown) => e),
      store.getMany('users', ['u', 'v']).catch((e: unknown) => e),
    ]);
    const elapsed = Date.now() - started;
    for (const outcome of outcomes) {
      expect(outcome).toBeInstanceOf(BackendError);
      // The first call to time out drops the silent connection, which fails the others still queued in it.
      expect((outcome as Error).message).toMatch(/timed out after 300 ms|answered nothing for 300 ms/);
      expect((outcome as Error).message).toMatch(/the outcome is unknown/);
    }
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(1000); // well before the 2 s sleep ends: no hang

    await sleeping;
    await admin.close();
    // No answer for a whole timeout counts as a dead connection: the store dropped it and reconnects,
    // and serves again once the server wakes up.
    await retry(() => store.set('users', 'u', 3));
    expect(await store.get('users', 'u')).toBe(3);
    await store.close();
  });

  it('a connection cut mid-batch leaves the batch fully applied or rejected, never torn', async () => {
    const admin = createClient({ url: server.url });
    await admin.connect();
    for (let attempt = 0; attempt < 4; attempt++) {
      const prefix = `cut${attempt}`;
      const store = new RedisStore({
        url: server.url,
        prefix,
        commandTimeout: 2000,
        reconnect: { initialDelay: 10, maxDelay: 50 },
        // A max keeps a registry (namespaces without one have none): the batch writes all three kinds.
        namespaces: { members: { max: 1_000_000 } },
      });
      store.on('error', () => {});
      await store.open();
      const entries = Array.from(
        { length: 5000 },
        (_, i) =>
          [`{g1}:${i}`, { i, pad: 'x'.repeat(200) }, { indexes: [{ by: 'guild', parent: 'g1' }] }] as const,
      );
      const writing = store.setMany('members', entries).then(
        () => 'applied',
        (e: unknown) => e,
      );
      // Cut every client of this store while the big script call is being written or run.
      await new Promise((resolve) => setTimeout(resolve, attempt * 3));
      await admin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes']);
      const outcome = await writing;
      if (outcome !== 'applied') expect(outcome).toBeInstanceOf(BackendError);

      // Whatever the outcome, the server holds all 5000 entries with their index, or none of them.
      const values = Number(
        await admin.eval(
          "return #redis.call('KEYS', ARGV[1])", // test-side check only, on a throw-away server
          { keys: [], arguments: [`${prefix}:members:v:*`] },
        ),
      );
      const indexed = await admin.zCard(`${prefix}:members:i:guild:{g1}`);
      const registered = await admin.zCard(`${prefix}:members:r`);
      expect([0, 5000]).toContain(values);
      expect(indexed).toBe(values);
      expect(registered).toBe(values);
      if (outcome === 'applied') expect(values).toBe(5000);
      await store.close();
    }
    await admin.close();
  });
});

/** Retries a call for up to 3 s (a store that replaced a dead connection is back within moments). */
async function retry<T>(call: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 3000;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
