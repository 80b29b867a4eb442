/**
 * Seyfert's key scheme and its place in a botcache store. Seyfert 5.1 builds keys as `resource.id`
 * (users, guilds, channels, roles, messages...) or `resource.scope.id` (members, presences, bans,
 * voice states: `member.<guildId>.<userId>`), segments without dots
 * (seyfert/lib/cache/resources/default/*.js, adapters/types.d.ts). Each resource is one store
 * namespace; `resource.id` is stored under `id`, `resource.scope.id` under `{scope}:id`, the scope
 * being the Redis Cluster hash tag, so a guild's members share its slot and its index.
 */
import { describe } from '../../util/validate.js';

/** A Seyfert key split into its parts. */
export interface SeyfertKeyParts {
  readonly resource: string;
  /** The guild of `member.<guild>.<user>`; undefined for `resource.id` keys. */
  readonly scope: string | undefined;
  readonly id: string;
}

/** A relationship's `to`: the resource, and the parent (guild or channel) when there is one. */
export interface SeyfertTarget {
  readonly resource: string;
  readonly scope: string | undefined;
}

function checkSegments(value: unknown, name: string, shape: string, counts: readonly number[]): string[] {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string (got ${describe(value)})`);
  const segments = value.split('.');
  if (!counts.includes(segments.length) || segments.some((segment) => segment.length === 0)) {
    throw new RangeError(`${name} must be ${shape}, segments without dots (got '${value}')`);
  }
  for (const segment of segments) {
    if (segment.includes('{') || segment.includes('}')) {
      throw new RangeError(`${name} must not contain '{' or '}' (got '${value}')`);
    }
  }
  return segments;
}

/** Splits `resource.id` or `resource.scope.id`; a TypeError or RangeError names the bad key. */
export function parseSeyfertKey(key: unknown, name = 'key'): SeyfertKeyParts {
  const segments = checkSegments(key, name, "'resource.id' or 'resource.scope.id'", [2, 3]);
  const [resource = '', a = '', b] = segments;
  return b === undefined ? { resource, scope: undefined, id: a } : { resource, scope: a, id: b };
}

/** Splits a relationship's `to`: `resource` or `resource.scope`. */
export function parseSeyfertTarget(to: unknown, name = 'to'): SeyfertTarget {
  const [resource = '', scope] = checkSegments(to, name, "'resource' or 'resource.scope'", [1, 2]);
  return { resource, scope };
}

/** The store key of a Seyfert key's parts. */
export function storeKeyOf(parts: Pick<SeyfertKeyParts, 'scope' | 'id'>): string {
  return parts.scope === undefined ? parts.id : `{${parts.scope}}:${parts.id}`;
}

/** The Seyfert key of a store key of the resource (the inverse of {@link storeKeyOf}). */
export function seyfertKeyOf(resource: string, storeKey: string): string {
  const end = storeKey.startsWith('{') ? storeKey.indexOf('}:') : -1;
  return end < 0
    ? `${resource}.${storeKey}`
    : `${resource}.${storeKey.slice(1, end)}.${storeKey.slice(end + 2)}`;
}

/** The value's own id in a store key (the last segment of its Seyfert key). */
export function idOfStoreKey(storeKey: string): string {
  const end = storeKey.startsWith('{') ? storeKey.indexOf('}:') : -1;
  return end < 0 ? storeKey : storeKey.slice(end + 2);
}

/**
 * A compiled `scan` query: `resource.*`, `member.*.*`, `member.<guild>.*`... The first segment names
 * the resource (Seyfert never scans across resources); `*` matches one non-empty segment.
 */
export interface SeyfertScanQuery {
  readonly resource: string;
  matches(seyfertKey: string): boolean;
}

export function parseScanQuery(query: unknown): SeyfertScanQuery {
  const segments = checkSegments(
    query,
    'query',
    "'resource.<pattern>' or 'resource.<pattern>.<pattern>'",
    [2, 3],
  );
  const [resource = ''] = segments;
  if (resource === '*') {
    throw new RangeError(`query must name its resource in the first segment (got '${String(query)}')`);
  }
  return {
    resource,
    matches(seyfertKey) {
      const parts = seyfertKey.split('.');
      return (
        parts.length === segments.length &&
        parts.every((part, i) => segments[i] === '*' || segments[i] === part)
      );
    },
  };
}
