/**
 * keepAlive through a TieredStore: the far store settles the expiry, and a near copy (here or in
 * another process) must never outlive it. An entry without expiry that takes a finite one is the case
 * where a copy could: those copies are dropped and announced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/redis/index.js';
import { TieredStore } from '../../src/store/tiered/index.js';
import type { BatchOp } from '../../src/store/types.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';

const TTL = 300;

function keepAlive(key: string, ttl: number): BatchOp {
  return {
    type: 'keepAlive',
    ns: 'users',
    key,
    ttl,
    whileReferenced: [{ ns: 'members', by: 'user', ttl: Number.POSITIVE_INFINITY }],
  };
}

async function eventually<T>(read: () => Promise<T>, want: T, ms = 5_000): Promise<T> {
  const until = Date.now() + ms;
  let last = await read();
  while (last !== want && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    last = await read();
  }
  return last;
}

describe('TieredStore keepAlive', () => {
  let server: RedisServer;
  let a: TieredStore;
  let b: TieredStore;

  beforeAll(async () => {
    server = await startRedis();
    const make = () =>
      new TieredStore({
        far: new RedisStore({ url: server.url, prefix: 'ka' }),
        invalidation: { url: server.url },
      });
    a = make();
    b = make();
    await Promise.all([a.open(), b.open()]);
  }, 30_000);

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await server?.stop();
  });

  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** Fills B's near copy and proves B answers from it: a far write nobody announces is not seen. */
  async function nearCopyIn(store: TieredStore, key: string, value: unknown): Promise<void> {
    await pause(100); // the announcement of the write that made `value` has reached every process
    expect(await store.get('users', key)).toEqual(value);
    const silent = new RedisStore({ url: server.url, prefix: 'ka' });
    const entry = await silent.getEntry('users', key);
    const options = entry?.expiresAt === undefined ? {} : { expiresAt: entry.expiresAt };
    await silent.set('users', key, { silent: true }, options);
    await silent.close();
    expect(await store.get('users', key)).toEqual(value);
  }

  it('near copies here and in another process go when the far entry takes an expiry', async () => {
    await a.set('users', 'u', { id: 'u' });
    await nearCopyIn(b, 'u', { id: 'u' });
    await nearCopyIn(a, 'u', { id: 'u' });

    expect(await a.batch([keepAlive('u', TTL)])).toEqual([true]);
    await pause(TTL + 100);
    expect(await a.get('users', 'u')).toBeUndefined();
    expect(await eventually(() => b.get('users', 'u'), undefined)).toBeUndefined();
  });

  it('a keepAlive that changes nothing, or can only remove the expiry, keeps the near copies', async () => {
    await a.set('users', 'v', { id: 'v' }, { ttl: 3_600_000 });
    await nearCopyIn(b, 'v', { id: 'v' });
    expect(await a.batch([keepAlive('v', 60_000)])).toEqual([false]); // a later expiry stays
    expect(await a.batch([keepAlive('v', Number.POSITIVE_INFINITY)])).toEqual([true]);
    expect((await a.getEntry('users', 'v'))?.expiresAt).toBeUndefined();
    await pause(100);
    expect(await b.get('users', 'v'), 'still the near copy').toEqual({ id: 'v' });
  });
});
