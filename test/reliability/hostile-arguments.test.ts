import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCache } from '../../src/resources/create-cache.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { RedisStore } from '../../src/store/redis/index.js';
import { TieredStore } from '../../src/store/tiered/index.js';
import type { Store } from '../../src/store/types.js';
import { MAX_TIMESTAMP } from '../../src/util/validate.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';

/** The error a call throws (synchronously or as a rejection), or undefined. */
async function errorOf(call: () => unknown): Promise<Error | undefined> {
  try {
    await call();
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

/** Bad arguments fail where they are given, with a message naming them (issue 17, items 10 and 11). */
describe('hostile arguments', () => {
  let server: RedisServer;
  let redis: RedisStore;
  const memory = new MemoryStore();
  beforeAll(async () => {
    server = await startRedis();
    redis = new RedisStore({ url: server.url, prefix: 'args' });
  });
  afterAll(async () => {
    await redis?.close();
    await memory.close();
    await server?.stop();
  });

  it.each([
    ['MemoryStore', () => memory],
    ['RedisStore', () => redis],
  ] as const)(
    '%s refuses a TTL whose expiry is past the latest Date, and later writes still work',
    async (_name, store: () => Store) => {
      const error = await errorOf(() =>
        store().set('users', 'far', { id: 1 }, { ttl: Number.MAX_SAFE_INTEGER }),
      );
      expect(error).toBeInstanceOf(RangeError);
      expect(error?.message).toMatch(/^options\.ttl must be/);
      expect(error?.message).not.toMatch(/expiresAt/);
      await store().set('users', 'far', { id: 1 }, { ttl: MAX_TIMESTAMP - Date.now() - 60_000 });
      await store().set('users', 'far', { id: 2 }, { ifExists: true });
      expect(await store().get('users', 'far')).toEqual({ id: 2 });
      const limit = await errorOf(() => store().configure('users', { ttl: 1e308 }));
      expect(limit).toBeInstanceOf(RangeError);
    },
  );

  it.each([
    ['MemoryStore', () => memory],
    ['RedisStore', () => redis],
  ] as const)('%s answers -0 as 0, like every JSON store', async (_name, store: () => Store) => {
    await store().set('users', 'zero', { n: -0, list: [-0] });
    await store().set('users', 'bare', -0);
    const got = (await store().get<{ n: number; list: number[] }>('users', 'zero')) as {
      n: number;
      list: number[];
    };
    expect(Object.is(got.n, 0)).toBe(true);
    expect(Object.is(got.list[0], 0)).toBe(true);
    expect(Object.is(await store().get('users', 'bare'), 0)).toBe(true);
  });

  it('a resource limit that is too long names the resource', async () => {
    const error = await errorOf(() =>
      createCache({ store: new MemoryStore(), limits: { members: { ttl: 1e308 } } }),
    );
    expect(error).toBeInstanceOf(RangeError);
    expect(error?.message).toMatch(/^limits\.members\.ttl /);
  });

  it.each([
    ['null options', () => new RedisStore(null as never), TypeError, /^options must be an object/],
    ['a number for url', () => new RedisStore({ url: 42 as never }), TypeError, /^url must be a string/],
    [
      'an empty url',
      () => new RedisStore({ url: '' }),
      TypeError,
      /^url is empty \(is an environment variable unset\?\)/,
    ],
    ['a url without a host', () => new RedisStore({ url: 'redis://' }), TypeError, /^url names no host/],
    [
      'an http url',
      () => new RedisStore({ url: 'http://x:6379' }),
      TypeError,
      /^url must start with redis:\/\//,
    ],
    [
      'a client that is not one',
      () => new RedisStore({ client: {} as never }),
      TypeError,
      /^client must be a node-redis client/,
    ],
    [
      'a commandTimeout no timer can hold',
      () => new RedisStore({ url: 'redis://h:1', commandTimeout: 2 ** 31 }),
      RangeError,
      /^commandTimeout must be .* up to 2147483647/,
    ],
    [
      'a connectTimeout no timer can hold',
      () => new RedisStore({ url: 'redis://h:1', connectTimeout: 1e10 }),
      RangeError,
      /^connectTimeout/,
    ],
    [
      'maxInFlight of 0',
      () => new RedisStore({ url: 'redis://h:1', maxInFlight: 0 }),
      RangeError,
      /^maxInFlight must be a positive integer/,
    ],
    [
      'an unparseable cluster seed',
      () => new RedisStore({ cluster: { rootNodes: ['redis://u:seed-secret@h:notaport'] } }),
      TypeError,
      /^cluster\.rootNodes\[0\] is not a URL/,
    ],
    [
      'an invalidation publishTimeout no timer can hold',
      () =>
        new TieredStore({
          far: new MemoryStore() as never,
          invalidation: { url: 'redis://h:1', publishTimeout: 2 ** 32 },
        }),
      RangeError,
      /^invalidation\.publishTimeout/,
    ],
    [
      'an empty invalidation url',
      () => new TieredStore({ far: new MemoryStore() as never, invalidation: { url: '' } }),
      TypeError,
      /^invalidation\.url is empty/,
    ],
  ] as const)('%s: fails at once with a message naming the option', async (_what, build, type, message) => {
    const error = await errorOf(build);
    expect(error).toBeInstanceOf(type);
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toMatch(/Cannot read|is not a function|seed-secret/);
    expect(JSON.stringify({ ...error, cause: String((error as { cause?: unknown })?.cause) })).not.toContain(
      'seed-secret',
    );
  });
});
