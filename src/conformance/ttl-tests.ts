import { describe, expect, it } from 'vitest';
import { collect, type SuiteContext } from './context.js';

/** Expiry: per entry, per namespace, absolute, and what an expired entry looks like. */
export function ttlTests(ctx: SuiteContext): void {
  describe('expiry', () => {
    it('an entry with a ttl is gone after it', async () => {
      await ctx.store().set('messages', 'm', { id: 'm' }, { ttl: 80 });
      expect(await ctx.store().get('messages', 'm')).toEqual({ id: 'm' });
      await ctx.waitPast(80);
      expect(await ctx.store().get('messages', 'm')).toBeUndefined();
    });

    it('an expired entry is not counted, iterated, or reported by has', async () => {
      await ctx.store().set('messages', 'old', 1, { ttl: 60 });
      await ctx.store().set('messages', 'new', 2);
      await ctx.waitPast(60);
      expect(await ctx.store().has('messages', 'old')).toBe(false);
      expect(await ctx.store().count('messages')).toBe(1);
      expect(await collect(ctx.store().keys('messages'))).toEqual(['new']);
      expect(await collect(ctx.store().entries('messages'))).toEqual([['new', 2]]);
      expect(await ctx.store().getMany('messages', ['old', 'new'])).toEqual([undefined, 2]);
    });

    it('expiresAt sets an absolute expiry', async () => {
      await ctx.store().set('invites', 'abc', { code: 'abc' }, { expiresAt: Date.now() + 80 });
      expect(await ctx.store().get('invites', 'abc')).toEqual({ code: 'abc' });
      await ctx.waitPast(80);
      expect(await ctx.store().get('invites', 'abc')).toBeUndefined();
    });

    it('an expiresAt already past removes the entry instead of writing it', async () => {
      await ctx.store().set('invites', 'abc', { code: 'abc' });
      await ctx.store().set('invites', 'abc', { code: 'abc', v: 2 }, { expiresAt: Date.now() - 1000 });
      expect(await ctx.store().get('invites', 'abc')).toBeUndefined();
      expect(await ctx.store().count('invites')).toBe(0);
    });

    it('the namespace ttl applies by default and a per-entry ttl overrides it', async () => {
      ctx.store().configure('messages', { ttl: 80 });
      await ctx.store().set('messages', 'default', 1);
      await ctx.store().set('messages', 'longer', 2, { ttl: 60_000 });
      await ctx.store().set('messages', 'never', 3, { ttl: Number.POSITIVE_INFINITY });
      await ctx.waitPast(80);
      expect(await ctx.store().getMany('messages', ['default', 'longer', 'never'])).toEqual([
        undefined,
        2,
        3,
      ]);
      expect((await ctx.store().getEntry('messages', 'never'))?.expiresAt).toBeUndefined();
    });

    it('writing an entry again gives it a fresh ttl', async () => {
      // Read 800 ms in: 200 ms past the first expiry, 200 ms before the second (room for a loaded machine).
      await ctx.store().set('users', 'u', 1, { ttl: 600 });
      await new Promise((resolve) => setTimeout(resolve, 400));
      await ctx.store().set('users', 'u', 2, { ttl: 600 });
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await ctx.store().get('users', 'u')).toBe(2);
    });

    it('writing without a ttl where the namespace has none makes the entry permanent', async () => {
      await ctx.store().set('users', 'u', 1, { ttl: 60 });
      await ctx.store().set('users', 'u', 2);
      await ctx.waitPast(60);
      expect(await ctx.store().get('users', 'u')).toBe(2);
    });
  });
}
