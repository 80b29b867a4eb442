import type { IndexLink } from '../types.js';
import type { EntryReads } from './entry-reads.js';
import { linkId, parseLinkId } from './key-layout.js';
import { keySlot } from './key-slot.js';
import { VALIDATE, VALIDATE_PRUNE } from './lua-scripts.js';
import { type StoreContext, scoredPairs } from './store-context.js';

/**
 * Reads of parent indexes. An index member is only answered once its entry's link set confirms it, so
 * a member whose entry expired or moved elsewhere is never returned (and is dropped on the way).
 */
export class IndexReads {
  constructor(
    private readonly context: StoreContext,
    private readonly entries: EntryReads,
  ) {}

  /**
   * Which of `keys` are valid members of the index (their entry lives and still has the link); the others
   * are dropped from the index in the same script that checked them, where the link sets share the
   * index's slot (always on standalone). Across slots (Cluster, an entry tagged apart from its parent)
   * check and removal are two steps, so a member re-linked in between can lose its index entry until
   * its next write.
   */
  async validate(ns: string, link: IndexLink, keys: readonly string[]): Promise<string[]> {
    if (keys.length === 0) return [];
    const { connection, layout } = this.context;
    const id = linkId(link);
    const index = layout.index(ns, link);
    const indexSlot = connection.isCluster ? keySlot(index) : 0;
    const flags = new Array<boolean>(keys.length).fill(false);
    const positions = keys.map((key, i) => ({ full: layout.links(ns, key), key, i }));
    const crossSlotStale: string[] = [];
    await Promise.all(
      connection
        .groupBySlot(positions, (p) => p.full)
        .map(async (group) => {
          const sameSlot = !connection.isCluster || keySlot(group[0]?.full ?? '') === indexSlot;
          const reply = (
            sameSlot
              ? await connection.evalScript(
                  ns,
                  VALIDATE_PRUNE,
                  [index, ...group.map((p) => p.full)],
                  [id, ...group.map((p) => p.key)],
                )
              : await connection.evalScript(
                  ns,
                  VALIDATE,
                  group.map((p) => p.full),
                  [id],
                )
          ) as number[];
          group.forEach((p, j) => {
            flags[p.i] = Number(reply[j]) === 1;
            if (!sameSlot && !flags[p.i]) crossSlotStale.push(p.key);
          });
        }),
    );
    if (crossSlotStale.length > 0) await connection.send(ns, index, ['ZREM', index, ...crossSlotStale]);
    return keys.filter((_, i) => flags[i]);
  }

  /** Valid members of an index in windows, oldest link first (pages by score, so removals skip nothing). */
  async *windows(ns: string, link: IndexLink, window: number): AsyncIterable<string[]> {
    await this.context.ready();
    const { connection, layout } = this.context;
    const index = layout.index(ns, link);
    const seen = new Set<string>();
    let from = '-inf';
    for (;;) {
      const reply = (await connection.send(
        ns,
        index,
        ['ZRANGE', index, from, '+inf', 'BYSCORE', 'LIMIT', '0', String(window), 'WITHSCORES'],
        true,
      )) as unknown[];
      const page = scoredPairs(reply);
      const fresh = page.filter(([member]) => !seen.has(member)).map(([member]) => member);
      for (const member of fresh) seen.add(member);
      if (fresh.length > 0) {
        const valid = await this.validate(ns, link, fresh);
        if (valid.length > 0) yield valid;
      }
      const last = page[page.length - 1];
      if (page.length < window || !last || fresh.length === 0) return;
      from = String(last[1]); // inclusive: members sharing the last score are filtered by `seen`
    }
  }

  async *keys(ns: string, link: IndexLink, window: number): AsyncIterable<string> {
    for await (const keys of this.windows(ns, link, window)) yield* keys;
  }

  async *entriesOf(ns: string, link: IndexLink, window: number): AsyncIterable<[string, unknown]> {
    for await (const keys of this.windows(ns, link, window)) yield* await this.entries.values(ns, keys);
  }

  async count(ns: string, link: IndexLink): Promise<number> {
    let count = 0;
    for await (const keys of this.windows(ns, link, 1000)) count += keys.length;
    return count;
  }

  async has(ns: string, link: IndexLink, key: string): Promise<boolean> {
    const index = this.context.layout.index(ns, link);
    const score = await this.context.connection.send(ns, index, ['ZSCORE', index, key], true);
    if (score === null || score === undefined) return false;
    return (await this.validate(ns, link, [key])).length === 1;
  }

  /** The entry's link set (same slot as its value, expiring with it); empty once the value is gone. */
  async linksOf(ns: string, key: string): Promise<IndexLink[]> {
    const { connection, layout } = this.context;
    const valueKey = layout.value(ns, key);
    const linksKey = layout.links(ns, key);
    const exists = Number(await connection.send(ns, valueKey, ['EXISTS', valueKey], true));
    if (exists !== 1) return [];
    const ids = (await connection.send(ns, linksKey, ['SMEMBERS', linksKey], true)) as unknown[] | null;
    return (ids ?? []).map((id) => parseLinkId(String(id)));
  }
}
