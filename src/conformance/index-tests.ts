import { describe, expect, it } from 'vitest';
import type { IndexLink } from '../store/types.js';
import { collect, type SuiteContext } from './context.js';

const guild = (parent: string): IndexLink => ({ by: 'guild', parent });
const channel = (parent: string): IndexLink => ({ by: 'channel', parent });

/** Parent indexes: linking, following deletes, evictions and expiry, clearing a parent. */
export function indexTests(ctx: SuiteContext): void {
  describe('parent indexes', () => {
    it('an entry written with indexes is listed, counted and found under its parent', async () => {
      await ctx.store().set('members', '{g1}:u1', { id: 'u1' }, { indexes: [guild('g1')] });
      await ctx.store().set('members', '{g1}:u2', { id: 'u2' }, { indexes: [guild('g1')] });
      await ctx.store().set('members', '{g2}:u1', { id: 'u1' }, { indexes: [guild('g2')] });
      expect(await collect(ctx.store().indexKeys('members', guild('g1')))).toEqual(['{g1}:u1', '{g1}:u2']);
      expect(await ctx.store().indexCount('members', guild('g1'))).toBe(2);
      expect(await ctx.store().indexCount('members', guild('g2'))).toBe(1);
      expect(await ctx.store().indexHas('members', guild('g1'), '{g1}:u2')).toBe(true);
      expect(await ctx.store().indexHas('members', guild('g2'), '{g1}:u2')).toBe(false);
    });

    it('an unknown parent has an empty index', async () => {
      expect(await ctx.store().indexCount('members', guild('none'))).toBe(0);
      expect(await collect(ctx.store().indexKeys('members', guild('none')))).toEqual([]);
    });

    it('index names are separate: the same parent id under two names', async () => {
      await ctx.store().set('voice', 'v', 1, { indexes: [guild('x'), channel('x')] });
      await ctx.store().unlink('voice', channel('x'), ['v']);
      expect(await ctx.store().indexHas('voice', guild('x'), 'v')).toBe(true);
      expect(await ctx.store().indexHas('voice', channel('x'), 'v')).toBe(false);
    });

    it('iteration follows link order, oldest first', async () => {
      for (const id of ['c', 'a', 'b'])
        await ctx.store().set('channels', id, { id }, { indexes: [guild('g')] });
      expect(await collect(ctx.store().indexKeys('channels', guild('g')))).toEqual(['c', 'a', 'b']);
    });

    it('indexEntries yields keys with values', async () => {
      await ctx.store().set('roles', 'r1', { name: 'mod' }, { indexes: [guild('g')] });
      await ctx.store().set('roles', 'r2', { name: 'admin' }, { indexes: [guild('g')] });
      expect(await collect(ctx.store().indexEntries('roles', guild('g')))).toEqual([
        ['r1', { name: 'mod' }],
        ['r2', { name: 'admin' }],
      ]);
    });

    it('deleting an entry removes it from every index it was in', async () => {
      await ctx.store().set('messages', 'm', 1, { indexes: [channel('c'), { by: 'author', parent: 'u' }] });
      await ctx.store().delete('messages', 'm');
      expect(await ctx.store().indexCount('messages', channel('c'))).toBe(0);
      expect(await ctx.store().indexCount('messages', { by: 'author', parent: 'u' })).toBe(0);
    });

    it('an evicted entry leaves its indexes', async () => {
      ctx.store().configure('members', { max: 2 });
      for (const u of ['a', 'b', 'c'])
        await ctx.store().set('members', `{g}:${u}`, u, { indexes: [guild('g')] });
      expect(await ctx.store().indexCount('members', guild('g'))).toBe(2);
      expect(await collect(ctx.store().indexKeys('members', guild('g')))).toEqual(['{g}:b', '{g}:c']);
    });

    it('an expired entry leaves its indexes', async () => {
      await ctx.store().set('messages', 'old', 1, { ttl: 60, indexes: [channel('c')] });
      await ctx.store().set('messages', 'new', 2, { indexes: [channel('c')] });
      await ctx.waitPast(60);
      expect(await ctx.store().indexCount('messages', channel('c'))).toBe(1);
      expect(await collect(ctx.store().indexKeys('messages', channel('c')))).toEqual(['new']);
      expect(await ctx.store().indexHas('messages', channel('c'), 'old')).toBe(false);
    });

    it('writing with new indexes moves the entry (a voice state changing channel)', async () => {
      await ctx.store().set('voice', '{g}:u', { channel_id: 'c1' }, { indexes: [guild('g'), channel('c1')] });
      await ctx.store().set('voice', '{g}:u', { channel_id: 'c2' }, { indexes: [guild('g'), channel('c2')] });
      expect(await ctx.store().indexCount('voice', channel('c1'))).toBe(0);
      expect(await ctx.store().indexCount('voice', channel('c2'))).toBe(1);
      expect(await ctx.store().indexCount('voice', guild('g'))).toBe(1);
    });

    it('writing without indexes keeps the links the entry had', async () => {
      await ctx.store().set('channels', 'c', { v: 1 }, { indexes: [guild('g')] });
      await ctx.store().set('channels', 'c', { v: 2 });
      expect(await ctx.store().indexHas('channels', guild('g'), 'c')).toBe(true);
      await ctx.store().set('channels', 'c', { v: 3 }, { indexes: [] });
      expect(await ctx.store().indexHas('channels', guild('g'), 'c')).toBe(false);
      expect(await ctx.store().get('channels', 'c')).toEqual({ v: 3 });
    });

    it('link and unlink change membership of existing entries only', async () => {
      await ctx.store().setMany('users', [
        ['a', 1],
        ['b', 2],
      ]);
      expect(await ctx.store().link('users', channel('c'), ['a', 'b', 'missing'])).toBe(2);
      expect(await ctx.store().link('users', channel('c'), ['a'])).toBe(0);
      expect(await collect(ctx.store().indexKeys('users', channel('c')))).toEqual(['a', 'b']);
      expect(await ctx.store().unlink('users', channel('c'), ['a', 'missing'])).toBe(1);
      expect(await collect(ctx.store().indexKeys('users', channel('c')))).toEqual(['b']);
      expect(await ctx.store().get('users', 'a')).toBe(1);
      await ctx.store().delete('users', 'b');
      expect(await ctx.store().indexCount('users', channel('c'))).toBe(0);
    });

    it('clearIndex unlinks the entries but keeps them by default', async () => {
      await ctx.store().set('channels', 'c1', 1, { indexes: [guild('g')] });
      await ctx.store().set('channels', 'c2', 2, { indexes: [guild('g')] });
      expect(await ctx.store().clearIndex('channels', guild('g'))).toBe(2);
      expect(await ctx.store().indexCount('channels', guild('g'))).toBe(0);
      expect(await ctx.store().getMany('channels', ['c1', 'c2'])).toEqual([1, 2]);
    });

    it('clearIndex with deleteEntries deletes the entries and their other links', async () => {
      await ctx.store().set('voice', '{g}:a', 1, { indexes: [guild('g'), channel('c')] });
      await ctx.store().set('voice', '{g}:b', 2, { indexes: [guild('g'), channel('c')] });
      await ctx.store().set('voice', '{h}:a', 3, { indexes: [guild('h'), channel('c')] });
      expect(await ctx.store().clearIndex('voice', guild('g'), { deleteEntries: true })).toBe(2);
      expect(await ctx.store().count('voice')).toBe(1);
      expect(await collect(ctx.store().indexKeys('voice', channel('c')))).toEqual(['{h}:a']);
    });

    it('clearing a namespace empties its indexes', async () => {
      await ctx.store().set('roles', 'r', 1, { indexes: [guild('g')] });
      await ctx.store().clear('roles');
      expect(await ctx.store().indexCount('roles', guild('g'))).toBe(0);
      await ctx.store().set('roles', 'r', 2);
      expect(await ctx.store().indexHas('roles', guild('g'), 'r')).toBe(false);
    });

    it('an index can be iterated while its parent gains and loses members', async () => {
      const link = { by: 'guild', parent: 'g' };
      await ctx.store().setMany(
        'members',
        Array.from({ length: 300 }, (_, i) => [`{g}:s${i}`, i, { indexes: [link] }] as const),
      );
      const seen: string[] = [];
      for await (const key of ctx.store().indexKeys('members', link, { window: 25 })) {
        seen.push(key);
        if (seen.length <= 50)
          await ctx.store().set('members', `{g}:n${seen.length}`, 0, { indexes: [link] });
      }
      const stable = seen.filter((key) => key.startsWith('{g}:s'));
      expect(new Set(stable).size).toBe(300);
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('indexes iterate in windows across thousands of members', async () => {
      const entries = Array.from(
        { length: 2500 },
        (_, i) => [`{g}:${String(i).padStart(5, '0')}`, i, { indexes: [guild('g')] }] as const,
      );
      await ctx.store().setMany('members', entries);
      const keys = await collect(ctx.store().indexKeys('members', guild('g'), { window: 300 }));
      expect(keys).toHaveLength(2500);
      expect(new Set(keys).size).toBe(2500);
      expect(await ctx.store().indexCount('members', guild('g'))).toBe(2500);
    });
  });
}
