import { describe, expect, it } from 'vitest';
import { collect, type SuiteContext } from './context.js';

/** max entries, lru and fifo eviction, per-parent caps, stats. */
export function limitTests(ctx: SuiteContext): void {
  describe('limits and eviction', () => {
    it('a namespace never holds more than its max', async () => {
      ctx.store().configure('players', { max: 10 });
      for (let i = 0; i < 25; i++) await ctx.store().set('players', `p${i}`, i);
      expect(await ctx.store().count('players')).toBe(10);
      expect(await ctx.store().get('players', 'p24')).toBe(24);
      expect(await ctx.store().get('players', 'p0')).toBeUndefined();
    });

    it('lru: a recently read entry survives eviction', async () => {
      ctx.store().configure('players', { max: 3, policy: 'lru' });
      await ctx.store().set('players', 'a', 1);
      await ctx.store().set('players', 'b', 2);
      await ctx.store().set('players', 'c', 3);
      expect(await ctx.store().get('players', 'a')).toBe(1);
      await ctx.store().set('players', 'd', 4);
      expect(await ctx.store().getMany('players', ['a', 'b', 'c', 'd'])).toEqual([1, undefined, 3, 4]);
    });

    it('fifo: reads do not protect an entry; the oldest written goes first', async () => {
      ctx.store().configure('players', { max: 3, policy: 'fifo' });
      await ctx.store().set('players', 'a', 1);
      await ctx.store().set('players', 'b', 2);
      await ctx.store().set('players', 'c', 3);
      expect(await ctx.store().get('players', 'a')).toBe(1);
      await ctx.store().set('players', 'd', 4);
      expect(await ctx.store().getMany('players', ['a', 'b', 'c', 'd'])).toEqual([undefined, 2, 3, 4]);
    });

    it('limits of one namespace do not touch another', async () => {
      ctx.store().configure('players', { max: 2 });
      for (let i = 0; i < 5; i++) {
        await ctx.store().set('players', `p${i}`, i);
        await ctx.store().set('clans', `c${i}`, i);
      }
      expect(await ctx.store().count('players')).toBe(2);
      expect(await ctx.store().count('clans')).toBe(5);
    });

    it('lowering max on a namespace that holds data drops the oldest entries', async () => {
      for (let i = 0; i < 6; i++) await ctx.store().set('players', `p${i}`, i);
      ctx.store().configure('players', { max: 2 });
      await ctx.store().set('players', 'p6', 6);
      expect(await ctx.store().count('players')).toBe(2);
      expect(await ctx.store().get('players', 'p6')).toBe(6);
    });

    it('maxPerParent keeps the newest links of each parent', async () => {
      ctx.store().configure('messages', { maxPerParent: { channel: 3 } });
      for (let i = 0; i < 5; i++) {
        await ctx.store().set('messages', `a${i}`, i, { indexes: [{ by: 'channel', parent: 'A' }] });
        await ctx.store().set('messages', `b${i}`, i, { indexes: [{ by: 'channel', parent: 'B' }] });
      }
      expect(await collect(ctx.store().indexKeys('messages', { by: 'channel', parent: 'A' }))).toEqual([
        'a2',
        'a3',
        'a4',
      ]);
      expect(await ctx.store().indexCount('messages', { by: 'channel', parent: 'B' })).toBe(3);
      expect(await ctx.store().get('messages', 'a0')).toBeUndefined();
      expect(await ctx.store().count('messages')).toBe(6);
    });

    it('maxPerParent applies at each insert of a batch, in order (a later delete frees no room back)', async () => {
      // discord.js's LimitedCollection sweeps at each set(); a batch must end as those writes one by one.
      ctx.store().configure('messages', { maxPerParent: { channel: 3 } });
      const channel = { by: 'channel', parent: 'C' };
      const set = (key: string) => ({
        type: 'set' as const,
        ns: 'messages',
        key,
        value: key,
        options: { indexes: [channel] },
      });
      await ctx
        .store()
        .batch([
          set('1001'),
          set('1002'),
          set('1003'),
          set('1004'),
          { type: 'delete', ns: 'messages', key: '1004' },
        ]);
      expect(await collect(ctx.store().indexKeys('messages', channel))).toEqual(['1002', '1003']);
      expect(await ctx.store().get('messages', '1001')).toBeUndefined();
      // An entry evicted early in a batch and written again later comes back as the newest.
      await ctx.store().batch([set('1005'), set('1006'), set('1002')]);
      expect(await collect(ctx.store().indexKeys('messages', channel))).toEqual(['1005', '1006', '1002']);
      expect(await ctx.store().count('messages')).toBe(3);
    });

    it('stats count hits, misses, sets and evictions', async () => {
      ctx.store().configure('players', { max: 2 });
      await ctx.store().set('players', 'a', 1);
      await ctx.store().set('players', 'b', 2);
      await ctx.store().set('players', 'c', 3);
      await ctx.store().get('players', 'c');
      await ctx.store().get('players', 'a');
      const stats = ctx.store().stats('players');
      expect(stats.sets).toBe(3);
      expect(stats.hits).toBe(1);
      expect(stats.misses).toBe(1);
      expect(stats.evictions).toBe(1);
    });
  });
}
