import { describe, expect, it } from 'vitest';
import { collect, type SuiteContext } from './context.js';

/** The atomic batch: results, all-or-nothing on bad input, no torn reads. */
export function batchTests(ctx: SuiteContext): void {
  describe('atomic batch', () => {
    it('applies every kind of operation and returns a result for each', async () => {
      await ctx.store().set('users', 'u', { v: 1 });
      await ctx.store().set('channels', 'old', 1, { indexes: [{ by: 'guild', parent: 'g' }] });
      const results = await ctx.store().batch([
        { type: 'set', ns: 'users', key: 'u', value: { v: 2 } },
        {
          type: 'set',
          ns: 'members',
          key: '{g}:u',
          value: { user: 'u' },
          options: { indexes: [{ by: 'guild', parent: 'g' }] },
        },
        { type: 'delete', ns: 'channels', key: 'old' },
        { type: 'set', ns: 'users', key: 'w', value: 1 },
        { type: 'link', ns: 'users', key: 'w', link: { by: 'channel', parent: 'c' } },
        { type: 'unlink', ns: 'users', key: 'w', link: { by: 'channel', parent: 'zz' } },
      ]);
      expect(results).toEqual([{ v: 1 }, undefined, true, undefined, true, false]);
      expect(await ctx.store().get('users', 'u')).toEqual({ v: 2 });
      expect(await ctx.store().indexCount('members', { by: 'guild', parent: 'g' })).toBe(1);
      expect(await ctx.store().indexCount('channels', { by: 'guild', parent: 'g' })).toBe(0);
      expect(await ctx.store().indexHas('users', { by: 'channel', parent: 'c' }, 'w')).toBe(true);
    });

    it('clearIndex and clear inside a batch', async () => {
      await ctx.store().set('roles', 'r1', 1, { indexes: [{ by: 'guild', parent: 'g' }] });
      await ctx.store().set('roles', 'r2', 2, { indexes: [{ by: 'guild', parent: 'g' }] });
      await ctx.store().set('emojis', 'e', 1);
      const results = await ctx.store().batch([
        {
          type: 'clearIndex',
          ns: 'roles',
          link: { by: 'guild', parent: 'g' },
          options: { deleteEntries: true },
        },
        { type: 'clear', ns: 'emojis' },
      ]);
      expect(results[0]).toBe(2);
      expect(await ctx.store().count('roles')).toBe(0);
      expect(await ctx.store().count('emojis')).toBe(0);
    });

    it('a bad operation rejects the whole batch and applies none of it', async () => {
      await expect(
        ctx.store().batch([
          { type: 'set', ns: 'users', key: 'a', value: 1 },
          { type: 'set', ns: 'users', key: '', value: 2 },
        ]),
      ).rejects.toThrow(RangeError);
      await expect(
        ctx.store().batch([
          { type: 'set', ns: 'users', key: 'a', value: 1 },
          { type: 'set', ns: 'users', key: 'b', value: () => 2 },
        ]),
      ).rejects.toThrow(TypeError);
      expect(await ctx.store().count('users')).toBe(0);
    });

    it('readers never see an entity without its index entry', async () => {
      const link = { by: 'guild', parent: 'g' };
      let torn = 0;
      let writing = true;
      const reader = (async () => {
        while (writing) {
          const [keys, values] = await Promise.all([
            collect(ctx.store().indexKeys('members', link)),
            ctx.store().getMany('members', ['{g}:0', '{g}:1', '{g}:2', '{g}:3']),
          ]);
          // a key present in the index is never missing, and vice versa, within one batch step
          if (keys.length % 2 !== 0) torn++;
          if (values.filter((v) => v !== undefined).length % 2 !== 0) torn++;
        }
      })();
      for (let i = 0; i < 40; i++) {
        const a = `{g}:${(i * 2) % 4}`;
        const b = `{g}:${(i * 2 + 1) % 4}`;
        await ctx.store().batch([
          { type: 'set', ns: 'members', key: a, value: i, options: { indexes: [link] } },
          { type: 'set', ns: 'members', key: b, value: i, options: { indexes: [link] } },
        ]);
        await ctx.store().batch([
          { type: 'delete', ns: 'members', key: a },
          { type: 'delete', ns: 'members', key: b },
        ]);
      }
      writing = false;
      await reader;
      expect(torn).toBe(0);
    });

    it('an empty batch resolves to an empty result', async () => {
      expect(await ctx.store().batch([])).toEqual([]);
    });
  });
}
