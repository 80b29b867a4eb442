/**
 * Per-key order of one adapter's writes. Seyfert's `patch` merges into the stored value (a read then
 * a write); without an order a set or remove issued after it could land first and be overwritten,
 * and two patches of one key could each miss the other's fields. An operation waits only for the
 * earlier ones that touch one of its keys; one with no pending predecessor starts at once.
 */
export class KeyedOrder {
  readonly #tails = new Map<string, Promise<void>>();

  run<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    const earlier: Promise<void>[] = [];
    for (const key of keys) {
      const tail = this.#tails.get(key);
      if (tail) earlier.push(tail);
    }
    const result = earlier.length === 0 ? task() : Promise.all(earlier).then(task);
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    for (const key of keys) this.#tails.set(key, settled);
    void settled.then(() => {
      for (const key of keys) if (this.#tails.get(key) === settled) this.#tails.delete(key);
    });
    return result;
  }

  /** Operations still pending or running. */
  get pending(): number {
    return this.#tails.size;
  }
}
