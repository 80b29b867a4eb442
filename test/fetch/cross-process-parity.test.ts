/**
 * crossProcess keeps every fetch behaviour (force, stale-while-revalidate, refresh-ahead), a SIGKILLed
 * lock holder costs the others at most lockTtl, and a write from another process during a load wins.
 * Shards are real child processes on one real redis-server.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Fetcher } from '../../src/fetch/index.js';
import { RedisStore } from '../../src/store/redis/index.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';

const fixture = new URL('./fixtures/fetch-shard.ts', import.meta.url).pathname;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ShardMessage {
  type: 'ready' | 'loading' | 'done';
  ok?: boolean;
  value?: unknown;
  error?: string;
  loads?: number;
}

/** A shard process and the messages it sent, awaited by type. */
class Shard {
  readonly child: ChildProcess;
  readonly #inbox: ShardMessage[] = [];
  readonly #waiting: Array<() => void> = [];

  constructor(url: string, prefix: string) {
    this.child = fork(fixture, [url, prefix], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    this.child.on('message', (message) => {
      this.#inbox.push(message as ShardMessage);
      for (const wake of this.#waiting.splice(0)) wake();
    });
  }

  async next(type: ShardMessage['type'], timeout = 50_000): Promise<ShardMessage> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const index = this.#inbox.findIndex((m) => m.type === type);
      if (index >= 0) return this.#inbox.splice(index, 1)[0] as ShardMessage;
      if (Date.now() > deadline) throw new Error(`no '${type}' from the shard`);
      await new Promise<void>((resolve) => {
        this.#waiting.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  send(message: object): void {
    this.child.send(message);
  }

  kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGKILL');
    });
  }
}

describe('crossProcess fetch', () => {
  let redis: RedisServer;
  let store: RedisStore;
  let prefix: string;
  let n = 0;
  const shards: Shard[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());
  beforeEach(async () => {
    prefix = `parity${n++}`;
    store = new RedisStore({ url: redis.url, prefix });
    await store.open();
  });
  afterEach(async () => {
    await Promise.all(shards.splice(0).map((s) => s.kill()));
    await store.close();
  });

  const shard = async (): Promise<Shard> => {
    const s = new Shard(redis.url, prefix);
    shards.push(s);
    await s.next('ready');
    return s;
  };

  it('a SIGKILLed lock holder costs the other process at most lockTtl', async () => {
    const holder = await shard();
    holder.send({ cmd: 'fetch', key: 'c1', lockTtl: 500 });
    await holder.next('loading');
    await holder.kill();
    const fetcher = new Fetcher<{ id: string }>({
      store,
      namespace: 'channels',
      policy: { crossProcess: { lockTtl: 500, pollInterval: 10 }, timeout: 5_000 },
    });
    const t0 = Date.now();
    expect(await fetcher.fetch('c1', async () => ({ id: 'c1' }))).toEqual({ id: 'c1' });
    const waited = Date.now() - t0;
    expect(waited).toBeLessThan(4_000); // lockTtl 500 ms plus a wide margin; the old lock lived 10 s
  }, 120_000);

  it('a live holder renews its lock: a load longer than lockTtl is still made once', async () => {
    const holder = await shard();
    // lockTtl 1 s with renewals every third of it: wide enough for a loaded machine's event loop delays
    holder.send({ cmd: 'fetch', key: 'c2', lockTtl: 1_000 });
    await holder.next('loading');
    const waiter = await shard();
    waiter.send({ cmd: 'fetch', key: 'c2', lockTtl: 1_000 });
    await sleep(3_500); // three and a half lock lifetimes
    holder.send({ cmd: 'answer', value: { id: 'c2', by: 'holder' } });
    const [a, b] = await Promise.all([holder.next('done'), waiter.next('done')]);
    expect(a).toMatchObject({ ok: true, value: { id: 'c2', by: 'holder' }, loads: 1 });
    expect(b).toMatchObject({ ok: true, value: { id: 'c2', by: 'holder' }, loads: 0 });
  }, 120_000);

  it('a write by another process during a load wins over the load', async () => {
    const loader = await shard();
    loader.send({ cmd: 'fetch', key: 'c3', lockTtl: 1_000 });
    await loader.next('loading');
    await store.set('channels', 'c3', { id: 'c3', name: 'from the gateway' });
    loader.send({ cmd: 'answer', value: { id: 'c3', name: 'older REST answer' } });
    expect(await loader.next('done')).toMatchObject({
      ok: true,
      value: { id: 'c3', name: 'from the gateway' },
    });
    expect(await store.get('channels', 'c3')).toEqual({ id: 'c3', name: 'from the gateway' });
  }, 120_000);

  it('a delete by another process during a refresh keeps the entry deleted', async () => {
    await store.set('channels', 'c4', { id: 'c4', name: 'cached' });
    const loader = await shard();
    loader.send({ cmd: 'fetch', key: 'c4', lockTtl: 1_000, force: true });
    await loader.next('loading');
    await store.delete('channels', 'c4');
    loader.send({ cmd: 'answer', value: { id: 'c4', name: 'cached' } });
    expect(await loader.next('done')).toMatchObject({ ok: true });
    expect(await store.get('channels', 'c4')).toBeUndefined();
  }, 120_000);
});

