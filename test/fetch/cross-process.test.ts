import { type ChildProcess, fork } from 'node:child_process';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/redis/index.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';

const fixture = new URL('./fixtures/cross-process-fetcher.ts', import.meta.url).pathname;

interface Answer {
  ok: boolean;
  value?: { id: string; loadedBy: number };
  loads?: number;
  error?: string;
}

function startShard(
  url: string,
  prefix: string,
  key: string,
): Promise<{ child: ChildProcess; answer: Promise<Answer> }> {
  const child = fork(fixture, [url, prefix, key], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (message) => {
      if (message !== 'ready') return reject(new Error(`unexpected ${String(message)}`));
      const answer = new Promise<Answer>((done) => child.once('message', (m) => done(m as Answer)));
      resolve({ child, answer });
    });
  });
}

describe('cross-process single-flight on Redis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  it('two real processes fetching one missing key make one loader call between them', async () => {
    const prefix = `xp${Date.now()}`;
    const shards = await Promise.all([
      startShard(redis.url, prefix, 'r1'),
      startShard(redis.url, prefix, 'r1'),
    ]);
    for (const { child } of shards) child.send('go');
    const answers = await Promise.all(shards.map((s) => s.answer));
    expect(answers.every((a) => a.ok)).toBe(true);
    expect(answers[0]?.value).toEqual(answers[1]?.value);
    expect(answers.map((a) => a.loads).sort()).toEqual([0, 1]);
    const counter = createClient({ url: redis.url });
    await counter.connect();
    expect(await counter.get(`${prefix}:test:loader-calls`)).toBe('1');
    await counter.quit();
  }, 30_000);

  it('a lock whose holder died expires and the next process loads', async () => {
    const store = new RedisStore({ url: redis.url, prefix: `dead${Date.now()}` });
    const token = await store.locks.acquire('roles:r9', 150);
    expect(token).toBeTypeOf('string');
    expect(await store.locks.acquire('roles:r9', 150)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 250));
    const next = await store.locks.acquire('roles:r9', 1_000);
    expect(next).toBeTypeOf('string');
    // releasing with the dead holder's token must not free the new holder's lock
    await store.locks.release('roles:r9', token as string);
    expect(await store.locks.acquire('roles:r9', 1_000)).toBeUndefined();
    await store.locks.release('roles:r9', next as string);
    expect(await store.locks.acquire('roles:r9', 1_000)).toBeTypeOf('string');
    await store.close();
  });
});
