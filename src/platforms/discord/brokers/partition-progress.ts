/**
 * What a partition's owner has applied, per publisher, in the shape it is recorded in the store:
 * `[prefix, ...done]`: every entry of that publisher up to `prefix` (in stream order) is applied, and
 * so are the entries numbered in `done` beyond it. Workers read other partitions' prefixes to honour
 * an entry's `after`; a new owner skips recorded entries, so a dispatch is applied again only if its
 * worker died between applying it and recording it.
 */

export type RecordedProgress = Record<string, number[]>;

/** Most publishers kept in a record (a gateway restart starts a new publisher id). */
const MAX_PUBLISHERS = 32;

interface InFlight {
  readonly id: string;
  readonly publisher: string | undefined;
  readonly seq: number;
  settled: boolean;
}

export function parseProgress(value: unknown): Map<string, { prefix: number; done: Set<number> }> {
  const out = new Map<string, { prefix: number; done: Set<number> }>();
  if (typeof value !== 'object' || value === null) return out;
  for (const [publisher, list] of Object.entries(value as Record<string, unknown>)) {
    if (!Array.isArray(list) || typeof list[0] !== 'number') continue;
    out.set(publisher, {
      prefix: list[0],
      done: new Set(list.slice(1).filter((n): n is number => typeof n === 'number')),
    });
  }
  return out;
}

export class PartitionProgress {
  /** Entries handed over or skipped, in stream order, until the applied prefix passes them. */
  readonly #inFlight: InFlight[] = [];
  readonly #prefix = new Map<string, number>();
  /** Per publisher, the highest seq handed to this process's event manager. */
  readonly handed = new Map<string, number>();
  readonly #recorded: Map<string, { prefix: number; done: Set<number> }>;

  constructor(recorded: unknown) {
    this.#recorded = parseProgress(recorded);
    for (const [publisher, { prefix }] of this.#recorded) this.#prefix.set(publisher, prefix);
  }

  get inFlight(): number {
    return this.#inFlight.length;
  }

  /** Whether a previous owner recorded the entry as applied. */
  recordedApplied(publisher: string, seq: number): boolean {
    const recorded = this.#recorded.get(publisher);
    return recorded !== undefined && (seq <= recorded.prefix || recorded.done.has(seq));
  }

  /** The applied prefix of a publisher's entries. */
  prefixOf(publisher: string): number {
    return this.#prefix.get(publisher) ?? 0;
  }

  /** Tracks an entry; the returned function marks it applied. */
  track(id: string, publisher: string | undefined, seq: number, settled: boolean): () => void {
    const entry: InFlight = { id, publisher, seq, settled };
    this.#inFlight.push(entry);
    if (publisher !== undefined && seq > (this.handed.get(publisher) ?? 0)) this.handed.set(publisher, seq);
    return () => {
      entry.settled = true;
    };
  }

  /** Moves the prefix past the applied head; resolves to the stream ids that can be acked. */
  advance(): string[] {
    const ids: string[] = [];
    while (this.#inFlight.length > 0 && this.#inFlight[0]!.settled) {
      const entry = this.#inFlight.shift()!;
      ids.push(entry.id);
      if (entry.publisher !== undefined && entry.seq > this.prefixOf(entry.publisher)) {
        this.#prefix.set(entry.publisher, entry.seq);
      }
    }
    return ids;
  }

  /** Whether everything tracked is applied and behind the prefix. */
  get drained(): boolean {
    return this.#inFlight.length === 0;
  }

  /** The record to store: prefix and applied entries beyond it, per publisher (recorded ones kept). */
  record(): RecordedProgress {
    const done = new Map<string, Set<number>>();
    const add = (publisher: string, seq: number): void => {
      if (seq <= this.prefixOf(publisher)) return;
      const set = done.get(publisher) ?? new Set<number>();
      set.add(seq);
      done.set(publisher, set);
    };
    for (const entry of this.#inFlight)
      if (entry.settled && entry.publisher !== undefined) add(entry.publisher, entry.seq);
    for (const [publisher, recorded] of this.#recorded) for (const seq of recorded.done) add(publisher, seq);
    const publishers = [...new Set([...this.#prefix.keys(), ...done.keys()])].slice(-MAX_PUBLISHERS);
    const out: RecordedProgress = {};
    for (const publisher of publishers) {
      out[publisher] = [this.prefixOf(publisher), ...[...(done.get(publisher) ?? [])].sort((a, b) => a - b)];
    }
    return out;
  }
}
