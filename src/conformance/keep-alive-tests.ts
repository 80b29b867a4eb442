import { describe, expect, it } from 'vitest';
import type { BatchOp, KeepAliveReference } from '../store/types.js';
import type { SuiteContext } from './context.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** Generous: a loaded machine may take a while between the write and the read. */
const MARGIN = 20_000;

const byMember: KeepAliveReference = { ns: 'members', by: 'user', ttl: Number.POSITIVE_INFINITY };
const byMessage: KeepAliveReference = { ns: 'messages', by: 'author', ttl: 2 * HOUR };

function keepAlive(key: string, ttl: number, whileReferenced = [byMember, byMessage]): BatchOp {
  return { type: 'keepAlive', ns: 'users', key, ttl, whileReferenced };
}

/** The batch's keepAlive: an entry's expiry settled from its references, after the rest of the batch. */
export function keepAliveTests(ctx: SuiteContext): void {
  describe('keepAlive in a batch', () => {
    async function left(key: string): Promise<number | undefined> {
      const entry = await ctx.store().getEntry('users', key);
      expect(entry, `users/${key} exists`).toBeDefined();
      return entry?.expiresAt === undefined ? undefined : entry.expiresAt - Date.now();
    }

    it('does nothing to a missing entry', async () => {
      expect(await ctx.store().batch([keepAlive('nobody', MINUTE)])).toEqual([false]);
      expect(await ctx.store().has('users', 'nobody')).toBe(false);
      expect(await ctx.store().count('users')).toBe(0);
    });

    it('without references gives an entry without expiry its ttl, and it then expires', async () => {
      await ctx.store().set('users', 'u', { id: 'u' }, { indexes: [{ by: 'guild', parent: 'g' }] });
      expect(await ctx.store().batch([keepAlive('u', 80)])).toEqual([true]);
      expect(await left('u')).toBeLessThanOrEqual(80);
      await ctx.waitPast(80);
      expect(await ctx.store().get('users', 'u')).toBeUndefined();
      expect(await ctx.store().indexCount('users', { by: 'guild', parent: 'g' })).toBe(0);
    });

    it('pushes a sooner expiry back, links included, and leaves a recent one within its slack', async () => {
      const link = { by: 'guild', parent: 'g' };
      await ctx.store().set('users', 'u', { id: 'u' }, { ttl: 80, indexes: [link] });
      expect(await ctx.store().batch([keepAlive('u', MINUTE)])).toEqual([true]);
      const after = (await left('u')) as number;
      expect(after).toBeGreaterThan(MINUTE - MARGIN);
      expect(after).toBeLessThanOrEqual(MINUTE + 1_000);
      // Asked again at once: the expiry would move by less than its slack, so it stays.
      expect(await ctx.store().batch([keepAlive('u', MINUTE)])).toEqual([false]);
      await ctx.waitPast(80);
      expect(await ctx.store().get('users', 'u')).toEqual({ id: 'u' });
      expect(await ctx.store().indexHas('users', link, 'u')).toBe(true);
      const links = await ctx.store().linksOf?.('users', 'u');
      if (links !== undefined) expect(links).toContainEqual(link);
    });

    it('never shortens a later expiry', async () => {
      await ctx.store().set('users', 'u', { id: 'u' }, { ttl: HOUR });
      expect(await ctx.store().batch([keepAlive('u', MINUTE)])).toEqual([false]);
      expect(await left('u')).toBeGreaterThan(HOUR - MARGIN);
    });

    it('Infinity removes the expiry', async () => {
      await ctx.store().set('users', 'u', { id: 'u' }, { ttl: 80 });
      expect(await ctx.store().batch([keepAlive('u', Number.POSITIVE_INFINITY, [])])).toEqual([true]);
      expect(await left('u')).toBeUndefined();
      expect(await ctx.store().batch([keepAlive('u', Number.POSITIVE_INFINITY, [])])).toEqual([false]);
      await ctx.waitPast(80);
      expect(await ctx.store().get('users', 'u')).toEqual({ id: 'u' });
    });

    it('a live reference holds the entry for its own ttl; the largest one wins', async () => {
      await ctx.store().set('users', 'u', { id: 'u' }, { ttl: 80 });
      await ctx.store().set('messages', 'm', { id: 'm' }, { indexes: [{ by: 'author', parent: 'u' }] });
      expect(await ctx.store().batch([keepAlive('u', MINUTE)])).toEqual([true]);
      const held = (await left('u')) as number;
      expect(held).toBeGreaterThan(2 * HOUR - MARGIN);
      expect(held).toBeLessThanOrEqual(2 * HOUR + 1_000);

      await ctx.store().set('members', '{g}:u', { nick: 'a' }, { indexes: [{ by: 'user', parent: 'u' }] });
      expect(await ctx.store().batch([keepAlive('u', MINUTE)])).toEqual([true]);
      expect(await left('u'), 'a member holds it without expiry').toBeUndefined();
    });

    it('references of another entry, or through another index, do not count', async () => {
      await ctx.store().set('users', 'u', { id: 'u' });
      await ctx.store().set('members', '{g}:w', { nick: 'w' }, { indexes: [{ by: 'user', parent: 'w' }] });
      await ctx.store().set('members', '{g}:x', { nick: 'x' }, { indexes: [{ by: 'guild', parent: 'u' }] });
      expect(await ctx.store().batch([keepAlive('u', MINUTE)])).toEqual([true]);
      expect(await left('u')).toBeLessThanOrEqual(MINUTE);
    });

    it("runs after the batch's other operations, wherever it stands", async () => {
      const userLink = { by: 'user', parent: 'u' };
      await ctx.store().set('users', 'u', { id: 'u' });
      await ctx.store().set('members', '{g}:u', { nick: 'a' }, { indexes: [userLink] });
      await ctx.store().set('messages', 'm', { id: 'm' }, { indexes: [{ by: 'author', parent: 'u' }] });
      // Placed first, it still sees the member and the message deleted by the ops after it.
      const results = await ctx
        .store()
        .batch([
          keepAlive('u', MINUTE),
          { type: 'delete', ns: 'members', key: '{g}:u' },
          { type: 'delete', ns: 'messages', key: 'm' },
        ]);
      expect(results).toEqual([true, true, true]);
      expect(await left('u')).toBeLessThanOrEqual(MINUTE);

      // And a member linked by the same batch holds it, along with the user's own write.
      const again = await ctx.store().batch([
        keepAlive('u', MINUTE),
        { type: 'set', ns: 'users', key: 'u', value: { id: 'u', v: 2 }, options: { ttl: MINUTE } },
        {
          type: 'set',
          ns: 'members',
          key: '{h}:u',
          value: { nick: 'b' },
          options: { indexes: [userLink] },
        },
      ]);
      expect(again).toEqual([true, { id: 'u' }, undefined]);
      expect(await left('u')).toBeUndefined();
      expect(await ctx.store().get('users', 'u')).toEqual({ id: 'u', v: 2 });
    });

    it('after a clearIndex in the same batch', async () => {
      const guild = { by: 'guild', parent: 'g' };
      await ctx.store().set('users', 'u', { id: 'u' });
      await ctx
        .store()
        .set('members', '{g}:u', { nick: 'a' }, { indexes: [guild, { by: 'user', parent: 'u' }] });
      const results = await ctx
        .store()
        .batch([
          { type: 'clearIndex', ns: 'members', link: guild, options: { deleteEntries: true } },
          keepAlive('u', MINUTE),
        ]);
      expect(results).toEqual([1, true]);
      expect(await left('u')).toBeLessThanOrEqual(MINUTE);
    });

    it('rejects a malformed keepAlive before applying anything', async () => {
      const bad = [
        { type: 'keepAlive', ns: 'users', key: 'u', ttl: 0, whileReferenced: [] },
        { type: 'keepAlive', ns: 'users', key: 'u', ttl: MINUTE },
        {
          type: 'keepAlive',
          ns: 'users',
          key: 'u',
          ttl: MINUTE,
          whileReferenced: [{ ns: 'members', by: 'user' }],
        },
        { type: 'keepAlive', ns: 'users', key: '', ttl: MINUTE, whileReferenced: [] },
      ];
      for (const op of bad) {
        await expect(
          ctx.store().batch([{ type: 'set', ns: 'users', key: 'a', value: 1 }, op as unknown as BatchOp]),
        ).rejects.toThrow(/ops\[1\]/);
      }
      expect(await ctx.store().count('users')).toBe(0);
    });
  });
}
