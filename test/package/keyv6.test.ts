import { readFileSync } from 'node:fs';
import { Keyv } from 'keyv6';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { basicTests, type SuiteContext, sleep, ttlTests } from '../../src/conformance/index.js';
import { BackendError } from '../../src/errors/index.js';
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
    // A Keyv 6 instance as it comes: KeyvStore's type is what it uses of Keyv, which Keyv 5 and 6 share.
    const create = (): Store => new KeyvStore({ keyv: (ns) => new Keyv({ namespace: ns }) });
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

    it('a failing Keyv 6 adapter rejects with BackendError (not a miss)', async () => {
      const down = async (): Promise<never> => {
        throw new Error('adapter down');
      };
      const failing = new Map<string, unknown>();
      failing.get = down as never;
      await using store = new KeyvStore({ keyv: (ns) => new Keyv({ store: failing, namespace: ns }) });
      await expect(store.get('users', '1')).rejects.toBeInstanceOf(BackendError);
      await expect(store.get('users', '1')).rejects.toThrow(/adapter down/);
    });
  });
});
