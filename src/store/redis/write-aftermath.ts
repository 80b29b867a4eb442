import type { IndexLink } from '../types.js';
import type { IndexReads } from './index-reads.js';
import { parseLinkId } from './key-layout.js';
import { CLAIM, EVICT } from './lua-scripts.js';
import type { NamespaceRegistry } from './namespace-registry.js';
import { type StoreContext, scoredPairs } from './store-context.js';
import { WritePlan } from './write-plan.js';
import type { EntryReply, WritePlanner } from './write-planner.js';

/** What a write left behind that must be tidied once it is applied (outside the atomic part). */
export interface Aftermath {
  /** Index links an entry lost: remove the member from those indexes. */
  readonly unlinked: { ns: string; key: string; link: IndexLink }[];
  /** Indexes that gained members and have a per-parent cap. */
  readonly capped: Map<string, { ns: string; link: IndexLink; cap: number }>;
  /** Namespaces that gained entries and have a max. */
  readonly bounded: Set<string>;
}

export function newAftermath(): Aftermath {
  return { unlinked: [], capped: new Map(), bounded: new Set() };
}

/**
 * The tidy-up after a write: lost links leave their indexes, per-parent caps and namespace maxima are
 * enforced (evicting the oldest), and the entries removed on the way are tidied the same way.
 */
export class WriteAftermath {
  constructor(
    private readonly context: StoreContext,
    private readonly planner: WritePlanner,
    private readonly indexes: IndexReads,
    private readonly registry: NamespaceRegistry,
  ) {}

  /** Notes what a set or delete changed, for the tidy-up that follows it. */
  noteWrite(
    after: Aftermath,
    ns: string,
    key: string,
    reply: EntryReply,
    newLinks: readonly IndexLink[] | undefined,
    deleted: boolean,
  ): void {
    const oldLinks = (reply[1] ?? []).map((id) => parseLinkId(String(id)));
    if (deleted || newLinks) {
      for (const old of oldLinks) {
        if (deleted || !newLinks?.some((l) => l.by === old.by && l.parent === old.parent)) {
          after.unlinked.push({ ns, key, link: old });
        }
      }
    }
    if (deleted) return;
    this.context.statsOf(ns).sets++;
    const limits = this.context.limitsOf(ns);
    if (limits.max !== undefined) after.bounded.add(ns);
    for (const link of newLinks ?? []) this.noteLinked(after, ns, link);
  }

  noteLinked(after: Aftermath, ns: string, link: IndexLink): void {
    const cap = this.context.limitsOf(ns).maxPerParent?.[link.by];
    if (cap !== undefined) after.capped.set(this.context.layout.index(ns, link), { ns, link, cap });
  }

  /** Removes lost links from indexes, then enforces per-parent caps and namespace maxima. */
  async tidy(after: Aftermath): Promise<void> {
    if (after.unlinked.length === 0 && after.capped.size === 0 && after.bounded.size === 0) return;
    if (after.unlinked.length > 0) {
      // Through validate, not a plain ZREM: a key that another process linked again since our write
      // must keep its index entry, so removal is checked against the link set in the same script.
      const byIndex = new Map<string, { ns: string; link: IndexLink; keys: string[] }>();
      for (const { ns, key, link } of after.unlinked) {
        const index = this.context.layout.index(ns, link);
        const group = byIndex.get(index) ?? { ns, link, keys: [] };
        byIndex.set(index, group);
        group.keys.push(key);
      }
      await Promise.all(
        [...byIndex.values()].map(({ ns, link, keys }) => this.indexes.validate(ns, link, keys)),
      );
    }
    for (const { ns, link, cap } of after.capped.values()) await this.#trimIndex(ns, link, cap);
    for (const ns of after.bounded) {
      const max = this.context.limitsOf(ns).max;
      if (max !== undefined) await this.#trimNamespace(ns, max);
    }
  }

  /** Drops the oldest members of an index above its cap: stale ones quietly, live ones as evictions. */
  async #trimIndex(ns: string, link: IndexLink, cap: number): Promise<void> {
    const { connection, layout } = this.context;
    const index = layout.index(ns, link);
    const size = Number(await connection.send(ns, index, ['ZCARD', index], true));
    if (size <= cap) return;
    const oldest = (await connection.send(ns, index, ['ZRANGE', index, '0', String(size - cap - 1)], true)) as
      | string[]
      | null;
    const valid = await this.indexes.validate(ns, link, (oldest ?? []).map(String));
    const evicted = await this.removeEntries(ns, valid);
    this.context.statsOf(ns).evictions += evicted;
  }

  /**
   * Drops the least recently written (fifo) or used (lru) entries above the namespace's max. An entry
   * picked here but rewritten (or read, under lru) by someone else before it is deleted stays: the
   * delete checks the registry score it was picked at, in the same script on standalone.
   */
  async #trimNamespace(ns: string, max: number): Promise<void> {
    const { connection, layout } = this.context;
    await this.registry.seeded(ns);
    const registry = layout.registry(ns);
    const size = Number(await connection.send(ns, registry, ['ZCARD', registry], true));
    if (size <= max) return;
    const picked = scoredPairs(
      (await connection.send(
        ns,
        registry,
        ['ZRANGE', registry, '0', String(size - max - 1), 'WITHSCORES'],
        true,
      )) as unknown[] | null,
    );
    if (picked.length === 0) return;
    const pickedArgs: string[] = [];
    for (const [member, score] of picked) pickedArgs.push(member, score);
    const stats = this.context.statsOf(ns);
    if (connection.isCluster) {
      // The registry and the entries live in different slots: claim in the registry's slot first
      // (only members still at their picked score), then delete what was claimed.
      const claimed = ((await connection.evalScript(ns, CLAIM, [registry], pickedArgs)) as unknown[]).map(
        String,
      );
      const evicted = await this.removeEntries(ns, claimed);
      stats.evictions += evicted;
      stats.expirations += claimed.length - evicted;
      return;
    }
    const keys = [registry];
    for (const [member] of picked) keys.push(layout.value(ns, member), layout.links(ns, member));
    const replies = (await connection.evalScript(ns, EVICT, keys, pickedArgs)) as (EntryReply | null)[];
    const after = newAftermath();
    picked.forEach(([member], i) => {
      const reply = replies[i];
      if (!reply) return; // touched since it was picked: it stays
      if (Number(reply[2]) === 1) stats.evictions++;
      else stats.expirations++;
      this.noteWrite(after, ns, member, reply, undefined, true);
    });
    await this.tidy(after);
  }

  /** Deletes entries with their links and registry membership; resolves to how many existed. */
  async removeEntries(ns: string, keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const plan = new WritePlan();
    const positions = keys.map((key) => this.planner.planDelete(plan, ns, key));
    const results = await this.planner.run(ns, plan);
    const after = newAftermath();
    let existed = 0;
    keys.forEach((key, i) => {
      const reply = results[positions[i] as number] as EntryReply;
      if (Number(reply[2]) === 1) existed++;
      this.noteWrite(after, ns, key, reply, undefined, true);
    });
    await this.tidy(after);
    return existed;
  }
}
