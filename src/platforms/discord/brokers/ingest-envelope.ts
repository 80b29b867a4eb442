/**
 * What a gateway process publishes for each dispatch, and which stream (partition) it goes to.
 * Every dispatch of one guild goes to one partition, so one worker applies a guild in gateway order;
 * `after` carries the cross-partition order of shared entities (users, `me`), see ingest-publisher.ts.
 */
import type { RawDispatch } from '../event-manager.js';
import { isObject } from '../payload-checks.js';

/** One stream entry's data (the broker's `data` field, encoded by the broker). */
export interface IngestEnvelope {
  /** The gateway dispatch, `{ t, d, s }`. */
  readonly dispatch: RawDispatch;
  /** The publishing process (a gateway process); sequences and `after` are per publisher. */
  readonly publisher: string;
  /** This entry's number among the publisher's entries of its partition: 1, 2, 3… */
  readonly seq: number;
  /** Entries of other partitions to apply first, by partition: applied once that partition's applied prefix reaches the number. */
  readonly after?: Readonly<Record<string, number>>;
}

/** Options both sides must agree on. */
export interface IngestStreamOptions {
  /** Stream name prefix; partition `p` is the stream `<stream>:<p>`. Default `'botcache:dispatch'`. */
  readonly stream?: string;
  /** Number of partitions (streams). Must be the same on publishers and workers. Default 16. */
  readonly partitions?: number;
}

export const DEFAULT_STREAM = 'botcache:dispatch';
export const DEFAULT_PARTITIONS = 16;

export function streamOptions(options: IngestStreamOptions): { stream: string; partitions: number } {
  const stream = options.stream ?? DEFAULT_STREAM;
  if (typeof stream !== 'string' || stream.length === 0)
    throw new TypeError('stream must be a non-empty string');
  const partitions = options.partitions ?? DEFAULT_PARTITIONS;
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 4096) {
    throw new RangeError(`partitions must be an integer from 1 to 4096 (got ${String(partitions)})`);
  }
  return { stream, partitions };
}

/** The stream of a partition. */
export function partitionStream(stream: string, partition: number): string {
  return `${stream}:${partition}`;
}

const GUILD_EVENTS = new Set(['GUILD_CREATE', 'GUILD_UPDATE', 'GUILD_DELETE']);

/**
 * What a dispatch is ordered by, as the event manager's lanes: its guild, else its channel (DMs),
 * else the session. Dispatches with one key always share a partition.
 */
export function orderKeyOf(t: string, d: unknown): string {
  if (!isObject(d)) return 'session';
  if (GUILD_EVENTS.has(t) && typeof d.id === 'string') return `g:${d.id}`;
  if (typeof d.guild_id === 'string') return `g:${d.guild_id}`;
  if (typeof d.channel_id === 'string') return `c:${d.channel_id}`;
  if (t.startsWith('CHANNEL_') && typeof d.id === 'string') return `c:${d.id}`;
  return 'session';
}

/** The partition of an order key: FNV-1a of the key, modulo the partition count. */
export function partitionOf(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}

/** Whether decoded stream data is an envelope this worker can apply. */
export function isEnvelope(value: unknown): value is IngestEnvelope {
  return (
    isObject(value) &&
    isObject(value.dispatch) &&
    typeof value.dispatch.t === 'string' &&
    typeof value.publisher === 'string' &&
    typeof value.seq === 'number' &&
    (value.after === undefined || value.after === null || isObject(value.after))
  );
}
