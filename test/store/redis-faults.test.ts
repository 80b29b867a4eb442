import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendError } from '../../src/errors/index.js';
import { RedisStore } from '../../src/store/redis/index.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A server killed mid-traffic: calls fail fast with BackendError, then the store recovers by itself. */
describe('RedisStore when the server goes away', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('fails with BackendError within the timeout while down, and recovers after a restart', async () => {
    const store = new RedisStore({
      url: server.url,
      prefix: 'fault',
      commandTimeout: 300,
      reconnect: { initialDelay: 20, maxDelay: 200 },
    });
    const events: string[] = [];
    store.on('error', () => events.push('error'));
    store.on('reconnecting', () => events.push('reconnecting'));
    store.on('ready', () => events.push('ready'));
    await store.set('users', 'u', 1);

    // traffic in flight while the server dies
    const inFlight = Array.from({ length: 200 }, (_, i) =>
      store.set('users', `k${i}`, i).then(
        () => 'ok',
        (e: unknown) => e,
      ),
    );
    await server.kill();
    for (const outcome of await Promise.all(inFlight)) {
      if (outcome !== 'ok') expect(outcome).toBeInstanceOf(BackendError);
    }

    // every kind of call fails fast (well inside the timeout) while the server is down
    const calls = [
      () => store.get('users', 'u'),
      () => store.getMany('users', ['u', 'v']),
      () => store.set('users', 'u', 2),
      () => store.count('users'),
      () => store.batch([{ type: 'delete', ns: 'users', key: 'u' }]),
    ];
    for (const call of calls) {
      const started = Date.now();
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendError);
      expect((error as BackendError).cause).toBeDefined();
      expect(Date.now() - started).toBeLessThan(600);
    }

    await server.restart();
    const deadline = Date.now() + 5000;
    let recovered = false;
    while (!recovered && Date.now() < deadline) {
      recovered = await store.set('users', 'u', 3).then(
        () => true,
        () => false,
      );
      if (!recovered) await sleep(50);
    }
    expect(recovered).toBe(true);
    expect(await store.get('users', 'u')).toBe(3);
    expect(events).toContain('reconnecting');
    expect(events.lastIndexOf('ready')).toBeGreaterThan(events.indexOf('reconnecting'));
    await store.close();
  });

  it('a store opened while the server is down fails open with BackendError and later calls fail fast', async () => {
    const down = await startRedis();
    await down.kill();
    const store = new RedisStore({ url: down.url, connectTimeout: 300, commandTimeout: 300 });
    const started = Date.now();
    await expect(store.open()).rejects.toThrow(BackendError);
    await expect(store.get('users', 'u')).rejects.toThrow(BackendError);
    expect(Date.now() - started).toBeLessThan(1500);
    await store.close();
    await down.stop();
  });

  it('a server that stops answering (SIGSTOP) makes calls time out with BackendError', async () => {
    const store = new RedisStore({ url: server.url, prefix: 'hang', commandTimeout: 250 });
    await store.set('users', 'u', 1);
    const pid = Number((await server.cli('INFO', 'server')).match(/process_id:(\d+)/)?.[1]);
    process.kill(pid, 'SIGSTOP');
    try {
      const started = Date.now();
      await expect(store.get('users', 'u')).rejects.toThrow(/timed out/);
      expect(Date.now() - started).toBeLessThan(800);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await store.close();
  });
});
