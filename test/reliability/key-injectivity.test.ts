import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/redis/index.js';
import { assertPrefix, KeyLayout } from '../../src/store/redis/key-layout.js';
import { keySlot } from '../../src/store/redis/key-slot.js';
import { assertNamespace } from '../../src/util/validate.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';

/** One thing a RedisStore can store, described by everything that names it. */
type Place =
  | { readonly prefix: string; readonly kind: 'value' | 'links'; readonly ns: string; readonly key: string }
  | {
      readonly prefix: string;
      readonly kind: 'index';
      readonly ns: string;
      readonly by: string;
      readonly key: string;
    }
  | { readonly prefix: string; readonly kind: 'registry'; readonly ns: string }
  | { readonly prefix: string; readonly kind: 'lock'; readonly key: string };

function redisKey(place: Place): string {
  const layout = new KeyLayout(place.prefix);
  switch (place.kind) {
    case 'value':
      return layout.value(place.ns, place.key);
    case 'links':
      return layout.links(place.ns, place.key);
    case 'index':
      return layout.index(place.ns, { by: place.by, parent: place.key });
    case 'registry':
      return layout.registry(place.ns);
    case 'lock':
      return layout.lock(place.key);
  }
}

/** Characters that make trouble in keys: separators, braces, the tag marker, globs, unicode. */
const tricky = fc.constantFrom(
  ':',
  '{',
  '}',
  '#',
  '-',
  '*',
  '?',
  '[',
  'v',
  'l',
  'i',
  'r',
  'a',
  'b',
  'é',
  '🙂',
  '\u0000',
);
const trickyText = (minLength: number) =>
  fc.oneof(
    fc.array(tricky, { minLength, maxLength: 8 }).map((chars) => chars.join('')),
    fc.string({ minLength, maxLength: 8 }),
  );
const valid = <T>(arbitrary: fc.Arbitrary<T>, check: (value: T) => void) =>
  arbitrary.filter((value) => {
    try {
      check(value);
      return true;
    } catch {
      return false;
    }
  });
const prefix = valid(
  fc.oneof(fc.constantFrom('a', 'a-b', 'botcache', 'x#y', 'p*'), trickyText(1)),
  assertPrefix,
);
const ns = valid(fc.oneof(fc.constantFrom('b', 'v', 'lock', 'r', 'users', 'a.b', '_x'), trickyText(1)), (n) =>
  assertNamespace(n),
);
const key = fc.oneof(fc.constantFrom('k', '{k}', '#{k}', 'v:{k}', '{a}b}', 'a}b', '{}k'), trickyText(1));
const place: fc.Arbitrary<Place> = fc.oneof(
  fc.record({ prefix, kind: fc.constantFrom('value' as const, 'links' as const), ns, key }),
  fc.record({ prefix, kind: fc.constant('index' as const), ns, by: ns, key }),
  fc.record({ prefix, kind: fc.constant('registry' as const), ns }),
  fc.record({ prefix, kind: fc.constant('lock' as const), key }),
);

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe('the Redis key layout is injective (issue 17, items 6 and 7)', () => {
  it('no two distinct (prefix, namespace, kind, key) map to one Redis key', () => {
    console.log(`key-injectivity seed ${SEED} (rerun with FUZZ_SEED=${SEED})`);
    fc.assert(
      fc.property(fc.array(place, { minLength: 2, maxLength: 40 }), (places) => {
        const seen = new Map<string, string>();
        for (const p of places) {
          const id = JSON.stringify(p);
          const k = redisKey(p);
          const before = seen.get(k);
          if (before !== undefined && before !== id) throw new Error(`${before} and ${id} both map to ${k}`);
          seen.set(k, id);
        }
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('the pairs that used to collide are apart', () => {
    const layout = new KeyLayout('a');
    expect(layout.value('users', 'k')).not.toBe(layout.value('users', '{k}'));
    expect(layout.lock('x')).not.toBe(new KeyLayout('a').value('lock', '{x}'));
    expect(() => assertPrefix('a:b')).toThrow(RangeError);
  });

  it('an entry, its link set and its parent index share one Cluster slot', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,20}$/), fc.stringMatching(/^[0-9]{1,20}$/), (guild, user) => {
        const layout = new KeyLayout('botcache');
        const member = `{${guild}}:${user}`;
        const slot = keySlot(layout.index('members', { by: 'guild', parent: guild }));
        expect(keySlot(layout.value('members', member))).toBe(slot);
        expect(keySlot(layout.links('members', member))).toBe(slot);
        expect(keySlot(layout.value('users', user))).toBe(keySlot(layout.links('users', user)));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('tenants and kinds stay apart on a real Redis', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("a prefix with ':' is refused, so prefix 'a' cannot reach tenant 'a:b' through namespace 'b'", () => {
    expect(() => new RedisStore({ url: server.url, prefix: 'a:b' })).toThrow(/must not contain ':'/);
  });

  it("k and {k} are two keys, and clear('lock') leaves fetch locks alone", async () => {
    const store = new RedisStore({ url: server.url, prefix: 'tenant' });
    await store.set('users', 'k', 1);
    await store.set('users', '{k}', 2);
    expect(await store.get('users', 'k')).toBe(1);
    expect(await store.get('users', '{k}')).toBe(2);
    const token = await store.locks.acquire('users:k', 10_000);
    expect(token).toBeDefined();
    await store.set('lock', '{users:k}', 'not a lock');
    await store.clear('lock');
    // The lock survived the clear: a second process cannot take it.
    expect(await store.locks.acquire('users:k', 10_000)).toBeUndefined();
    await store.locks.release('users:k', token as string);
    expect(await store.locks.acquire('users:k', 10_000)).toBeDefined();
    await store.close();
  });

  it("a tenant's clear leaves another tenant whose prefix starts the same", async () => {
    const a = new RedisStore({ url: server.url, prefix: 'a' });
    const ab = new RedisStore({ url: server.url, prefix: 'a-b' });
    await ab.set('v', 'token', 'secret');
    await a.set('b', 'x', 1);
    expect(await a.get('b', 'v:{token}')).toBeUndefined();
    await a.clear('b');
    expect(await ab.get('v', 'token')).toBe('secret');
    await Promise.all([a.close(), ab.close()]);
  });
});
