import { expect } from 'vitest';
import type { Peer } from './fixtures/peer-process.js';

/** Checks shared by the standalone and Cluster coherence tests; A writes, B reads. */

export async function writeReadDeleteClear(a: Peer, b: Peer): Promise<void> {
  await a.call('set', 'users', 'u1', { name: 'one' });
  expect(await b.call('get', 'users', 'u1')).toEqual({ name: 'one' });
  const hits = await b.call<number>('hits', 'users');
  expect(await b.call('get', 'users', 'u1')).toEqual({ name: 'one' });
  expect(await b.call('hits', 'users')).toBe(hits + 1);

  // B holds u1 near: A's update must replace it there.
  await a.call('set', 'users', 'u1', { name: 'two' });
  await b.call('watch', 'users', 'u1', { name: 'two' });

  await a.call('delete', 'users', 'u1');
  await b.call('watch', 'users', 'u1', undefined);

  await a.call('set', 'users', 'u2', 2);
  await a.call('set', 'users', 'u3', 3);
  expect(await b.call('get', 'users', 'u2')).toBe(2);
  expect(await b.call('get', 'users', 'u3')).toBe(3);
  await a.call('clear', 'users');
  await b.call('watch', 'users', 'u2', undefined);
  expect(await b.call('get', 'users', 'u3')).toBeUndefined();
}

export async function batchAndIndexes(a: Peer, b: Peer): Promise<void> {
  const channel = { by: 'channel', parent: 'c1' };
  await a.call('batch', [
    { type: 'set', ns: 'messages', key: '{c1}:m1', value: 'hello', options: { indexes: [channel] } },
    { type: 'set', ns: 'messages', key: '{c1}:m2', value: 'world', options: { indexes: [channel] } },
  ]);
  expect(await b.call('get', 'messages', '{c1}:m1')).toBe('hello');
  expect(await b.call('get', 'messages', '{c1}:m2')).toBe('world');
  await a.call('batch', [
    { type: 'set', ns: 'messages', key: '{c1}:m1', value: 'edited' },
    { type: 'delete', ns: 'messages', key: '{c1}:m2' },
  ]);
  await b.call('watch', 'messages', '{c1}:m1', 'edited');
  await b.call('watch', 'messages', '{c1}:m2', undefined);
  await a.call('clearIndex', 'messages', 'channel', 'c1');
  await b.call('watch', 'messages', '{c1}:m1', undefined);
}

/** Write in A returns -> B reads the new value: `samples` delays in ms, sorted. */
export async function invalidationDelays(a: Peer, b: Peer, samples: number): Promise<number[]> {
  const delays: number[] = [];
  await a.call('set', 'latency', 'k', 0);
  for (let i = 1; i <= samples; i++) {
    await b.call('watch', 'latency', 'k', i - 1); // B now holds the old value near
    const seen = b.call<number>('watch', 'latency', 'k', i);
    await new Promise((resolve) => setTimeout(resolve, 2)); // B is polling before A writes
    const returned = await a.call<number>('set', 'latency', 'k', i);
    delays.push(Math.max(0, (await seen) - returned));
  }
  return delays.sort((x, y) => x - y);
}

/** Makes B hold `expected` near: read it, let A's own invalidation of that write pass, read it again. */
export async function settle(b: Peer, ns: string, key: string, expected: unknown): Promise<void> {
  expect(await b.call('get', ns, key)).toEqual(expected);
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(await b.call('get', ns, key)).toEqual(expected);
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Retries a call that may fail while the server is away. */
export async function eventually<T>(call: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
