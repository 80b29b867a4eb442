/** Callbacks waiting on each signal: one real listener per signal, however many callers share it. */
const waiting = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `fire` once when `signal` aborts; returns a function that stops waiting. Many callers sharing
 * one signal (a plugin's `ctx.signal` passed to twenty fetches) add one listener to it, not twenty, so
 * Node never warns about a listener leak.
 */
export function onAbort(signal: AbortSignal, fire: () => void): () => void {
  if (signal.aborted) {
    fire();
    return () => {};
  }
  let callbacks = waiting.get(signal);
  if (!callbacks) {
    const set = new Set<() => void>();
    callbacks = set;
    waiting.set(signal, set);
    signal.addEventListener(
      'abort',
      () => {
        waiting.delete(signal);
        for (const callback of [...set]) callback();
      },
      { once: true },
    );
  }
  const mine = callbacks;
  mine.add(fire);
  return () => {
    mine.delete(fire);
  };
}

/** Settles with `promise`, or rejects with the signal's reason as soon as the signal aborts. */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => {}); // the caller left; whatever the work ends in is no longer anyone's to handle
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const stop = onAbort(signal, () => reject(signal.reason));
    promise.then(
      (value) => {
        stop();
        resolve(value);
      },
      (error: unknown) => {
        stop();
        reject(error);
      },
    );
  });
}

/** Resolves after `ms`, or rejects early if the signal aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return raceSignal(new Promise<void>((resolve) => setTimeout(resolve, ms)), signal);
}
