import { describe, expect, it } from 'vitest';
import { ClosedClient } from '../errors/index.js';
import { collect, type SuiteContext } from './context.js';

/** open/close, and the errors for bad arguments. */
export function lifecycleTests(ctx: SuiteContext): void {
  describe('lifecycle', () => {
    it('open and close are idempotent', async () => {
      await ctx.store().open();
      await ctx.store().open();
      await ctx.store().close();
      await ctx.store().close();
      expect(ctx.store().closed).toBe(true);
    });

    it('every call after close rejects with ClosedClient', async () => {
      await ctx.store().set('users', 'u', 1);
      await ctx.store().close();
      const calls: (() => Promise<unknown>)[] = [
        () => ctx.store().get('users', 'u'),
        () => ctx.store().getMany('users', ['u']),
        () => ctx.store().set('users', 'u', 2),
        () => ctx.store().delete('users', 'u'),
        () => ctx.store().count('users'),
        () => ctx.store().clear('users'),
        () => ctx.store().indexCount('users', { by: 'g', parent: 'p' }),
        () => ctx.store().batch([{ type: 'delete', ns: 'users', key: 'u' }]),
        () => ctx.store().open(),
        () => collect(ctx.store().keys('users')),
      ];
      for (const call of calls) await expect(call()).rejects.toThrow(ClosedClient);
    });

    it('an iteration interrupted by close rejects with ClosedClient', async () => {
      await ctx.store().setMany(
        'users',
        Array.from({ length: 30 }, (_, i) => [`u${i}`, i] as const),
      );
      const iterate = async (): Promise<void> => {
        for await (const _ of ctx.store().keys('users', { window: 5 })) await ctx.store().close();
      };
      await expect(iterate()).rejects.toThrow(ClosedClient);
    });
  });

  describe('bad arguments', () => {
    it('a bad namespace is a TypeError or RangeError naming it', async () => {
      await expect(ctx.store().get(42 as unknown as string, 'k')).rejects.toThrow(/namespace/);
      await expect(ctx.store().get('', 'k')).rejects.toThrow(RangeError);
      await expect(ctx.store().get('has space', 'k')).rejects.toThrow(/namespace/);
      await expect(ctx.store().get('a:b', 'k')).rejects.toThrow(/namespace/);
    });

    it('a bad key is a TypeError or RangeError naming it', async () => {
      await expect(ctx.store().get('users', 123 as unknown as string)).rejects.toThrow(TypeError);
      await expect(ctx.store().set('users', '', 1)).rejects.toThrow(/key must not be empty/);
      await expect(ctx.store().set('users', 'x'.repeat(5000), 1)).rejects.toThrow(RangeError);
      await expect(ctx.store().getMany('users', 'abc' as unknown as string[])).rejects.toThrow(
        /keys must be an array/,
      );
      await expect(ctx.store().deleteMany('users', ['ok', 7 as unknown as string])).rejects.toThrow(
        /keys\[1\]/,
      );
    });

    it('a bad ttl or expiresAt is refused, naming the option', async () => {
      for (const ttl of [0, -5, Number.NaN]) {
        await expect(ctx.store().set('users', 'u', 1, { ttl })).rejects.toThrow(/ttl/);
      }
      await expect(ctx.store().set('users', 'u', 1, { ttl: '5m' as unknown as number })).rejects.toThrow(
        TypeError,
      );
      await expect(ctx.store().set('users', 'u', 1, { expiresAt: Number.NaN })).rejects.toThrow(/expiresAt/);
      await expect(ctx.store().set('users', 'u', 1, { ttl: 5, expiresAt: Date.now() })).rejects.toThrow(
        /not both/,
      );
      expect(await ctx.store().has('users', 'u')).toBe(false);
    });

    it('a bad window or link is refused, naming it', async () => {
      await expect(collect(ctx.store().keys('users', { window: 0 }))).rejects.toThrow(/window/);
      await expect(collect(ctx.store().keys('users', { window: 1.5 }))).rejects.toThrow(/window/);
      await expect(
        ctx.store().indexCount('users', { by: 'g' } as unknown as { by: string; parent: string }),
      ).rejects.toThrow(/link\.parent/);
      await expect(ctx.store().set('users', 'u', 1, { indexes: [{ by: '', parent: 'p' }] })).rejects.toThrow(
        /indexes\[0\]\.by/,
      );
    });

    it('bad limits are refused, naming the option', () => {
      expect(() => ctx.store().configure('users', { max: 0 })).toThrow(/max/);
      expect(() => ctx.store().configure('users', { max: 2.5 })).toThrow(/max/);
      expect(() => ctx.store().configure('users', { ttl: -1 })).toThrow(/ttl/);
      expect(() => ctx.store().configure('users', { policy: 'random' as 'lru' })).toThrow(/policy/);
      expect(() => ctx.store().configure('users', { maxPerParent: { channel: 0 } })).toThrow(/maxPerParent/);
    });

    it('a batch with an unknown operation type is a TypeError naming it', async () => {
      await expect(
        ctx.store().batch([{ type: 'explode', ns: 'users' } as unknown as { type: 'clear'; ns: string }]),
      ).rejects.toThrow(/ops\[0\]\.type/);
    });
  });
}
