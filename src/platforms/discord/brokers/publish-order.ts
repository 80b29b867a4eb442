/**
 * The gateway side's memory of who last wrote each shared entity (users, `me`), so that an entry can
 * name the entries of other partitions it must be applied after. It is the cross-process form of
 * SharedWriteOrder: a dispatch writing user U comes after the latest earlier dispatch writing U; a
 * barrier (GUILD_CREATE, GUILD_DELETE, READY: they change users they do not name) comes after every
 * earlier shared write, and every later shared write comes after it. Dependencies within one
 * partition are left out: one worker applies a partition in stream order.
 */
import { ALL_SHARED } from '../shared-write-order.js';

interface Writer {
  readonly partition: number;
  readonly seq: number;
}

export class PublishOrder {
  readonly #seqs: number[];
  /** Per partition, the seq of its latest entry that wrote a shared entity. */
  readonly #lastShared: number[];
  /** Per partition, the highest seq of a forgotten writer: a user not remembered comes after those. */
  readonly #floor: number[];
  /** Last writer per shared key, least recently written first (a Map keeps insertion order). */
  readonly #writers = new Map<string, Writer>();
  #barrier: Writer | undefined;

  constructor(
    partitions: number,
    private readonly remember: number,
  ) {
    this.#seqs = new Array(partitions).fill(0);
    this.#lastShared = new Array(partitions).fill(0);
    this.#floor = new Array(partitions).fill(0);
  }

  /** Numbers the next entry of `partition` and names what it comes after. */
  next(
    partition: number,
    sharedKeys: readonly string[],
  ): { seq: number; after: Record<string, number> | undefined } {
    const seq = (this.#seqs[partition] ?? 0) + 1;
    this.#seqs[partition] = seq;
    if (sharedKeys.length === 0) return { seq, after: undefined };
    const after: Record<string, number> = {};
    const need = (writer: Writer | undefined): void => {
      if (writer === undefined || writer.partition === partition) return;
      const key = String(writer.partition);
      if ((after[key] ?? 0) < writer.seq) after[key] = writer.seq;
    };
    if (sharedKeys.includes(ALL_SHARED)) {
      this.#lastShared.forEach((last, p) => {
        if (last > 0) need({ partition: p, seq: last });
      });
      this.#barrier = { partition, seq };
      this.#writers.clear();
      this.#floor.fill(0);
    } else {
      for (const key of sharedKeys) {
        const writer = this.#writers.get(key);
        if (writer !== undefined) {
          need(writer);
          this.#writers.delete(key);
        } else {
          need(this.#barrier);
          this.#floor.forEach((floor, p) => {
            if (floor > 0) need({ partition: p, seq: floor });
          });
        }
        this.#writers.set(key, { partition, seq });
      }
      this.forgetOldest();
    }
    this.#lastShared[partition] = seq;
    return { seq, after: Object.keys(after).length > 0 ? after : undefined };
  }

  private forgetOldest(): void {
    while (this.#writers.size > this.remember) {
      const [key, writer] = this.#writers.entries().next().value as [string, Writer];
      this.#writers.delete(key);
      if ((this.#floor[writer.partition] ?? 0) < writer.seq) this.#floor[writer.partition] = writer.seq;
    }
  }
}
