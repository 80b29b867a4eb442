import { describe, expect, it } from 'vitest';
import type { SuiteContext } from './context.js';

/** get / set / has / delete / getMany / setMany / clear / count, and what values may be. */
export function basicTests(ctx: SuiteContext): void {
  describe('reads and writes', () => {
    it('get resolves undefined for a key never written', async () => {
      expect(await ctx.store().get('users', 'nobody')).toBeUndefined();
    });

    it('set then get returns an equal value', async () => {
      const user = { id: '80351110224678912', username: 'Nelly', flags: 64, bot: false, avatar: null };
      await ctx.store().set('users', user.id, user);
      expect(await ctx.store().get('users', user.id)).toEqual(user);
    });

    it('a later change to the written object does not change what is stored', async () => {
      const guild = { id: '1', name: 'before', roles: ['a'] };
      await ctx.store().set('guilds', '1', guild);
      guild.name = 'after';
      guild.roles.push('b');
      expect(await ctx.store().get('guilds', '1')).toEqual({ id: '1', name: 'before', roles: ['a'] });
    });

    it('changing a returned value does not change what is stored', async () => {
      await ctx.store().set('guilds', '1', { id: '1', name: 'kept', tags: ['x'] });
      const got = (await ctx.store().get<{ name: string; tags: string[] }>('guilds', '1'))!;
      try {
        got.name = 'changed';
        got.tags.push('y');
      } catch {
        // frozen values refuse the change, which is as good
      }
      expect(await ctx.store().get('guilds', '1')).toEqual({ id: '1', name: 'kept', tags: ['x'] });
    });

    it('snowflake ids stay strings, digit for digit', async () => {
      const id = '1234567890123456789012';
      await ctx.store().set('users', id, { id, guild_id: '9007199254740993' });
      const got = await ctx.store().get<{ id: string; guild_id: string }>('users', id);
      expect(got?.id).toBe(id);
      expect(got?.guild_id).toBe('9007199254740993');
      expect(typeof got?.guild_id).toBe('string');
    });

    it('unicode keys and values round-trip', async () => {
      const key = 'ключ-🔑-鍵';
      await ctx.store().set('users', key, { name: 'Zoë 👋 名前', empty: '' });
      expect(await ctx.store().get('users', key)).toEqual({ name: 'Zoë 👋 名前', empty: '' });
    });

    it('keys with hash tags, colons and spaces work', async () => {
      const keys = ['{123}:456', 'a:b:c', 'with space', '__proto__', 'constructor'];
      for (const key of keys) await ctx.store().set('members', key, { key });
      for (const key of keys) expect(await ctx.store().get('members', key)).toEqual({ key });
      expect(await ctx.store().count('members')).toBe(keys.length);
    });

    it('a key and the same key in hash-tag braces are two keys (k and {k})', async () => {
      const store = ctx.store();
      await store.set('users', 'k', 1);
      await store.set('users', '{k}', 2);
      await store.set('users', '#{k}', 3);
      expect(await store.getMany('users', ['k', '{k}', '#{k}'])).toEqual([1, 2, 3]);
      await store.delete('users', '{k}');
      expect(await store.get('users', 'k')).toBe(1);
      expect(await store.count('users')).toBe(2);
    });

    it('primitive values and falsy values are values, not misses', async () => {
      const values: [string, unknown][] = [
        ['zero', 0],
        ['empty', ''],
        ['false', false],
        ['null', null],
        ['list', []],
      ];
      for (const [key, value] of values) await ctx.store().set('static', key, value);
      for (const [key, value] of values) {
        expect(await ctx.store().get('static', key)).toEqual(value);
        expect(await ctx.store().has('static', key)).toBe(true);
      }
    });

    it('namespaces are separate', async () => {
      await ctx.store().set('users', '1', { kind: 'user' });
      await ctx.store().set('guilds', '1', { kind: 'guild' });
      expect(await ctx.store().get('users', '1')).toEqual({ kind: 'user' });
      expect(await ctx.store().get('guilds', '1')).toEqual({ kind: 'guild' });
      await ctx.store().delete('users', '1');
      expect(await ctx.store().get('guilds', '1')).toEqual({ kind: 'guild' });
    });

    it('set overwrites the previous value', async () => {
      await ctx.store().set('users', '1', { v: 1 });
      await ctx.store().set('users', '1', { v: 2 });
      expect(await ctx.store().get('users', '1')).toEqual({ v: 2 });
      expect(await ctx.store().count('users')).toBe(1);
    });

    it('has tells whether a key is present', async () => {
      await ctx.store().set('users', '1', { v: 1 });
      expect(await ctx.store().has('users', '1')).toBe(true);
      expect(await ctx.store().has('users', '2')).toBe(false);
    });

    it('delete removes the entry and says whether it existed', async () => {
      await ctx.store().set('users', '1', { v: 1 });
      expect(await ctx.store().delete('users', '1')).toBe(true);
      expect(await ctx.store().delete('users', '1')).toBe(false);
      expect(await ctx.store().get('users', '1')).toBeUndefined();
    });

    it('getMany returns values in the order asked, undefined for misses', async () => {
      await ctx.store().setMany('users', [
        ['a', { n: 'a' }],
        ['c', { n: 'c' }],
      ]);
      expect(await ctx.store().getMany('users', ['c', 'b', 'a', 'c'])).toEqual([
        { n: 'c' },
        undefined,
        { n: 'a' },
        { n: 'c' },
      ]);
      expect(await ctx.store().getMany('users', [])).toEqual([]);
    });

    it('getMany reads 1000 keys at once', async () => {
      const entries = Array.from({ length: 1000 }, (_, i) => [`k${i}`, { i }] as const);
      await ctx.store().setMany('users', entries);
      const got = await ctx.store().getMany<{ i: number }>(
        'users',
        entries.map(([key]) => key),
      );
      expect(got).toHaveLength(1000);
      expect(got.every((value, i) => value?.i === i)).toBe(true);
    });

    it('setMany honours per-entry options', async () => {
      await ctx.store().setMany('users', [
        ['short', { v: 1 }, { ttl: 60 }],
        ['long', { v: 2 }],
      ]);
      await ctx.waitPast(60);
      expect(await ctx.store().get('users', 'short')).toBeUndefined();
      expect(await ctx.store().get('users', 'long')).toEqual({ v: 2 });
    });

    it('deleteMany resolves to how many existed', async () => {
      await ctx.store().setMany('users', [
        ['a', 1],
        ['b', 2],
        ['c', 3],
      ]);
      expect(await ctx.store().deleteMany('users', ['a', 'b', 'zz'])).toBe(2);
      expect(await ctx.store().getMany('users', ['a', 'b', 'c'])).toEqual([undefined, undefined, 3]);
    });

    it('clear empties one namespace and leaves the others', async () => {
      await ctx.store().setMany('users', [
        ['a', 1],
        ['b', 2],
      ]);
      await ctx.store().set('guilds', 'g', { id: 'g' });
      await ctx.store().clear('users');
      expect(await ctx.store().count('users')).toBe(0);
      expect(await ctx.store().get('users', 'a')).toBeUndefined();
      expect(await ctx.store().get('guilds', 'g')).toEqual({ id: 'g' });
    });

    it('count follows writes and deletes', async () => {
      expect(await ctx.store().count('users')).toBe(0);
      await ctx.store().setMany(
        'users',
        Array.from({ length: 25 }, (_, i) => [`u${i}`, i] as const),
      );
      expect(await ctx.store().count('users')).toBe(25);
      await ctx.store().delete('users', 'u3');
      expect(await ctx.store().count('users')).toBe(24);
    });

    it('values that are not JSON-compatible are refused with a TypeError', async () => {
      const bad: unknown[] = [
        () => 1,
        10n,
        Symbol('s'),
        new Map(),
        new Date(),
        undefined,
        { n: Number.NaN },
        [Infinity],
      ];
      for (const value of bad) {
        await expect(ctx.store().set('users', 'bad', value)).rejects.toThrow(TypeError);
      }
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      await expect(ctx.store().set('users', 'bad', circular)).rejects.toThrow(TypeError);
      expect(await ctx.store().has('users', 'bad')).toBe(false);
    });

    it('an ifExists write updates a live entry and never brings back a missing one', async () => {
      await ctx.store().set('members', '{g}:u', { nick: 'a' });
      await ctx.store().set('members', '{g}:u', { nick: 'b' }, { ifExists: true });
      expect(await ctx.store().get('members', '{g}:u')).toEqual({ nick: 'b' });
      await ctx.store().delete('members', '{g}:u');
      await ctx.store().set('members', '{g}:u', { nick: 'c' }, { ifExists: true });
      expect(await ctx.store().has('members', '{g}:u')).toBe(false);
      await expect(
        ctx.store().set('members', 'x', 1, { ifExists: true, indexes: [{ by: 'guild', parent: 'g' }] }),
      ).rejects.toThrow(/not both/);
    });

    it('getEntry returns the value with its absolute expiry', async () => {
      await ctx.store().set('users', 'forever', { v: 1 });
      const before = Date.now();
      await ctx.store().set('users', 'soon', { v: 2 }, { ttl: 10_000 });
      expect(await ctx.store().getEntry('users', 'forever')).toEqual({
        value: { v: 1 },
        expiresAt: undefined,
      });
      const soon = await ctx.store().getEntry('users', 'soon');
      expect(soon?.value).toEqual({ v: 2 });
      expect(soon?.expiresAt).toBeGreaterThanOrEqual(before + 9_000);
      expect(soon?.expiresAt).toBeLessThanOrEqual(Date.now() + 10_050);
      expect(await ctx.store().getEntry('users', 'missing')).toBeUndefined();
    });
  });
}
