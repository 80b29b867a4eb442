import { describe, expect, it } from 'vitest';
import type { ResourceSuiteContext } from './resource-context.js';

/** Iterating while writing: entries present throughout are seen once; the cache stays consistent. */
export function resourceIterationTests(ctx: ResourceSuiteContext): void {
  describe('resource iteration while writing', () => {
    it('a guild view iterated while members join and leave yields each stable member once', async () => {
      const cache = ctx.cache();
      for (let i = 0; i < 300; i++) await cache.members.set('g', `s${i}`, { i });
      const seen: string[] = [];
      let n = 0;
      for await (const [userId] of cache.members.forGuild('g')) {
        seen.push(userId);
        if (n < 100) await cache.members.set('g', `new${n}`, {});
        if (n < 50) await cache.members.delete('g', `s${299 - n}`);
        n++;
      }
      const stable = Array.from({ length: 250 }, (_, i) => `s${i}`);
      for (const id of stable) expect(seen.filter((s) => s === id)).toHaveLength(1);
      expect(new Set(seen).size).toBe(seen.length);
      expect(await cache.members.forGuild('g').count()).toBe(250 + Math.min(n, 100));
    });

    it('a whole resource iterated while it is written yields each stable entry once', async () => {
      const cache = ctx.cache();
      for (let i = 0; i < 200; i++) await cache.channels.set(`c${i}`, { i }, { guildId: 'g' });
      const seen = new Map<string, number>();
      let n = 0;
      for await (const [id] of cache.channels) {
        seen.set(id, (seen.get(id) ?? 0) + 1);
        if (n < 100) await cache.channels.set(`x${n}`, {}, { guildId: 'g' });
        n++;
      }
      for (let i = 0; i < 200; i++) expect(seen.get(`c${i}`)).toBe(1);
    });
  });
}
