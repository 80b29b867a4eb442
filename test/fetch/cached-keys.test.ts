/** cached(): a namespace per function, faithful argument keys, and one behaviour for every result. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cached } from '../../src/fetch/index.js';
import { MemoryStore } from '../../src/store/index.js';
import { RedisStore } from '../../src/store/redis/index.js';
import type { Store } from '../../src/store/types.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';

/** Wraps a function that records its calls, so a test sees which arguments reached it. */
function counting<A extends unknown[]>() {
  const calls: A[] = [];
  const fn = async (...args: A) => {
    calls.push(args);
    return calls.length;
  };
  return { calls, fn };
}

describe('cached() groups', () => {
  it('two unnamed functions without a group get a namespace each', async () => {
    const store = new MemoryStore();
    const getUser = cached(async (id: string) => ({ kind: 'user', id }), { store });
    const getChannel = cached(async (id: string) => ({ kind: 'channel', id }), { store });
    expect(getUser.group).not.toBe(getChannel.group);
    expect(await getUser('1')).toEqual({ kind: 'user', id: '1' });
    expect(await getChannel('1')).toEqual({ kind: 'channel', id: '1' });
  });

  it('two functions of the same name get a namespace each; one function wrapped twice keeps its own', () => {
    const store = new MemoryStore();
    const a = async function load(id: string) {
      return id;
    };
    const b = async function load(id: string) {
      return id.toUpperCase();
    };
    const first = cached(a, { store });
    expect(first.group).toBe('load');
    expect(cached(b, { store }).group).toBe('load.2');
    expect(cached(a, { store }).group).toBe('load');
  });

  it('a group given on purpose is shared', async () => {
    const store = new MemoryStore();
    const one = counting<[string]>();
    const viaA = cached(one.fn, { store, group: 'players' });
    const viaB = cached(async (_tag: string) => -1, { store, group: 'players' });
    expect(await viaA('#P')).toBe(1);
    expect(await viaB('#P')).toBe(1); // answered from the shared group
  });
});

describe('cached() keys', () => {
  it('tells null, undefined, missing arguments, NaN, Infinity and -Infinity apart', async () => {
    const { calls, fn } = counting<unknown[]>();
    const f = cached(fn, { store: new MemoryStore(), group: 'k1' });
    const argLists: unknown[][] = [
      [null],
      [undefined],
      [],
      [1],
      [1, undefined],
      [1, null],
      [Number.NaN],
      [Number.POSITIVE_INFINITY],
      [Number.NEGATIVE_INFINITY],
      ['null'],
      ['1'],
      [1n],
    ];
    const answers = [];
    for (const args of argLists) answers.push(await f(...args));
    expect(new Set(answers).size).toBe(argLists.length);
    for (const args of argLists) await f(...args);
    expect(calls).toHaveLength(argLists.length);
  });

  it('two different Maps (and Sets, Dates) are two keys; equal ones are one', async () => {
    const { calls, fn } = counting<unknown[]>();
    const f = cached(fn, { store: new MemoryStore(), group: 'k2' });
    expect(await f(new Map([['a', 1]]))).toBe(1);
    expect(await f(new Map([['b', 2]]))).toBe(2);
    expect(
      await f(
        new Map([
          ['b', 2],
          ['a', 1],
        ]),
      ),
    ).toBe(3);
    expect(
      await f(
        new Map([
          ['a', 1],
          ['b', 2],
        ]),
      ),
    ).toBe(3);
    expect(await f(new Set([1, 2]))).toBe(4);
    expect(await f(new Set([2, 1]))).toBe(4);
    expect(await f(new Date(0))).toBe(5);
    expect(await f(new Date(1))).toBe(6);
    expect(calls).toHaveLength(6);
  });

  it('{a, b} and {b, a} share one key (one load)', async () => {
    const { calls, fn } = counting<[Record<string, number>]>();
    const f = cached(fn, { store: new MemoryStore(), group: 'k3' });
    expect(await f({ a: 1, b: 2 })).toBe(1);
    expect(await f({ b: 2, a: 1 })).toBe(1);
    expect(await f({ a: 1, b: 3 })).toBe(2);
    expect(calls).toHaveLength(2);
  });

  it('refuses arguments it cannot key faithfully, naming them', async () => {
    class Client {
      token = 'x';
    }
    const f = cached(async (_x: unknown) => 1, { store: new MemoryStore(), group: 'k4' });
    await expect(f(new Client())).rejects.toThrow(/argument 1 .*instance of Client.*`key` option/);
    await expect(f({ nested: () => 1 })).rejects.toThrow(/argument 1\.nested .*a function/);
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    await expect(f(loop)).rejects.toThrow(/circular/);
    await expect(f(Symbol('s'))).rejects.toThrow(/a symbol/);
  });
});

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

describe.each([
  ['memory', async (): Promise<Store> => new MemoryStore()],
  [
    'redis',
    async (): Promise<Store> => {
      const store = new RedisStore({ url: redis.url, prefix: `cached${Date.now()}` });
      await store.open();
      return store;
    },
  ],
])('cached() results on %s', (_kind, makeStore) => {
  it('a result that is not JSON is refused plainly on every call, and nothing is kept', async () => {
    const store = await makeStore();
    let calls = 0;
    const f = cached(
      async () => {
        calls++;
        return { at: new Date(0) };
      },
      { store, group: 'dates' },
    );
    for (let i = 0; i < 3; i++) {
      const error = await f().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect(String(error)).toMatch(/result\.at is an instance of Date.*JSON/);
    }
    expect(calls).toBe(3); // nothing was kept, so each call asked again and was refused again
    expect(await store.count('dates')).toBe(0);
    await store.close();
  });

  it('the first result is as frozen as the cached ones', async () => {
    const store = await makeStore();
    const roles = cached(async (_clan: string) => ({ names: ['b', 'a'] }), { store, group: 'roles' });
    for (let i = 0; i < 3; i++) {
      const answer = await roles('c');
      expect(Object.isFrozen(answer)).toBe(true);
      expect(() => answer.names.sort()).toThrow(TypeError);
      expect(answer.names).toEqual(['b', 'a']);
    }
    await store.close();
  });
});
