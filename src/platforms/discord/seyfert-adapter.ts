/**
 * botcache as a Seyfert cache `Adapter` (Seyfert 5.1): `client.setServices({ cache: { adapter:
 * seyfertAdapter(store) } })` puts Seyfert's whole cache in any botcache store, memory, Redis,
 * Redis Cluster, SQLite or tiered.
 *
 * Mapping (Seyfert's calls, from seyfert/lib/cache/resources/default/*.js, onto the Store contract):
 * - each Seyfert resource (`member`, `user`, `channel`...) is one namespace, `<prefix><resource>`;
 * - a relationship `['member.<guildId>', userId]` is the entry's link in the `scope` index of
 *   parent `<guildId>`; a relationship `['user', id]` (no scope) is no link: the namespace is the set;
 * - `keys`/`values`/`count`/`getToRelationship` of `'resource.scope'` read that index, of
 *   `'resource'` the whole namespace; `removeRelationship` clears the index with its entries;
 * - `patch` merges the object into the stored one (arrays and other values replace it), like
 *   Seyfert's MemoryAdapter; writes of one key keep their call order within this process.
 */
import type { IndexLink, NamespaceLimits, Store } from '../../store/types.js';
import { assertNamespace, assertPositiveInteger, describe } from '../../util/validate.js';
import {
  idOfStoreKey,
  parseScanQuery,
  parseSeyfertKey,
  parseSeyfertTarget,
  type SeyfertKeyParts,
  type SeyfertTarget,
  seyfertKeyOf,
  storeKeyOf,
} from './seyfert-adapter-keys.js';
import { KeyedOrder } from './seyfert-adapter-queue.js';
import type { SeyfertAdapterLike, SeyfertEntry, SeyfertRelationship } from './seyfert-adapter-types.js';

/** The index that holds a guild's (or, for messages, a channel's) entries of a resource. */
export const SEYFERT_SCOPE_INDEX = 'scope';

/** The resources Seyfert 5.1's own cache writes (seyfert/lib/cache/adapters/shared.js). */
export const SEYFERT_RESOURCES = [
  'guild',
  'user',
  'channel',
  'emoji',
  'presence',
  'role',
  'stage_instance',
  'sticker',
  'overwrite',
  'ban',
  'member',
  'voice_state',
  'message',
] as const;
export type SeyfertResourceName = (typeof SEYFERT_RESOURCES)[number];

/** A resource's limits: the store's, with the per-parent bound named after Seyfert's scope. */
export interface SeyfertResourceLimits extends Omit<NamespaceLimits, 'maxPerParent'> {
  /** Most entries per guild (per channel for `message`); the one linked longest ago goes first. */
  readonly maxPerScope?: number;
}

export interface SeyfertAdapterOptions {
  /** Namespaces are `<prefix><resource>`; default `'seyfert.'` (`seyfert.member`, `seyfert.user`...). */
  readonly namespacePrefix?: string;
  /** Limits per resource name, applied to the store (e.g. `{ message: { ttl: 300_000, maxPerScope: 100 } }`). */
  readonly limits?: Readonly<Partial<Record<SeyfertResourceName, SeyfertResourceLimits>>> &
    Readonly<Record<string, SeyfertResourceLimits>>;
  /** Resources of plugins that `flush()` clears too, besides Seyfert's own and those this adapter wrote. */
  readonly resources?: readonly string[];
  /** Keys fetched per round trip when listing a resource or a scope. Default 1000. */
  readonly window?: number;
  /** Most keys of one store call in a bulk read, write or remove (Seyfert hands a whole guild over at once). Default 1000. */
  readonly writeChunk?: number;
}

interface ParsedWrite {
  readonly ns: string;
  readonly storeKey: string;
  readonly value: unknown;
  readonly links: readonly IndexLink[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Seyfert's patch rule (MemoryAdapter `_set`): an object is merged into the stored object. */
function merged(previous: unknown, value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  return isPlainObject(previous) ? { ...previous, ...value } : value;
}

function toNamespaceLimits(limits: SeyfertResourceLimits, name: string): NamespaceLimits {
  if (!isPlainObject(limits)) throw new TypeError(`${name} must be an object (got ${describe(limits)})`);
  const { maxPerScope, ...rest } = limits;
  if (maxPerScope === undefined) return rest;
  assertPositiveInteger(maxPerScope, `${name}.maxPerScope`);
  return { ...rest, maxPerParent: { [SEYFERT_SCOPE_INDEX]: maxPerScope } };
}

/** Splits a list by namespace, keeping each item's position. */
function groupBy<T>(items: readonly T[], nsOf: (item: T) => string): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  items.forEach((item, i) => {
    const ns = nsOf(item);
    const group = groups.get(ns);
    if (group) group.push(i);
    else groups.set(ns, [i]);
  });
  return groups;
}

/** Consecutive slices of at most `size` items: one store call each. */
function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/** Runs every task, waits for all of them (nothing stays pending), then rethrows the first failure. */
async function settleAll(tasks: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(tasks);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}

export class BotcacheSeyfertAdapter implements SeyfertAdapterLike {
  /** Every call returns a promise (Seyfert then awaits cache reads in its structures). */
  isAsync = true;
  readonly store: Store;
  readonly #prefix: string;
  readonly #window: number;
  readonly #chunk: number;
  readonly #namespaces = new Map<string, string>();
  readonly #order = new KeyedOrder();

