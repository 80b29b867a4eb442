import type { StoredEntry } from '../types.js';
import { GET_ENTRY } from './lua-scripts.js';
import { type StoreContext, tracksAccess } from './store-context.js';

/** Reads of entries by key: GET, MGET per slot, the entry with its expiry, and the lru touch they cause. */
export class EntryReads {
  constructor(private readonly context: StoreContext) {}

  // No async/await on the hot path: one driver promise and one `then`.
  get(ns: string, key: string): Promise<unknown> {
    const { connection, layout, binary } = this.context;
    const valueKey = layout.value(ns, key);
    return connection
      .send(ns, valueKey, ['GET', valueKey], true, binary)
      .then((reply) => this.#afterGet(ns, key, reply));
  }

  #afterGet(ns: string, key: string, reply: unknown): unknown {
    const stats = this.context.statsOf(ns);
    if (reply === null || reply === undefined) {
      stats.misses++;
      return undefined;
    }
    stats.hits++;
    const value = this.context.decode(ns, key, reply);
    if (tracksAccess(this.context, ns)) return this.touch(ns, [key]).then(() => value);
    return value;
  }

  /** Marks keys as just read, for lru eviction. */
  async touch(ns: string, keys: readonly string[]): Promise<void> {
    const registry = this.context.layout.registry(ns);
    const args = ['ZADD', registry, 'XX'];
    for (const key of keys) args.push(this.context.score(), key);
    await this.context.connection.send(ns, registry, args);
  }

  async getMany(ns: string, keys: readonly string[]): Promise<unknown[]> {
    const raw = await this.mget(ns, keys);
    const stats = this.context.statsOf(ns);
    const out = new Array<unknown>(keys.length);
    const hit: string[] = [];
    for (let i = 0; i < keys.length; i++) {
      const data = raw[i];
      if (data === null || data === undefined) {
        stats.misses++;
        continue;
      }
      stats.hits++;
      hit.push(keys[i] as string);
      out[i] = this.context.decode(ns, keys[i] as string, data);
    }
    if (hit.length > 0 && tracksAccess(this.context, ns)) await this.touch(ns, hit);
    return out;
  }

  /** Raw values of many keys: one MGET on standalone, one MGET per slot (in parallel) on Cluster. */
  async mget(ns: string, keys: readonly string[]): Promise<unknown[]> {
    const { connection, layout, binary } = this.context;
    const positions = keys.map((key, i) => ({ full: layout.value(ns, key), i }));
    const out = new Array<unknown>(keys.length);
    await Promise.all(
      connection
        .groupBySlot(positions, (p) => p.full)
        .map(async (group) => {
          const first = group[0]?.full as string;
          const args = ['MGET'];
          for (const p of group) args.push(p.full);
          const reply = (await connection.send(ns, first, args, true, binary)) as unknown[] | null;
          group.forEach((p, j) => {
            out[p.i] = reply?.[j] ?? null;
          });
        }),
    );
    return out;
  }

  /** Live [key, value] pairs of some keys, corrupt ones reported and skipped. */
  async values(ns: string, keys: readonly string[]): Promise<[string, unknown][]> {
    const raw = await this.mget(ns, keys);
    const out: [string, unknown][] = [];
    for (let i = 0; i < keys.length; i++) {
      if (raw[i] === null || raw[i] === undefined) continue;
      const decoded = this.context.decodeOrReport(ns, keys[i] as string, raw[i]);
      if (decoded.ok) out.push([keys[i] as string, decoded.value]);
    }
    return out;
  }

  async getEntry(ns: string, key: string): Promise<StoredEntry | undefined> {
    const { connection, layout, binary } = this.context;
    const valueKey = layout.value(ns, key);
    const reply = (await connection.evalScript(ns, GET_ENTRY, [valueKey], [], binary)) as
      | [string | Buffer, number]
      | null;
    const stats = this.context.statsOf(ns);
    if (!reply) {
      stats.misses++;
      return undefined;
    }
    stats.hits++;
    const expiresAt = Number(reply[1]);
    return {
      value: this.context.decode(ns, key, reply[0]),
      expiresAt: expiresAt > 0 ? expiresAt : undefined,
    };
  }

  async has(ns: string, key: string): Promise<boolean> {
    const valueKey = this.context.layout.value(ns, key);
    return Number(await this.context.connection.send(ns, valueKey, ['EXISTS', valueKey], true)) === 1;
  }
}
