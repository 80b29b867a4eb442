/**
 * Caps how many tasks run at once; tasks beyond the cap wait in a FIFO queue, and tasks beyond the
 * queue's size are refused, so a burst of messages cannot grow memory without bound.
 */
export class ConcurrencyLimiter {
  readonly #limit: number;
  readonly #maxQueued: number;
  readonly #waiting: Array<() => void> = [];
  #running = 0;

  constructor(limit: number, maxQueued: number) {
    this.#limit = limit;
    this.#maxQueued = maxQueued;
  }

  /** Tasks running now. */
  get running(): number {
    return this.#running;
  }

  /** Tasks waiting for a slot. */
  get queued(): number {
    return this.#waiting.length;
  }

  /** False when the queue is full: the caller must not call {@link run}. */
  canAccept(): boolean {
    return this.#running < this.#limit || this.#waiting.length < this.#maxQueued;
  }

  /** Runs `task` once a slot is free. The slot is released when the returned promise settles. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#limit) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running++;
    }
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      // The slot passes straight to the next task, so `running` never drops below the limit while work waits.
      if (next) next();
      else this.#running--;
    }
  }
}
