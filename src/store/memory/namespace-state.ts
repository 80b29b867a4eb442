import { LRUCache } from 'lru-cache';
import type { LimitsInMs } from '../base-store.js';
import type { IndexLink, NamespaceLimits, NamespaceStats } from '../types.js';
import {
  type EntryTable,
  type MemoryEntry,
  type RemovalReason,
  UnboundedEntries,
} from './unbounded-entries.js';

export type { MemoryEntry } from './unbounded-entries.js';

/** A source of the current time in epoch milliseconds (tests pass a manual one). */
export interface Clock {
  now(): number;
}

/** The links of every entry that has none: one frozen array, not one per entry. */
export const NO_LINKS: readonly IndexLink[] = Object.freeze([]);

/**
 * The members of one parent's index, in link order. Most indexes of a bot hold one member (a user's
 * memberships, a message's author…), so a lone member is kept as the key itself and a Set is made only
 * for the second: 100k users then cost 100k strings, not 100k Sets.
 */
type IndexMembers = string | Set<string>;

/**
 * One namespace of a MemoryStore: its entries (an lru-cache when it has a `max`, a plain Map otherwise), and its parent indexes as
 * insertion-ordered sets (oldest link first, which is what per-parent caps drop).
 */
export class NamespaceState {
  lru: EntryTable;
  /** index name -> parent id -> members. Two levels: no joined id string is built per link. */
  readonly indexes = new Map<string, Map<string, IndexMembers>>();
  /** Whether any entry was ever given a TTL: counts must then skip stale entries. */
  hasTtl = false;
  /** Told of every entry a limit or a TTL drops (the store turns it into an event when someone listens). */
  onRemoved: ((key: string, reason: 'evict' | 'expire') => void) | undefined;
  /** The last link object kept per index name: the entries of one guild share their guild link. */
  readonly #lastLinks = new Map<string, IndexLink>();
  /** Set while the whole namespace is being cleared: indexes are dropped wholesale, not per entry. */
  private clearing = false;

  constructor(
    public limits: LimitsInMs,
    readonly stats: NamespaceStats,
    private readonly clock: Clock | undefined,
  ) {
    this.lru = this.createLru(limits);
  }

  private createLru(limits: NamespaceLimits): EntryTable {
    const dispose = (entry: MemoryEntry, key: string, reason: RemovalReason): void => {
      if (reason === 'set' || this.clearing) return;
      if (reason === 'evict') {
        this.stats.evictions++;
        this.onRemoved?.(key, reason);
      } else if (reason === 'expire') {
        this.stats.expirations++;
        this.onRemoved?.(key, reason);
      }
      this.removeLinks(key, entry.links);
    };
    const clock = this.clock;
    if (limits.max === undefined) return new UnboundedEntries(clock ? () => clock.now() : Date.now, dispose);
    // With an injected clock, lru-cache must read it on every check (no cached "now").
    const timing = clock ? { perf: clock, ttlResolution: 0 } : {};
    return new LRUCache<string, MemoryEntry>({ max: limits.max, dispose, ...timing });
  }

  /** Applies new limits, keeping the entries (oldest first, so a smaller max drops the oldest). */
  reconfigure(limits: LimitsInMs): void {
    const old = this.lru;
    this.limits = limits;
    this.lru = this.createLru(limits);
    for (const key of [...old.rkeys()]) {
      const info = old.info(key);
      if (!info) continue;
      const remaining = info.ttl ?? 0;
      if (info.ttl !== undefined && remaining <= 0) {
        this.removeLinks(key, info.value.links);
        continue;
      }
      this.lru.set(key, info.value, { ttl: remaining > 0 ? Math.ceil(remaining) : 0 });
    }
  }

  clear(): void {
    this.clearing = true;
    try {
      this.lru.clear();
    } finally {
      this.clearing = false;
    }
    this.indexes.clear();
  }

  read(key: string): MemoryEntry | undefined {
    return this.limits.policy === 'fifo' ? this.lru.peek(key) : this.lru.get(key);
  }

