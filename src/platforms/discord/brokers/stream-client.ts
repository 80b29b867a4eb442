/**
 * The Redis Streams commands the ingest worker sends, over the ioredis client the broker runs on
 * (structurally typed: botcache does not import ioredis). The wire format is the broker's: each entry
 * has one field `data` holding the broker-encoded value.
 */

/** The part of an ioredis client the worker uses (the client you give `PubSubRedisBroker`). */
export interface IngestRedisLike {
  callBuffer(command: string, args: (string | Buffer | number)[]): Promise<unknown>;
  /** A second connection for the blocking reads (as the broker makes one). */
  duplicate(): IngestRedisLike;
  disconnect(): void;
}

/** One entry read from a stream. */
export interface StreamEntry {
  readonly id: string;
  /** The `data` field, undefined when the entry has none. */
  readonly data: Buffer | undefined;
}

const text = (value: unknown): string => (Buffer.isBuffer(value) ? value.toString('utf8') : String(value));

function entriesOf(reply: unknown): StreamEntry[] {
  if (!Array.isArray(reply)) return [];
  const out: StreamEntry[] = [];
  for (const item of reply) {
    if (!Array.isArray(item)) continue;
    const [id, fields] = item as [unknown, unknown];
    let data: Buffer | undefined;
    if (Array.isArray(fields)) {
      for (let i = 0; i + 1 < fields.length; i += 2) {
        if (text(fields[i]) === 'data' && Buffer.isBuffer(fields[i + 1])) data = fields[i + 1] as Buffer;
      }
    }
    // A deleted entry still pending comes back with nil fields: it has no data.
    out.push({ id: text(id), data });
  }
  return out;
}

export class StreamCommands {
  constructor(
    private readonly redis: IngestRedisLike,
    private readonly group: string,
    private readonly consumer: string,
  ) {}

  /** Creates the group from the stream's start (as the broker's `subscribe` does); an existing group is kept. */
  async ensureGroup(stream: string): Promise<void> {
    try {
      await this.redis.callBuffer('XGROUP', ['CREATE', stream, this.group, '0', 'MKSTREAM']);
    } catch (error) {
      if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
    }
  }

  /**
   * Claims up to `count` pending entries of the stream, whoever holds them, from `cursor`; resolves to
   * the entries and the next cursor ('0-0' once the whole pending list was scanned). The caller holds
   * the partition's lease, so no live consumer works on them: no minimum idle time is needed.
   */
  async claim(
    stream: string,
    cursor: string,
    count: number,
  ): Promise<{ entries: StreamEntry[]; next: string; deleted: string[] }> {
    const reply = await this.redis.callBuffer('XAUTOCLAIM', [
      stream,
      this.group,
      this.consumer,
      '0',
      cursor,
      'COUNT',
      count,
    ]);
    if (!Array.isArray(reply)) return { entries: [], next: '0-0', deleted: [] };
    const deleted = Array.isArray(reply[2]) ? (reply[2] as unknown[]).map(text) : [];
    return { entries: entriesOf(reply[1]), next: text(reply[0]), deleted };
  }

  /** New entries of several streams (`>`), blocking up to `block` ms; by stream. */
  async readNew(
    streams: readonly string[],
    count: number,
    block: number,
  ): Promise<Map<string, StreamEntry[]>> {
    const reply = await this.redis.callBuffer('XREADGROUP', [
      'GROUP',
      this.group,
      this.consumer,
      'COUNT',
      count,
      'BLOCK',
      block,
      'STREAMS',
      ...streams,
      ...streams.map(() => '>'),
    ]);
    const out = new Map<string, StreamEntry[]>();
    if (!Array.isArray(reply)) return out;
    for (const item of reply) {
      if (!Array.isArray(item)) continue;
      out.set(text(item[0]), entriesOf(item[1]));
    }
    return out;
  }

  async ack(stream: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.redis.callBuffer('XACK', [stream, this.group, ...ids]);
  }
}
