/**
 * Dispatches that arrived before their guild (a member added while the GUILD_CREATE is still on its
 * way). They wait, in order, for the guild; if it does not come within the timeout they are dropped:
 * the cache never holds children of a guild it does not know.
 */
export class PendingGuildBuffer<T> {
  private readonly pending = new Map<string, { items: T[]; timer: NodeJS.Timeout }>();
  private count = 0;

  constructor(
    private readonly timeout: number,
    private readonly maxPerGuild: number,
    /** Called with the items that were dropped (expired, overflowed or their guild left). */
    private readonly onDrop: (
      guildId: string,
      items: readonly T[],
      reason: 'expired' | 'overflow' | 'left',
    ) => void,
  ) {}

  /** How many dispatches wait right now. */
  get size(): number {
    return this.count;
  }

  /** The guilds that have dispatches waiting. */
  guilds(): string[] {
    return [...this.pending.keys()];
  }

  has(guildId: string): boolean {
    return this.pending.has(guildId);
  }

  add(guildId: string, item: T): void {
    let entry = this.pending.get(guildId);
    if (!entry) {
      const timer = setTimeout(() => this.drop(guildId, 'expired'), this.timeout);
      timer.unref();
      entry = { items: [], timer };
      this.pending.set(guildId, entry);
    }
    entry.items.push(item);
    this.count += 1;
    if (entry.items.length > this.maxPerGuild) {
      const oldest = entry.items.shift()!;
      this.count -= 1;
      this.onDrop(guildId, [oldest], 'overflow');
    }
  }

  /** Removes and returns the guild's buffered dispatches, oldest first. */
  take(guildId: string): T[] {
    const entry = this.pending.get(guildId);
    if (!entry) return [];
    clearTimeout(entry.timer);
    this.pending.delete(guildId);
    this.count -= entry.items.length;
    return entry.items;
  }

  drop(guildId: string, reason: 'expired' | 'left'): void {
    const items = this.take(guildId);
    if (items.length > 0) this.onDrop(guildId, items, reason);
  }

  clear(): void {
    for (const guildId of [...this.pending.keys()]) this.drop(guildId, 'left');
  }
}