describe('crossProcess keeps force, stale-while-revalidate and refresh-ahead', () => {
  let redis: RedisServer;
  let store: RedisStore;
  let n = 0;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());
  beforeEach(async () => {
    store = new RedisStore({ url: redis.url, prefix: `same${n++}` });
    await store.open();
  });
  afterEach(() => store.close());

  for (const crossProcess of [false, true]) {
    const policy = { crossProcess: crossProcess && { pollInterval: 10 } };

    it(`force loads again (crossProcess ${crossProcess})`, async () => {
      const fetcher = new Fetcher<number>({ store, namespace: 'f', policy });
      let version = 0;
      const load = async () => ++version;
      expect(await fetcher.fetch('k', load)).toBe(1);
      expect(await fetcher.fetch('k', load, { force: true })).toBe(2);
      expect(await fetcher.fetch('k', load)).toBe(2);
    });

    it(`stale-while-revalidate refreshes (crossProcess ${crossProcess})`, async () => {
      const fetcher = new Fetcher<number>({
        store,
        namespace: 's',
        policy: { ...policy, ttl: 100, staleWhileRevalidate: 60_000 },
      });
      let version = 0;
      const load = async () => ++version;
      expect(await fetcher.fetch('k', load)).toBe(1);
      await sleep(150);
      expect(await fetcher.fetch('k', load)).toBe(1);
      await sleep(150);
      expect(await fetcher.fetch('k', load)).toBe(2);
    });

    it(`refresh-ahead refreshes a hot entry (crossProcess ${crossProcess})`, async () => {
      const fetcher = new Fetcher<number>({
        store,
        namespace: 'r',
        policy: { ...policy, ttl: 60_000, refreshThreshold: 59_990 },
      });
      let version = 0;
      const load = async () => ++version;
      expect(await fetcher.fetch('k', load)).toBe(1);
      await sleep(30);
      expect(await fetcher.fetch('k', load)).toBe(1);
      await sleep(150);
      expect(await fetcher.fetch('k', load)).toBe(2);
    });
  }

  it('in-process coalescing does not depend on timing with crossProcess on', async () => {
    const fetcher = new Fetcher<number>({
      store,
      namespace: 'spread',
      policy: { ttl: 60_000, crossProcess: { pollInterval: 10 } },
    });
    let calls = 0;
    for (let round = 0; round < 10; round++) {
      const callers = Array.from({ length: 50 }, (_, i) =>
        sleep(i).then(() =>
          fetcher.fetch(`r${round}`, async () => {
            calls++;
            return round;
          }),
        ),
      );
      expect(await Promise.all(callers)).toEqual(Array(50).fill(round));
    }
    expect(calls).toBe(10);
  });
});
