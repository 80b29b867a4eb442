import type { IndexLink, StoreAudit, StoredEntry } from '../types.js';
import type { KeyLayout } from './key-layout.js';
import type { RedisConnection } from './redis-connection.js';

/**
 * Read-only views of what a RedisStore holds, for checkers such as verifyCache: only SCAN, ZSCAN,
 * ZSCORE, MGET and PTTL — no script, no pruning of stale members, no lru touch — so checking a cache
 * never changes it (and works for a read-only ACL user).
 */
export class RedisAudit implements StoreAudit {
  constructor(
    private readonly connection: RedisConnection,
    private readonly layout: KeyLayout,
    private readonly decode: (ns: string, key: string, data: unknown) => unknown,
    private readonly ready: () => Promise<void>,
    /** Whether a namespace keeps a registry (one with `max`); the others are listed by their values. */
    private readonly hasRegistry: (ns: string) => boolean,
  ) {}

  /** Every key that has a value, found by SCAN on every master (whether or not a registry lists it), each once. */
  async *storedKeys(ns: string): AsyncIterable<string> {
    await this.ready();
    const seen = new Set<string>();
    for await (const window of this.connection.scan(ns, this.layout.valuePattern(ns), 1000)) {
      for (const redisKey of window) {
        const key = this.layout.keyOfValue(ns, redisKey);
        if (key === undefined || seen.has(key)) continue;
        seen.add(key);
        yield key;
      }
    }
  }

  /**
   * The members of the namespace's registry, as stored. A namespace without a registry is listed by
   * its values, so every stored entry counts as registered: iteration and counting walk the same SCAN.
   */
  registeredKeys(ns: string): AsyncIterable<string> {
    if (!this.hasRegistry(ns)) return this.storedKeys(ns);
    return this.#zscan(ns, this.layout.registry(ns));
  }

  /** The members of a parent's index, as stored (dangling ones included). */
  indexMembers(ns: string, link: IndexLink): AsyncIterable<string> {
    return this.#zscan(ns, this.layout.index(ns, link));
  }

  async indexHas(ns: string, link: IndexLink, key: string): Promise<boolean> {
    await this.ready();
    const index = this.layout.index(ns, link);
    const score = await this.connection.send(ns, index, ['ZSCORE', index, key], true);
    return score !== null && score !== undefined;
  }

  /** Entries with their expiry, undefined where there is none (MGET and PTTL, one key at a time per slot). */
  async entries(ns: string, keys: readonly string[]): Promise<(StoredEntry | undefined)[]> {
    await this.ready();
    return Promise.all(
      keys.map(async (key) => {
        const valueKey = this.layout.value(ns, key);
        const [data, ttl] = await Promise.all([
          this.connection.send(ns, valueKey, ['GET', valueKey], true),
          this.connection.send(ns, valueKey, ['PTTL', valueKey], true),
        ]);
        if (data === null || data === undefined) return undefined;
        const ms = Number(ttl);
        return { value: this.decode(ns, key, data), expiresAt: ms > 0 ? Date.now() + ms : undefined };
      }),
    );
  }

  async *#zscan(ns: string, key: string): AsyncIterable<string> {
    await this.ready();
    const seen = new Set<string>();
    let cursor = '0';
    do {
      const reply = (await this.connection.send(ns, key, ['ZSCAN', key, cursor, 'COUNT', '1000'], true)) as [
        string,
        unknown[],
      ];
      cursor = String(reply[0]);
      for (let i = 0; i < reply[1].length; i += 2) {
        const member = String(reply[1][i]);
        if (!seen.has(member)) {
          seen.add(member);
          yield member;
        }
      }
    } while (cursor !== '0');
  }
}
