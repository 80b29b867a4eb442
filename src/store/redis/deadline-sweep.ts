/** A call waiting for its reply, with the instant it must have one by. */
interface Pending {
  readonly deadline: number;
  readonly what: string;
  readonly reject: (error: Error) => void;
  settled: boolean;
}

/**
 * Bounds every in-flight command by one shared timeout with a single timer. A timer (or an
 * `AbortSignal.timeout`) per command costs more CPU than the command itself on a pipelined
 * connection; since every command gets the same timeout, deadlines arrive in FIFO order and a
 * periodic sweep only ever looks at the head of the queue.
 */
export class DeadlineSweep {
  readonly #timeout: number;
  /** How often the sweep runs: a call fails at most this long after its deadline. */
  readonly #tick: number;
  readonly #onTimeout: (what: string, ms: number) => Error;
  #queue: Pending[] = [];
  #head = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(timeout: number, onTimeout: (what: string, ms: number) => Error) {
    this.#timeout = timeout;
    this.#tick = Math.min(100, Math.max(5, Math.floor(timeout / 8)));
    this.#onTimeout = onTimeout;
  }

  /** Calls not settled yet (for tests and diagnostics). */
  get pending(): number {
    let count = 0;
    for (let i = this.#head; i < this.#queue.length; i++) if (!this.#queue[i]?.settled) count++;
    return count;
  }

  /**
   * Resolves with the promise's value, rejects with `mapError(reason)` if it rejects, or with the
   * timeout error if neither happened within the timeout.
   */
  bound<T>(promise: Promise<T>, what: string, mapError: (error: unknown) => Error): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = { deadline: Date.now() + this.#timeout, what, reject, settled: false };
      this.#queue.push(entry);
      if (this.#timer === undefined) this.#timer = setTimeout(this.#sweep, this.#tick);
      promise.then(
        (value) => {
          if (entry.settled) return;
          entry.settled = true;
          resolve(value);
        },
        (error: unknown) => {
          if (entry.settled) return;
          entry.settled = true;
          reject(mapError(error));
        },
      );
    });
  }

  /** Rejects every call still waiting, now (the connection is closing). */
  rejectAll(error: Error): void {
    for (let i = this.#head; i < this.#queue.length; i++) {
      const entry = this.#queue[i] as Pending;
      if (!entry.settled) {
        entry.settled = true;
        entry.reject(error);
      }
    }
    this.#reset();
  }

  readonly #sweep = (): void => {
    this.#timer = undefined;
    const now = Date.now();
    const queue = this.#queue;
    let head = this.#head;
    while (head < queue.length) {
      const entry = queue[head] as Pending;
      if (!entry.settled) {
        if (entry.deadline > now) break;
        entry.settled = true;
        entry.reject(this.#onTimeout(entry.what, this.#timeout));
      }
      head++;
    }
    if (head >= queue.length) {
      this.#reset();
      return;
    }
    // Drop the swept prefix once it is large, so the array does not grow while traffic flows.
    if (head > 1024 && head * 2 > queue.length) {
      this.#queue = queue.slice(head);
      head = 0;
    }
    this.#head = head;
    this.#timer = setTimeout(this.#sweep, this.#tick);
  };

  #reset(): void {
    this.#queue = [];
    this.#head = 0;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
