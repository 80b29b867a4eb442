import type { BaseStore } from '../base-store.js';
import type { NamespaceStats } from '../types.js';
import type { KeyLayout } from './key-layout.js';
import { keySlot } from './key-slot.js';
import type { RedisConnection } from './redis-connection.js';

/**
 * What the parts of a RedisStore share: its connection and key layout, its codec's decoding, its
 * limits and counters, and the write-order clock. The store builds one and hands it to each part.
 */
export interface StoreContext {
  readonly connection: RedisConnection;
  readonly layout: KeyLayout;
  /** True when the codec writes bytes (values then travel and come back as Buffers). */
  readonly binary: boolean;
  /** Opens the store on first use. */
  ready(): Promise<void>;
  /** The namespace's limits as the store holds them (ttl in milliseconds). */
  limitsOf(ns: string): ReturnType<BaseStore['limitsOf']>;
  /** The live counters of a namespace (mutable). */
  statsOf(ns: string): NamespaceStats;
  /** Decodes a stored value; throws InvalidDataFound naming the key. */
  decode(ns: string, key: string, data: unknown): unknown;
  /** Decodes for iteration: corrupt data is reported through 'invalidData' and read as absent. */
  decodeOrReport(ns: string, key: string, data: unknown): { ok: boolean; value: unknown };
  /** A score that orders writes of this process, also within one millisecond. */
  score(): string;
}

/** Whether two keys share a slot: always on standalone, where one script holds a whole plan. */
export function sameSlot(context: StoreContext, a: string, b: string): boolean {
  return !context.connection.isCluster || keySlot(a) === keySlot(b);
}

/**
 * Whether a namespace keeps a registry (`<prefix>:<ns>:r`): only one with a `max` needs it, to pick
 * which entries the lru/fifo policy evicts. Every other namespace is walked by its value keys.
 */
export function hasRegistry(context: StoreContext, ns: string): boolean {
  return context.limitsOf(ns).max !== undefined;
}

/** Whether reads of a namespace must be recorded for lru eviction. */
export function tracksAccess(context: StoreContext, ns: string): boolean {
  const limits = context.limitsOf(ns);
  return limits.max !== undefined && (limits.policy ?? 'lru') === 'lru';
}

/** ZRANGE … WITHSCORES as [member, score] pairs, whether the reply is RESP3 pairs or a flat RESP2 list. */
export function scoredPairs(reply: unknown[] | null): [member: string, score: string][] {
  if (!reply || reply.length === 0) return [];
  if (Array.isArray(reply[0])) return (reply as [unknown, unknown][]).map(([m, s]) => [String(m), String(s)]);
  const out: [string, string][] = [];
  for (let i = 0; i < reply.length; i += 2) out.push([String(reply[i]), String(reply[i + 1])]);
  return out;
}
