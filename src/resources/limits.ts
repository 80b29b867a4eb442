import type { EvictionPolicy, NamespaceLimits } from '../store/types.js';
import { type Duration, parseDuration } from '../util/duration.js';
import { describe } from '../util/validate.js';
import { RESOURCE_NAMES, type ResourceName } from './resource-names.js';

/**
 * Limits of one resource or user-defined group. Durations are milliseconds or strings like `'5m'`.
 * `Infinity` turns a limit off (`ttl: Infinity`: never expires; `max`/`maxPerChannel: Infinity`: no cap);
 * leaving a field out keeps its default. Writing `undefined` for a field that has a default is refused
 * (it would otherwise silently mean the default).
 */
export interface ResourceLimitOptions {
  /** Most entries kept; the policy picks which go. Default: unbounded (`Infinity`). */
  readonly max?: number;
  /** Time to live of an entry (`Infinity`: never). */
  readonly ttl?: Duration;
  /** `lru` (reads refresh an entry) or `fifo`. Default `lru`. */
  readonly policy?: EvictionPolicy;
}

/** Limits of the messages resource: a per-channel cap on top of the usual ones. */
export interface MessageLimitOptions extends ResourceLimitOptions {
  /** Most messages kept per channel, oldest dropped first (`Infinity`: no cap). Default 1000. */
  readonly maxPerChannel?: number;
}

/** `createCache({ limits })`: overrides per resource; unset fields keep the defaults. */
export type CacheLimitOptions = {
  readonly [R in ResourceName]?: R extends 'messages' ? MessageLimitOptions : ResourceLimitOptions;
};

/** Limits after defaults and parsing: durations in milliseconds, `Infinity` for never. */
export interface ResolvedLimits {
  readonly max: number | undefined;
  readonly ttl: number;
  readonly policy: EvictionPolicy;
  readonly maxPerChannel: number | undefined;
}

/**
 * The documented defaults (DESIGN table; Sake's expiries): users live 1 h after their last reference
 * goes, messages 5 min with at most 1000 per channel, invites without an expiry 30 days.
 */
export const DEFAULT_LIMITS: Readonly<Record<ResourceName, MessageLimitOptions>> = Object.freeze({
  guilds: {},
  channels: {},
  roles: {},
  emojis: {},
  members: {},
  users: { ttl: '1h' },
  messages: { ttl: '5m', maxPerChannel: 1000 },
  presences: {},
  voiceStates: {},
  invites: { ttl: '30d' },
  me: {},
});

const COMMON_FIELDS = ['max', 'ttl', 'policy'];

/** A cap: a positive integer, or `Infinity` for none (resolved as undefined). */
function checkCap(value: unknown, name: string): number | undefined {
  if (value === Number.POSITIVE_INFINITY) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, or Infinity for no cap (got ${String(value)})`);
  return value;
}

/** Parses one resource's or group's limit options over its defaults. */
export function resolveLimitOptions(
  options: unknown,
  defaults: MessageLimitOptions,
  name: string,
  allowPerChannel = false,
): ResolvedLimits {
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options)))
    throw new RangeError(`${name} must be an object (got ${describe(options)})`);
  const given = (options ?? {}) as Record<string, unknown>;
  const allowed = allowPerChannel ? [...COMMON_FIELDS, 'maxPerChannel'] : COMMON_FIELDS;
  for (const field of Object.keys(given)) {
    if (!allowed.includes(field))
      throw new RangeError(`${name}.${field} is not a limit; use ${allowed.join(', ')}`);
  }
  for (const [field, value] of Object.entries(given)) {
    const fallback = (defaults as Record<string, unknown>)[field];
    if (value === undefined && fallback !== undefined)
      throw new RangeError(
        `${name}.${field} is undefined: leave it out to keep the default (${String(fallback)}), or use Infinity to turn it off`,
      );
  }
  const merged = { ...defaults, ...stripUndefined(given) } as Record<string, unknown>;
  const policy = merged.policy ?? 'lru';
  if (policy !== 'lru' && policy !== 'fifo')
    throw new RangeError(`${name}.policy must be 'lru' or 'fifo' (got ${String(policy)})`);
  return {
    max: merged.max === undefined ? undefined : checkCap(merged.max, `${name}.max`),
    ttl:
      merged.ttl === undefined
        ? Number.POSITIVE_INFINITY
        : parseDuration(merged.ttl as Duration, `${name}.ttl`),
    policy,
    maxPerChannel:
      merged.maxPerChannel === undefined
        ? undefined
        : checkCap(merged.maxPerChannel, `${name}.maxPerChannel`),
  };
}

function stripUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

/** Parses `createCache({ limits })`: every resource's limits, defaults applied. */
export function resolveCacheLimits(limits: unknown): Record<ResourceName, ResolvedLimits> {
  if (limits !== undefined && (typeof limits !== 'object' || limits === null || Array.isArray(limits)))
    throw new RangeError(`limits must be an object (got ${describe(limits)})`);
  const given = (limits ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(RESOURCE_NAMES as readonly string[]).includes(key))
      throw new RangeError(`limits.${key} is not a resource; use one of ${RESOURCE_NAMES.join(', ')}`);
  }
  const out = {} as Record<ResourceName, ResolvedLimits>;
  for (const name of RESOURCE_NAMES) {
    out[name] = resolveLimitOptions(given[name], DEFAULT_LIMITS[name], `limits.${name}`, name === 'messages');
  }
  return out;
}

/** The store-level limits of a resource's namespace. */
export function toNamespaceLimits(limits: ResolvedLimits, perParentIndex?: string): NamespaceLimits {
  return {
    ...(limits.max === undefined ? {} : { max: limits.max }),
    ttl: limits.ttl,
    policy: limits.policy,
    ...(limits.maxPerChannel === undefined || perParentIndex === undefined
      ? {}
      : { maxPerParent: { [perParentIndex]: limits.maxPerChannel } }),
  };
}
