import { onAbort } from './abort.js';
import { startTimeout } from './long-timeout.js';

/**
 * One load shared by every caller of a key. Each caller waits with its own timeout and signal; the load's
 * own signal fires only when no caller waits any more (the last one gave up), never because one did.
 */
export class Flight<T> {
  readonly promise: Promise<T>;
  readonly #controller = new AbortController();
  readonly #onAbandon: () => void;
  #waiters = 0;
  #settled = false;

  /** `run` starts the load with the signal that fires when it is abandoned. */
  constructor(run: (signal: AbortSignal) => Promise<T>, onAbandon: () => void) {
    this.#onAbandon = onAbandon;
    this.promise = run(this.#controller.signal);
    this.promise.then(
      () => {
        this.#settled = true;
      },
      () => {
        this.#settled = true;
      },
    );
  }

  get abandoned(): boolean {
    return this.#controller.signal.aborted;
  }

  /**
   * Waits for the load for at most `timeout` ms (Infinity: no limit) or until `signal` aborts.
   * @param timedOut the error this caller gets when its own time is up.
   */
  wait(timeout: number, signal: AbortSignal | undefined, timedOut: () => Error): Promise<T> {
    this.#waiters++;
    return new Promise<T>((resolve, reject) => {
      let waiting = true;
      let stopListening = (): void => {};
      const leave = (reason: unknown): boolean => {
        if (!waiting) return false;
        waiting = false;
        cancelTimer();
        stopListening();
        this.#waiters--;
        if (this.#waiters === 0 && !this.#settled && reason !== undefined) this.#abandon(reason);
        return true;
      };
      const cancelTimer = startTimeout(timeout, () => {
        const error = timedOut();
        if (leave(error)) reject(error);
      });
      if (signal) {
        stopListening = onAbort(signal, () => {
          if (leave(signal.reason)) reject(signal.reason);
        });
      }
      this.promise.then(
        (value) => {
          if (leave(undefined)) resolve(value);
        },
        (error: unknown) => {
          if (leave(undefined)) reject(error);
        },
      );
    });
  }

  #abandon(reason: unknown): void {
    this.#controller.abort(reason);
    this.#onAbandon();
  }
}
