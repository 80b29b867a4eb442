import { describe, expect, it } from 'vitest';
import { collect, type SuiteContext } from './context.js';

/** Windows, and iteration while the store changes. */
export function iterationTests(ctx: SuiteContext): void {
  describe('iteration', () => {
    it('keys and entries visit every entry once, whatever the window', async () => {
      await ctx.store().setMany(
        'users',
        Array.from({ length: 103 }, (_, i) => [`u${i}`, { i }] as const),
      );
      for (const window of [1, 7, 1000]) {
        const keys = await collect(ctx.store().keys('users', { window }));
        expect(keys.sort()).toEqual(Array.from({ length: 103 }, (_, i) => `u${i}`).sort());
        const entries = await collect(ctx.store().entries<{ i: number }>('users', { window }));
        expect(entries).toHaveLength(103);
        expect(entries.every(([key, value]) => key === `u${value.i}`)).toBe(true);
      }
    });

    it('an empty namespace iterates nothing', async () => {
      expect(await collect(ctx.store().keys('nothing'))).toEqual([]);
      expect(await collect(ctx.store().entries('nothing'))).toEqual([]);
    });

    it('entries present for the whole iteration are yielded exactly once while others change', async () => {
      await ctx.store().setMany(
        'users',
        Array.from({ length: 500 }, (_, i) => [`stable${i}`, i] as const),
      );
      await ctx.store().setMany(
        'users',
        Array.from({ length: 200 }, (_, i) => [`churn${i}`, i] as const),
      );
      const seen: string[] = [];
      let n = 0;
      for await (const key of ctx.store().keys('users', { window: 50 })) {
        seen.push(key);
        if (n < 200) {
          await ctx.store().delete('users', `churn${n}`);
          await ctx.store().set('users', `added${n}`, n);
        }
        n++;
      }
      const stable = seen.filter((key) => key.startsWith('stable'));
      expect(stable).toHaveLength(500);
      expect(new Set(stable).size).toBe(500);
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('breaking out of an iteration early is fine and the store stays usable', async () => {
      await ctx.store().setMany(
        'users',
        Array.from({ length: 50 }, (_, i) => [`u${i}`, i] as const),
      );
      for await (const _ of ctx.store().entries('users', { window: 10 })) break;
      expect(await ctx.store().count('users')).toBe(50);
    });
  });
}
