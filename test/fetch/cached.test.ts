import { describe, expect, it } from 'vitest';
import { collect } from '../../src/conformance/context.js';
import { cached, LoaderError } from '../../src/fetch/index.js';
import { MemoryStore } from '../../src/store/index.js';

interface Role {
  id: string;
  title: string;
}

/** Stands in for the SDK's REST call the Mezon docs wrap in a hand-written TTLCache. */
function fakeListRoles() {
  const calls: string[] = [];
  const listRoles = async (clanId: string): Promise<Role[]> => {
    calls.push(clanId);
    await new Promise((resolve) => setTimeout(resolve, 5));
    return [{ id: `${clanId}-admin`, title: 'admin' }];
  };
  return { calls, listRoles };
}

describe('cached()', () => {
  it('answers repeated calls from the cache, keyed by the arguments', async () => {
    const { calls, listRoles } = fakeListRoles();
    const getRoles = cached(listRoles, { group: 'roles', ttl: '5m', store: new MemoryStore() });
    expect(await getRoles('1')).toEqual([{ id: '1-admin', title: 'admin' }]);
    expect(await getRoles('1')).toEqual([{ id: '1-admin', title: 'admin' }]);
    expect(await getRoles('2')).toEqual([{ id: '2-admin', title: 'admin' }]);
    expect(calls).toEqual(['1', '2']);
    expect(getRoles.stats()).toMatchObject({ hits: 1, misses: 2, loads: 2 });
  });

  it('concurrent calls with the same arguments share one call (no double loads)', async () => {
    const { calls, listRoles } = fakeListRoles();
    const getRoles = cached(listRoles, { group: 'roles', store: new MemoryStore() });
    await Promise.all(Array.from({ length: 50 }, () => getRoles('1')));
    expect(calls).toEqual(['1']);
  });

  it('the group stays within max (no unbounded growth)', async () => {
    const store = new MemoryStore();
    const { listRoles } = fakeListRoles();
    const getRoles = cached(listRoles, { group: 'roles', max: 10, store });
    for (let i = 0; i < 40; i++) await getRoles(String(i));
    expect(await store.count('roles')).toBe(10);
  });

  it('expires results after the ttl', async () => {
    const { calls, listRoles } = fakeListRoles();
    const getRoles = cached(listRoles, { group: 'roles', ttl: 60, store: new MemoryStore() });
    await getRoles('1');
    await new Promise((resolve) => setTimeout(resolve, 120));
    await getRoles('1');
    expect(calls).toEqual(['1', '1']);
  });

  it('falsy results are cached as values', async () => {
    let calls = 0;
    const count = cached(
      async (_id: string) => {
        calls++;
        return 0;
      },
      { group: 'counts', store: new MemoryStore() },
    );
    expect(await count('a')).toBe(0);
    expect(await count('a')).toBe(0);
    expect(calls).toBe(1);
  });

  it('undefined results are answered as undefined and remembered for the negative ttl', async () => {
    let calls = 0;
    const find = cached(
      async (_id: string): Promise<Role | undefined> => {
        calls++;
        return undefined;
      },
      {
        group: 'find',
        negativeTtl: '30s',
        store: new MemoryStore(),
      },
    );
    expect(await find('nope')).toBeUndefined();
    expect(await find('nope')).toBeUndefined();
    expect(calls).toBe(1);
  });

  it('errors reach the caller as LoaderError with the cause, and are not cached', async () => {
    let fail = true;
    const flaky = cached(
      async (_id: string) => {
        if (fail) throw new Error('rate limited');
        return 'ok';
      },
      { group: 'flaky', store: new MemoryStore() },
    );
    const error = await flaky('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoaderError);
    expect(((error as LoaderError).cause as Error).message).toBe('rate limited');
    fail = false;
    expect(await flaky('x')).toBe('ok');
  });

  it('invalidate forgets one result; a custom key function picks what identifies a call', async () => {
    let calls = 0;
    const lookup = cached(
      async (clan: { id: string; name: string }) => {
        calls++;
        return clan.name;
      },
      {
        group: 'lookup',
        key: (clan) => clan.id,
        store: new MemoryStore(),
      },
    );
    await lookup({ id: '1', name: 'a' });
    expect(await lookup({ id: '1', name: 'b' })).toBe('a');
    await lookup.invalidate({ id: '1', name: 'ignored' });
    expect(await lookup({ id: '1', name: 'b' })).toBe('b');
    expect(calls).toBe(2);
  });

  it('long argument lists are hashed into short keys', async () => {
    const store = new MemoryStore();
    const echo = cached(async (text: string) => text.length, { group: 'echo', store });
    await echo('x'.repeat(5000));
    const [key] = await collect(store.keys('echo'));
    expect(key).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('works without a store (a shared MemoryStore) and names the group after the function', async () => {
    const listThings = async (n: number) => n * 2;
    const wrapped = cached(listThings);
    expect(wrapped.group).toBe('listThings');
    expect(await wrapped(21)).toBe(42);
  });

  it('refuses bad options, naming them', () => {
    const fn = async () => 1;
    expect(() => cached(fn, { group: 'bad group' })).toThrow(/group/);
    expect(() => cached(fn, { max: 0 })).toThrow(/max/);
    expect(() => cached(fn, { ttl: '-5m' as '5m' })).toThrow(/ttl/);
    expect(() => cached('nope' as unknown as typeof fn)).toThrow(TypeError);
  });
});