  constructor(store: Store, options: SeyfertAdapterOptions = {}) {
    if (typeof store !== 'object' || store === null || typeof store.setMany !== 'function') {
      throw new TypeError(`store must be a botcache Store (got ${describe(store)})`);
    }
    this.store = store;
    this.#prefix = options.namespacePrefix ?? 'seyfert.';
    if (typeof this.#prefix !== 'string') {
      throw new TypeError(`namespacePrefix must be a string (got ${describe(this.#prefix)})`);
    }
    this.#window = options.window ?? 1000;
    assertPositiveInteger(this.#window, 'window');
    this.#chunk = options.writeChunk ?? 1000;
    assertPositiveInteger(this.#chunk, 'writeChunk');
    for (const resource of [...SEYFERT_RESOURCES, ...(options.resources ?? [])]) this.namespaceOf(resource);
    for (const [resource, limits] of Object.entries(options.limits ?? {})) {
      store.configure(this.namespaceOf(resource), toNamespaceLimits(limits, `limits.${resource}`));
    }
  }

  /** The store namespace of a Seyfert resource, e.g. `'seyfert.member'` for `'member'`. */
  namespaceOf(resource: string): string {
    let ns = this.#namespaces.get(resource);
    if (ns === undefined) {
      ns = `${this.#prefix}${resource}`;
      assertNamespace(ns, `namespace of resource '${resource}'`);
      this.#namespaces.set(resource, ns);
    }
    return ns;
  }

  /** The store key of a Seyfert key: `member.<guild>.<user>` -> `{<guild>}:<user>`, `user.<id>` -> `<id>`. */
  storeKeyOf(key: string): string {
    return storeKeyOf(parseSeyfertKey(key));
  }

  async start(): Promise<void> {
    await this.store.open();
  }

  /**
   * Keys (or values) of one resource whose Seyfert key matches `query`, e.g. `'member.*.*'` (every
   * member) or `'channel.*'`: `*` matches one segment. Walks the resource's namespace in windows.
   */
  scan(query: string, keys?: false): Promise<unknown[]>;
  scan(query: string, keys: true): Promise<string[]>;
  scan(query: string, keys?: boolean): Promise<unknown[]>;
  async scan(query: string, keys = false): Promise<unknown[]> {
    const compiled = parseScanQuery(query);
    const ns = this.namespaceOf(compiled.resource);
    const found: unknown[] = [];
    if (keys) {
      for await (const key of this.store.keys(ns, { window: this.#window })) {
        const seyfertKey = seyfertKeyOf(compiled.resource, key);
        if (compiled.matches(seyfertKey)) found.push(seyfertKey);
      }
    } else {
      for await (const [key, value] of this.store.entries(ns, { window: this.#window })) {
        if (compiled.matches(seyfertKeyOf(compiled.resource, key))) found.push(value);
      }
    }
    return found;
  }

  async get(key: string): Promise<unknown> {
    const parts = parseSeyfertKey(key);
    return (await this.store.get(this.namespaceOf(parts.resource), storeKeyOf(parts))) ?? null;
  }

  /** The values found, in the order of `keys`; misses are left out (as Seyfert's adapters do). */
  async bulkGet(keys: string[]): Promise<unknown[]> {
    const parsed = this.#parseKeys(keys, 'keys');
    const found = new Array<unknown>(parsed.length);
    const groups = groupBy(parsed, (parts) => this.namespaceOf(parts.resource));
    await Promise.all(
      [...groups].map(async ([ns, positions]) => {
        for (const part of chunks(positions, this.#chunk)) {
          const values = await this.store.getMany(
            ns,
            part.map((i) => storeKeyOf(parsed[i] as SeyfertKeyParts)),
          );
          part.forEach((position, j) => {
            found[position] = values[j];
          });
        }
      }),
    );
    return found.filter((value) => value !== undefined && value !== null);
  }

  set(key: string, value: unknown, relationship: SeyfertRelationship): Promise<void> {
    return this.#write([[key, value, relationship]], false, 'set');
  }

  bulkSet(entries: SeyfertEntry[]): Promise<void> {
    return this.#write(entries, false, 'entries');
  }

  patch(key: string, value: unknown, relationship: SeyfertRelationship): Promise<void> {
    return this.#write([[key, value, relationship]], true, 'patch');
  }

  bulkPatch(entries: SeyfertEntry[]): Promise<void> {
    return this.#write(entries, true, 'entries');
  }

  async values(to: string): Promise<unknown[]> {
    const target = parseSeyfertTarget(to);
    const ns = this.namespaceOf(target.resource);
    const values: unknown[] = [];
    const entries =
      target.scope === undefined
        ? this.store.entries(ns, { window: this.#window })
        : this.store.indexEntries(ns, this.#link(target.scope), { window: this.#window });
    for await (const [, value] of entries) values.push(value);
    return values;
  }

  async keys(to: string): Promise<string[]> {
    const target = parseSeyfertTarget(to);
    return (await this.#storeKeysOf(target)).map((key) => seyfertKeyOf(target.resource, key));
  }

  async count(to: string): Promise<number> {
    const target = parseSeyfertTarget(to);
    const ns = this.namespaceOf(target.resource);
    return target.scope === undefined
      ? this.store.count(ns)
      : this.store.indexCount(ns, this.#link(target.scope));
  }

  async remove(key: string): Promise<void> {
    await this.bulkRemove([key]);
  }

  async bulkRemove(keys: string[]): Promise<void> {
    const parsed = this.#parseKeys(keys, 'keys');
    const groups = groupBy(parsed, (parts) => this.namespaceOf(parts.resource));
    const orderKeys = parsed.map((parts) => `${this.namespaceOf(parts.resource)}\n${storeKeyOf(parts)}`);
    await this.#order.run(orderKeys, () =>
      settleAll(
        [...groups].map(async ([ns, positions]) => {
          for (const part of chunks(positions, this.#chunk)) {
            await this.store.deleteMany(
              ns,
              part.map((i) => storeKeyOf(parsed[i] as SeyfertKeyParts)),
            );
          }
        }),
      ),
    );
  }

  /** Empties every resource namespace this adapter knows (Seyfert's, `options.resources`, any it used). */
  async flush(): Promise<void> {
    await settleAll([...this.#namespaces.values()].map((ns) => this.store.clear(ns)));
  }

  async contains(to: string, id: string): Promise<boolean> {
    return (await this.#storeKeyOfId(parseSeyfertTarget(to), id, 'id')) !== undefined;
  }

  async getToRelationship(to: string): Promise<string[]> {
    return (await this.#storeKeysOf(parseSeyfertTarget(to))).map(idOfStoreKey);
  }

  async removeToRelationship(to: string, ids: string | string[]): Promise<void> {
    const target = parseSeyfertTarget(to);
    const list = Array.isArray(ids) ? ids : [ids];
    const found = await Promise.all(list.map((id, i) => this.#storeKeyOfId(target, id, `ids[${i}]`)));
    const keys = found.filter((key): key is string => key !== undefined);
    if (keys.length === 0) return;
    const ns = this.namespaceOf(target.resource);
    await this.#order.run(
      keys.map((key) => `${ns}\n${key}`),
      async () => {
        for (const part of chunks(keys, this.#chunk)) await this.store.deleteMany(ns, part);
      },
    );
  }

  async removeRelationship(to: string | string[]): Promise<void> {
    const targets = (Array.isArray(to) ? to : [to]).map((item, i) =>
      parseSeyfertTarget(item, Array.isArray(to) ? `to[${i}]` : 'to'),
    );
    await settleAll(
      targets.map((target) => {
        const ns = this.namespaceOf(target.resource);
        return target.scope === undefined
          ? this.store.clear(ns)
          : this.store.clearIndex(ns, this.#link(target.scope), { deleteEntries: true });
      }),
    );
  }

  #link(scope: string): IndexLink {
    return { by: SEYFERT_SCOPE_INDEX, parent: scope };
  }

  #parseKeys(keys: unknown, name: string): SeyfertKeyParts[] {
    if (!Array.isArray(keys)) throw new TypeError(`${name} must be an array of keys (got ${describe(keys)})`);
    return keys.map((key, i) => parseSeyfertKey(key, `${name}[${i}]`));
  }

  async #storeKeysOf(target: SeyfertTarget): Promise<string[]> {
    const ns = this.namespaceOf(target.resource);
    const keys: string[] = [];
    const iterable =
      target.scope === undefined
        ? this.store.keys(ns, { window: this.#window })
        : this.store.indexKeys(ns, this.#link(target.scope), { window: this.#window });
    for await (const key of iterable) keys.push(key);
    return keys;
  }

  /**
   * The stored key that `id` names under `to`, if present: a scope holds either `resource.scope.id`
   * keys (members) or `resource.id` keys (channels), as in Seyfert's MemoryAdapter.
   */
  async #storeKeyOfId(target: SeyfertTarget, id: unknown, name: string): Promise<string | undefined> {
    if (typeof id !== 'string') throw new TypeError(`${name} must be a string (got ${describe(id)})`);
    const parts = parseSeyfertKey(`${target.resource}.${id}`, name);
    const ns = this.namespaceOf(target.resource);
    if (target.scope === undefined) return (await this.store.has(ns, parts.id)) ? parts.id : undefined;
    const link = this.#link(target.scope);
    const scoped = storeKeyOf({ scope: target.scope, id: parts.id });
    const [inScope, global] = await Promise.all([
      this.store.indexHas(ns, link, scoped),
      this.store.indexHas(ns, link, parts.id),
    ]);
    if (inScope) return scoped;
    return global ? parts.id : undefined;
  }

  #parseWrite(entry: unknown, name: string): ParsedWrite {
    if (!Array.isArray(entry)) {
      throw new TypeError(`${name} must be a [key, value, relationship] tuple (got ${describe(entry)})`);
    }
    const [key, value, relationship] = entry as [unknown, unknown, unknown];
    const parts = parseSeyfertKey(key, `${name} key`);
    if (!Array.isArray(relationship) || relationship.length !== 2 || typeof relationship[1] !== 'string') {
      throw new TypeError(
        `${name} relationship of '${parts.resource}.${parts.id}' must be a [to, id] pair of strings (got ${describe(relationship)})`,
      );
    }
    const target = parseSeyfertTarget(relationship[0], `${name} relationship[0]`);
    const consistent =
      target.resource === parts.resource &&
      relationship[1] === parts.id &&
      (parts.scope === undefined || target.scope === parts.scope);
    if (!consistent) {
      throw new RangeError(
        `${name} relationship ['${relationship[0]}', '${relationship[1]}'] does not file key '${String(key)}': its resource, scope and id must match the key's`,
      );
    }
    return {
      ns: this.namespaceOf(parts.resource),
      storeKey: storeKeyOf(parts),
      value,
      links: target.scope === undefined ? [] : [this.#link(target.scope)],
    };
  }

  async #write(entries: unknown, patch: boolean, name: string): Promise<void> {
    if (!Array.isArray(entries)) {
      throw new TypeError(
        `${name} must be an array of [key, value, relationship] (got ${describe(entries)})`,
      );
    }
    const writes =
      name === 'entries'
        ? entries.map((entry, i) => this.#parseWrite(entry, `entries[${i}]`))
        : [this.#parseWrite(entries[0], name)];
    if (writes.length === 0) return;
    const groups = groupBy(writes, (write) => write.ns);
    await this.#order.run(
      writes.map((write) => `${write.ns}\n${write.storeKey}`),
      () =>
        settleAll(
          [...groups].map(([ns, positions]) =>
            this.#writeNamespace(
              ns,
              positions.map((i) => writes[i] as ParsedWrite),
              patch,
            ),
          ),
        ),
    );
  }

  /**
   * One namespace's share of a bulk write, in chunks of `writeChunk` keys (a GUILD_CREATE of a large
   * guild is one bulk call; one Redis command of 100k members would be tens of MB). A key written
   * twice in one call ends as its last write (patches fold in call order).
   */
  async #writeNamespace(ns: string, writes: readonly ParsedWrite[], patch: boolean): Promise<void> {
    const byKey = new Map<string, ParsedWrite[]>();
    for (const write of writes) {
      const same = byKey.get(write.storeKey);
      if (same) same.push(write);
      else byKey.set(write.storeKey, [write]);
    }
    for (const chunk of chunks([...byKey.keys()], this.#chunk)) {
      const stored = patch ? await this.store.getMany(ns, chunk) : undefined;
      const entries = chunk.map((key, i) => {
        const same = byKey.get(key) as ParsedWrite[];
        const last = same[same.length - 1] as ParsedWrite;
        let value = last.value;
        if (stored) {
          value = stored[i];
          for (const write of same) value = merged(value, write.value);
        }
        return [key, value, { indexes: last.links }] as const;
      });
      await this.store.setMany(ns, entries);
    }
  }
}

/**
 * A Seyfert cache adapter over a botcache store:
 * `client.setServices({ cache: { adapter: seyfertAdapter(new RedisStore({ url })) } })`.
 * The store stays the caller's: close it after the client.
 */
export function seyfertAdapter(store: Store, options?: SeyfertAdapterOptions): BotcacheSeyfertAdapter {
  return new BotcacheSeyfertAdapter(store, options);
}
