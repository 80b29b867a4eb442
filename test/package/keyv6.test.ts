import { readFileSync } from 'node:fs';
import { Keyv } from 'keyv6';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { basicTests, type SuiteContext, sleep, ttlTests } from '../../src/conformance/index.js';
import { KeyvStore, toKeyvStore } from '../../src/keyv/index.js';
import { MemoryStore, type Store } from '../../src/store/index.js';

// The keyv peer range is ^5 || ^6: botcache/keyv against Keyv 6 (installed here as the alias keyv6).
const KEYV_VERSION = (
  JSON.parse(readFileSync(new URL('../../node_modules/keyv6/package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

describe(`botcache/keyv with Keyv ${KEYV_VERSION}`, () => {
  it('is Keyv 6', () => {
    expect(KEYV_VERSION).toMatch(/^6\./);
  });

  it('toKeyvStore: a botcache store as a Keyv 6 store, with its TTL', async () => {
    await using store = new MemoryStore();
    const keyv = new Keyv({ store: toKeyvStore(store, { namespace: 'sessions' }), namespace: 'web' });
    await keyv.set('abc', { user: 'u1' });
    expect(await keyv.get('abc')).toEqual({ user: 'u1' });
    expect(await store.count('sessions')).toBe(1);
    await keyv.set('soon', 'v', 50);
    await sleep(120);
    expect(await keyv.get('soon')).toBeUndefined();
    expect(await keyv.delete('abc')).toBe(true);
    expect(await keyv.get('abc')).toBeUndefined();
  });

  describe('KeyvStore over Keyv 6 (conformance subset)', () => {
    let current: Store | undefined;
    const ctx: SuiteContext = { store: () => current as Store, waitPast: (ttl) => sleep(ttl + 40) };
    // KeyvStore is typed against Keyv 5, and Keyv 6 has no `throwOnErrors`: the cast is the open
    // part (reported), the run below is what works.
    type Keyv5 = ReturnType<ConstructorParameters<typeof KeyvStore>[0]['keyv']>;
    const create = (): Store =>
      new KeyvStore({ keyv: (ns) => new Keyv({ namespace: ns }) as unknown as Keyv5 });
    beforeEach(async () => {
      current = create();
      await current.open();
    });
    afterEach(async () => {
      await current?.close();
      current = undefined;
    });
    basicTests(ctx);
    ttlTests(ctx);
  });
});