  /** Removes expired entries (and their links). */
  purgeStale(): void {
    if (this.hasTtl) this.lru.purgeStale();
  }

  isLive(key: string): boolean {
    return this.lru.has(key);
  }

  /**
   * The store's own copy of a writer's links (the writer may change its array later). Consecutive
   * entries linked to one parent share one link object, so a guild's 100k members hold one guild link.
   */
  ownLinks(links: readonly IndexLink[]): readonly IndexLink[] {
    if (links.length === 0) return NO_LINKS;
    const own = new Array<IndexLink>(links.length);
    for (let i = 0; i < links.length; i++) {
      const { by, parent } = links[i]!;
      let link = this.#lastLinks.get(by);
      if (link === undefined || link.parent !== parent) {
        link = Object.freeze({ by, parent });
        this.#lastLinks.set(by, link);
      }
      own[i] = link;
    }
    return own;
  }

  /** Adds a key to an index; returns false if it was already there. Enforces the per-parent cap. */
  addLink(key: string, link: IndexLink): boolean {
    let parents = this.indexes.get(link.by);
    if (!parents) {
      parents = new Map();
      this.indexes.set(link.by, parents);
    }
    const members = parents.get(link.parent);
    if (members === undefined) {
      parents.set(link.parent, key);
      return true;
    }
    let set: Set<string>;
    if (typeof members === 'string') {
      if (members === key) return false;
      set = new Set([members, key]);
      parents.set(link.parent, set);
    } else {
      if (members.has(key)) return false;
      set = members.add(key);
    }
    const cap = this.limits.maxPerParent?.[link.by];
    if (cap !== undefined) {
      while (set.size > cap) {
        const oldest = set.values().next().value as string;
        if (this.lru.delete(oldest)) {
          this.stats.evictions++;
          this.onRemoved?.(oldest, 'evict');
        } else set.delete(oldest);
      }
    }
    return true;
  }

  /** Removes a key from an index; returns false if it was not there. */
  removeLink(key: string, link: IndexLink): boolean {
    const parents = this.indexes.get(link.by);
    const members = parents?.get(link.parent);
    if (members === undefined || !parents) return false;
    if (typeof members === 'string') {
      if (members !== key) return false;
      parents.delete(link.parent);
      return true;
    }
    if (!members.delete(key)) return false;
    if (members.size === 0) parents.delete(link.parent);
    return true;
  }

  private removeLinks(key: string, links: readonly IndexLink[]): void {
    for (const link of links) this.removeLink(key, link);
  }

  private membersOf(link: IndexLink): IndexMembers | undefined {
    return this.indexes.get(link.by)?.get(link.parent);
  }

  /** Live members of an index, oldest link first (a snapshot, safe to hold while the store changes). */
  indexMembers(link: IndexLink): string[] {
    const members = this.membersOf(link);
    if (members === undefined) return [];
    const snapshot = typeof members === 'string' ? [members] : [...members];
    return this.hasTtl ? snapshot.filter((key) => this.lru.has(key)) : snapshot;
  }

  indexHas(link: IndexLink, key: string): boolean {
    const members = this.membersOf(link);
    if (members === undefined) return false;
    return (typeof members === 'string' ? members === key : members.has(key)) && this.lru.has(key);
  }

  /** Whether the index holds at least one live member (stops at the first). */
  hasLiveMember(by: string, parent: string): boolean {
    const members = this.indexes.get(by)?.get(parent);
    if (members === undefined) return false;
    if (typeof members === 'string') return !this.hasTtl || this.lru.has(members);
    if (!this.hasTtl) return members.size > 0;
    for (const key of members) if (this.lru.has(key)) return true;
    return false;
  }

  indexCount(link: IndexLink): number {
    const members = this.membersOf(link);
    if (members === undefined) return 0;
    if (typeof members === 'string') return !this.hasTtl || this.lru.has(members) ? 1 : 0;
    if (!this.hasTtl) return members.size;
    let live = 0;
    for (const key of members) if (this.lru.has(key)) live++;
    return live;
  }
}
