import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('MemoryStore specifics', () => {
  it('returns deep-frozen values', async () => {
    const store = new MemoryStore();
    await store.set('guilds', 'g', { id: 'g', roles: [{ id: 'r' }] });
    const guild = (await store.get<{ roles: { id: string }[] }>('guilds', 'g'))!;
    expect(Object.isFrozen(guild)).toBe(true);
    expect(Object.isFrozen(guild.roles)).toBe(true);
    expect(Object.isFrozen(guild.roles[0])).toBe(true);
    await store.close();
  });

  it('keeps a "__proto__" key as data without touching prototypes', async () => {
    const store = new MemoryStore();
    const payload = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}');
    await store.set('users', 'u', payload);
    const got = (await store.get<Record<string, unknown>>('users', 'u'))!;
    expect(Object.keys(got)).toEqual(['__proto__', 'ok']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await store.close();
  });

  it('the periodic sweep purges expired entries, counts them and unlinks them', async () => {
    const store = new MemoryStore({ sweepInterval: 20 });
    await store.set('messages', 'm', 1, { ttl: 30, indexes: [{ by: 'channel', parent: 'c' }] });
    await sleep(120);
    expect(store.stats('messages').expirations).toBe(1);
    expect(await store.indexCount('messages', { by: 'channel', parent: 'c' })).toBe(0);
    await store.close();
  });

  it('the sweep timer does not keep the process alive', async () => {
    const { spawnSync } = await import('node:child_process');
    const script = `import('${new URL('../../src/index.ts', import.meta.url).pathname}').then(async ({ MemoryStore }) => {
      const store = new MemoryStore({ sweepInterval: 50 });
      await store.set('a', 'b', 1, { ttl: 100000 });
      console.log('done');
    });`;
    const started = Date.now();
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(child.stdout.trim()).toBe('done');
    expect(child.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('store-wide defaults and per-namespace limits from the constructor apply', async () => {
    const store = new MemoryStore({ defaults: { max: 3 }, namespaces: { big: { max: 10 } } });
    for (let i = 0; i < 12; i++) {
      await store.set('small', `k${i}`, i);
      await store.set('big', `k${i}`, i);
    }
    expect(await store.count('small')).toBe(3);
    expect(await store.count('big')).toBe(10);
    expect(store.limitsOf('big')).toEqual({ max: 10 });
    await store.close();
  });

  it('refuses a bad sweepInterval and bad constructor limits', () => {
    expect(() => new MemoryStore({ sweepInterval: 0 })).toThrow(/sweepInterval/);
    expect(() => new MemoryStore({ defaults: { max: -1 } })).toThrow(/defaults\.max/);
    expect(() => new MemoryStore({ namespaces: { 'bad ns': {} } })).toThrow(/namespaces key/);
  });

  it('an "error" event with no listener does not crash', () => {
    const store = new MemoryStore();
    expect(store.emit('error', new Error('x'))).toBe(false);
  });
});

describe('MemoryStore.getSync', () => {
  it('reads synchronously with the same checks and counters as get', async () => {
    const store = new MemoryStore();
    await store.set('users', 'u', { id: 'u' });
    expect(store.getSync('users', 'u')).toEqual({ id: 'u' });
    expect(store.getSync('users', 'nobody')).toBeUndefined();
    expect(store.stats('users')).toMatchObject({ hits: 1, misses: 1 });
    expect(() => store.getSync('users', '')).toThrow(RangeError);
    expect(() => store.getSync('bad ns', 'u')).toThrow(/namespace/);
    await store.close();
    expect(() => store.getSync('users', 'u')).toThrow(/closed/);
  });
});
