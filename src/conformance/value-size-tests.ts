import { describe, expect, it } from 'vitest';
import type { Store } from '../store/types.js';
import type { SuiteContext } from './context.js';

const MIB = 1024 * 1024;

/** A value whose JSON is about `bytes` long. */
function payloadOf(bytes: number): { id: string; blob: string } {
  return { id: 'x', blob: 'a'.repeat(bytes - 30) };
}

/** Stores built on BaseStore expose the limit as a property; others are judged on the default only. */
function limitOf(store: Store): { maxValueSize: number } | undefined {
  const candidate = store as Store & { maxValueSize?: unknown };
  return typeof candidate.maxValueSize === 'number' ? (candidate as { maxValueSize: number }) : undefined;
}

/** The max value size: an oversized value is refused with a RangeError and writes nothing. */
export function valueSizeTests(ctx: SuiteContext): void {
  describe('max value size', () => {
    it('refuses a value over 1 MiB by default, naming the key, and keeps the previous value', async () => {
      const store = ctx.store();
      await store.set('guilds', 'big', { id: 'big', v: 1 });
      const oversized = payloadOf(MIB + 1024);
      await expect(store.set('guilds', 'big', oversized)).rejects.toThrow(RangeError);
      await expect(store.set('guilds', 'big', oversized)).rejects.toThrow(/'big'.*bytes/);
      await expect(
        store.setMany('guilds', [
          ['ok', { id: 'ok' }],
          ['big', oversized],
        ]),
      ).rejects.toThrow(RangeError);
      await expect(
        store.batch([
          { type: 'delete', ns: 'guilds', key: 'big' },
          { type: 'set', ns: 'guilds', key: 'big2', value: oversized },
        ]),
      ).rejects.toThrow(RangeError);
      expect(await store.get('guilds', 'big')).toEqual({ id: 'big', v: 1 });
      expect(await store.has('guilds', 'ok')).toBe(false);
      expect(await store.has('guilds', 'big2')).toBe(false);
    });

    it('accepts a value just under the default limit', async () => {
      const value = payloadOf(MIB - 4096);
      await ctx.store().set('guilds', 'large', value);
      expect(await ctx.store().get('guilds', 'large')).toEqual(value);
    });

    it('counts multi-byte characters by their UTF-8 size', async () => {
      const store = ctx.store();
      const limit = limitOf(store);
      if (!limit) return;
      limit.maxValueSize = 1000;
      // 400 characters of 3 bytes each: 1200 bytes, though only 400 UTF-16 units.
      await expect(store.set('users', 'u', { name: '€'.repeat(400) })).rejects.toThrow(RangeError);
      await store.set('users', 'u', { name: '€'.repeat(300) });
      expect(await store.has('users', 'u')).toBe(true);
    });

    it('takes a configured limit and refuses a bad one', async () => {
      const store = ctx.store();
      const limit = limitOf(store);
      if (!limit) return;
      limit.maxValueSize = 200;
      await expect(store.set('users', 'u', payloadOf(400))).rejects.toThrow(
        /over maxValueSize \(200 bytes\)/,
      );
      await store.set('users', 'u', payloadOf(150));
      expect(() => {
        limit.maxValueSize = -1;
      }).toThrow(RangeError);
      expect(() => {
        limit.maxValueSize = Number.NaN;
      }).toThrow(RangeError);
      limit.maxValueSize = Number.POSITIVE_INFINITY;
      await store.set('users', 'v', payloadOf(MIB + 1024));
      expect(await store.has('users', 'v')).toBe(true);
    });
  });
}
