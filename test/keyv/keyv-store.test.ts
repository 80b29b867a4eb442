import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  basicTests,
  iterationTests,
  lifecycleTests,
  type SuiteContext,
  sleep,
  ttlTests,
} from '../../src/conformance/index.js';
import { BackendError } from '../../src/errors/index.js';
import { KeyvStore, UnsupportedOperation } from '../../src/keyv/index.js';
import type { Store } from '../../src/store/index.js';

/**
 * KeyvStore passes these conformance groups unchanged: reads and writes, expiry, iteration, lifecycle
 * and bad arguments. It refuses the limits, parent-index and batch groups with UnsupportedOperation,
 * which the last block checks.
 */
function keyvConformanceSubset(name: string, create: () => Store): void {
  let current: Store | undefined;
  const ctx: SuiteContext = {
    store: () => current as Store,
    waitPast: (ttl) => sleep(ttl + 40),
  };
  describe(`${name} (conformance subset)`, () => {
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
    iterationTests(ctx);
    lifecycleTests(ctx);
  });
}

keyvConformanceSubset(
  'KeyvStore over Keyv + Map',
  () => new KeyvStore({ keyv: (ns) => new Keyv({ namespace: ns }) }),
);

keyvConformanceSubset(
  'KeyvStore over Keyv + @keyv/sqlite',
  () =>
    new KeyvStore({ keyv: (ns) => new Keyv({ store: new KeyvSqlite('sqlite://:memory:'), namespace: ns }) }),
);

describe('KeyvStore refuses what Keyv cannot do', () => {
  const link = { by: 'guild', parent: 'g' };
  const store = () => new KeyvStore({ keyv: (ns) => new Keyv({ namespace: ns }) });

  it('parent indexes are UnsupportedOperation, naming the operation', async () => {
    const s = store();
    await s.set('channels', 'c', 1);
    const calls: [string, () => Promise<unknown>][] = [
      ['indexes', () => s.set('channels', 'c', 1, { indexes: [link] })],
      ['indexes', () => s.setMany('channels', [['c', 1, { indexes: [link] }]])],
      ['link', () => s.link('channels', link, ['c'])],
      ['unlink', () => s.unlink('channels', link, ['c'])],
      ['indexCount', () => s.indexCount('channels', link)],
      ['indexHas', () => s.indexHas('channels', link, 'c')],
      ['clearIndex', () => s.clearIndex('channels', link)],
      ['indexKeys', async () => s.indexKeys('channels', link)[Symbol.asyncIterator]().next()],
      ['indexEntries', async () => s.indexEntries('channels', link)[Symbol.asyncIterator]().next()],
      ['batch', () => s.batch([{ type: 'delete', ns: 'channels', key: 'c' }])],
    ];
    for (const [operation, call] of calls) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnsupportedOperation);
      expect((error as UnsupportedOperation).operation).toBe(operation);
    }
    // Nothing was half-done: the entry is as it was.
    expect(await s.get('channels', 'c')).toBe(1);
    // An empty index list asks for no links, which Keyv can honour.
    await s.set('channels', 'c', 2, { indexes: [] });
    expect(await s.get('channels', 'c')).toBe(2);
    await s.close();
  });

  it('limits Keyv cannot enforce are refused; a ttl limit works', async () => {
    const s = store();
    expect(() => s.configure('players', { max: 10 })).toThrow(UnsupportedOperation);
    expect(() => s.configure('messages', { maxPerParent: { channel: 5 } })).toThrow(/maxPerParent/);
    expect(() => new KeyvStore({ keyv: () => new Keyv(), defaults: { max: 5 } })).toThrow(/defaults\.max/);
    s.configure('players', { ttl: 50 });
    await s.set('players', 'p', 1);
    await sleep(90);
    expect(await s.get('players', 'p')).toBeUndefined();
    await s.close();
  });

  it('count and iteration need a Keyv iterator and say so', async () => {
    // A plain object store: Keyv 5 gives no iterator for it.
    const plain = () => {
      const map = new Map<string, unknown>();
      return {
        get: async (k: string) => map.get(k),
        set: async (k: string, v: unknown) => void map.set(k, v),
        delete: async (k: string) => map.delete(k),
        clear: async () => map.clear(),
      };
    };
    const s = new KeyvStore({ keyv: (ns) => new Keyv({ store: plain(), namespace: ns }) });
    await s.set('users', 'u', 1);
    expect(await s.get('users', 'u')).toBe(1);
    await expect(s.count('users')).rejects.toThrow(/offers no iterator/);
    await s.close();
  });

  it('a failing Keyv adapter rejects with BackendError and emits it', async () => {
    const broken = {
      get: async () => {
        throw new Error('connection refused');
      },
      set: async () => {
        throw new Error('connection refused');
      },
      delete: async () => false,
      clear: async () => {},
    };
    const s = new KeyvStore({ keyv: () => new Keyv({ store: broken }) });
    const events: Error[] = [];
    s.on('error', (error) => events.push(error));
    const failure = await s.get('users', 'u').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BackendError);
    expect(((failure as BackendError).cause as Error).message).toBe('connection refused');
    await expect(s.set('users', 'u', 1)).rejects.toThrow(BackendError);
    expect(events).toHaveLength(2);
    await s.close();
  });

  it('bad options are refused', () => {
    expect(() => new KeyvStore({} as { keyv: () => Keyv })).toThrow(/options\.keyv/);
  });
});
