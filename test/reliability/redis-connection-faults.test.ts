import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendError } from '../../src/errors/index.js';
import { RedisStore } from '../../src/store/redis/index.js';
import { freePort, type RedisServer, startRedis } from '../support/redis-server.js';

/** Resolves to how long a promise took to settle, or to `undefined` if it had not within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<number | undefined> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  const outcome = await Promise.race([
    promise.then(
      () => 'settled',
      () => 'settled',
    ),
    late,
  ]);
  clearTimeout(timer);
  return outcome === 'late' ? undefined : Date.now() - started;
}

/** The heap still reachable: a full collection first, so garbage does not count. */
function retainedHeap(): number {
  setFlagsFromString('--expose_gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

/** A rejection as one word: failed fast, timed out, or something else. */
function classify(error: unknown): string {
  if (!(error instanceof BackendError)) return 'other';
  if (/refused|offline|closed|Disconnects|connection was dropped/i.test(error.message)) return 'fast';
  return /timed out/.test(error.message) ? 'timeout' : 'other';
}

async function pidOf(server: RedisServer): Promise<number> {
  return Number((await server.cli('INFO', 'server')).match(/process_id:(\d+)/)?.[1]);
}

/** Connection faults on real redis-server processes: a black-holed server, refused handshakes (issue 17). */
describe('RedisStore connection faults', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('close() settles within the command timeout while the server is black-holed (SIGSTOP)', async () => {
    const store = new RedisStore({ url: server.url, prefix: 'closing', commandTimeout: 400 });
    store.on('error', () => {});
    await store.set('users', 'u', 1);
    const pid = await pidOf(server);
    process.kill(pid, 'SIGSTOP');
    try {
      const pending = [store.get('users', 'u'), store.set('users', 'v', 2)];
      for (const call of pending) call.catch(() => {});
      const took = await settlesWithin(store.close(), 3000);
      expect(took, 'close() did not settle while the server was stopped').toBeDefined();
      expect(took as number).toBeLessThan(1500);
      for (const call of pending) await expect(call).rejects.toBeInstanceOf(BackendError);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
  });

  it('bounds what waits for a black-holed server: calls beyond the in-flight limit fail fast, memory stays flat, the connection is replaced', async () => {
    const limit = 8 * 1024 * 1024;
    const store = new RedisStore({
      url: server.url,
      prefix: 'flood',
      commandTimeout: 300,
      maxInFlightBytes: limit,
      reconnect: { initialDelay: 20, maxDelay: 100 },
    });
    store.on('error', () => {});
    let reconnects = 0;
    store.on('reconnecting', () => reconnects++);
    await store.set('users', 'warm', 1);
    const payload = 'x'.repeat(100 * 1024);
    const pid = await pidOf(server);
    const heapBefore = retainedHeap();
    process.kill(pid, 'SIGSTOP');
    // Each outcome is kept as a word: a caller that dropped its errors holds nothing of the call.
    const outcomes: Promise<string>[] = [];
    try {
      // 3 s of 750 writes/s of 100 KB: 225 MB handed to a server that never answers.
      for (let tick = 0; tick < 60; tick++) {
        for (let i = 0; i < 37; i++) {
          const call = store.set('users', `k${tick}-${i}`, `${payload}${tick}-${i}`);
          outcomes.push(call.then(() => 'applied', classify));
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const settled = await Promise.all(outcomes);
      // Every call has been answered (rejected); what is still held now is held for the server.
      const growth = (retainedHeap() - heapBefore) / 1024 / 1024;
      const refused = settled.filter((outcome) => outcome === 'fast').length;
      expect(settled.filter((outcome) => outcome === 'applied' || outcome === 'other')).toEqual([]);
      console.log(
        `black-holed flood: ${settled.length} writes, ${refused} failed fast, heap retained ${growth.toFixed(0)} MB, ${reconnects} reconnects`,
      );
      expect(refused).toBeGreaterThan(settled.length / 2);
      // Unbounded, this holds 225 MB of arguments; bounded, about the limit plus garbage not yet collected.
      expect(growth).toBeLessThan(60);
      expect(reconnects).toBeGreaterThan(0);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    // Serves again once the server answers.
    const deadline = Date.now() + 5000;
    for (;;) {
      try {
        await store.set('users', 'after', 1);
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    expect(await store.get('users', 'after')).toBe(1);
    await store.close();
  }, 30_000);
});

describe('RedisStore.open() fails with the reason when no retry can fix it', () => {
  let secured: RedisServer;
  let tls: RedisServer;
  beforeAll(async () => {
    [secured, tls] = await Promise.all([
      startRedis({ password: 'right-horse-battery' }),
      startRedis({ tls: true }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([secured?.stop(), tls?.stop()]);
  });

  async function openFailure(store: RedisStore): Promise<{ error: Error; took: number }> {
    store.on('error', () => {});
    const started = Date.now();
    const error = (await store.open().then(
      () => new Error('open() succeeded'),
      (e: Error) => e,
    )) as Error;
    const took = Date.now() - started;
    await store.close();
    return { error, took };
  }

  it('a wrong password: WRONGPASS, at once, without the password', async () => {
    const url = `redis://default:wrong-secret-word@127.0.0.1:${secured.port}`;
    const { error, took } = await openFailure(new RedisStore({ url, connectTimeout: 5000 }));
    expect(error).toBeInstanceOf(BackendError);
    expect(error.message).toMatch(/WRONGPASS/);
    expect(error.message).not.toContain('wrong-secret-word');
    expect(took).toBeLessThan(2500);
  });

  it('a database the server does not have: the server’s reason, at once', async () => {
    const { error, took } = await openFailure(
      new RedisStore({ url: `${secured.url}/99`, password: 'right-horse-battery', connectTimeout: 5000 }),
    );
    expect(error).toBeInstanceOf(BackendError);
    expect(error.message).toMatch(/DB index is out of range/i);
    expect(took).toBeLessThan(2500);
  });

  it('a certificate that does not verify: the TLS reason, at once', async () => {
    // No CA given: the server's locally generated certificate cannot be verified.
    const { error, took } = await openFailure(new RedisStore({ url: tls.url, connectTimeout: 5000 }));
    expect(error).toBeInstanceOf(BackendError);
    expect(error.message).toMatch(/certificate|self.signed|verify/i);
    expect(took).toBeLessThan(2500);
  });

  it('a closed port still times out at connectTimeout, naming the last error', async () => {
    const port = await freePort();
    const { error, took } = await openFailure(
      new RedisStore({ url: `redis://127.0.0.1:${port}`, connectTimeout: 800 }),
    );
    expect(error).toBeInstanceOf(BackendError);
    expect(error.message).toMatch(/timed out after 800 ms/);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(took).toBeLessThan(2500);
  });
});
