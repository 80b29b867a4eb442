import type { Store } from '../store/types.js';

/** The promise-returning store calls that are timed (iterators are not: their cost is the caller's pace). */
export const TIMED_STORE_CALLS = [
  'get',
  'getMany',
  'getEntry',
  'has',
  'set',
  'setMany',
  'delete',
  'deleteMany',
  'clear',
  'count',
  'link',
  'unlink',
  'indexCount',
  'indexHas',
  'clearIndex',
  'batch',
] as const;

export type TimedStoreCall = (typeof TIMED_STORE_CALLS)[number];

/** What a timed call reports. */
export interface StoreCallObserver {
  started(call: TimedStoreCall): void;
  finished(call: TimedStoreCall, seconds: number, failed: boolean): void;
}

type AnyCall = (...args: unknown[]) => Promise<unknown>;

/**
 * Times every call of one store instance by shadowing its methods with own properties; `restore()`
 * deletes them so the prototype's methods answer again. Nothing is installed until this is called:
 * a store nobody measures pays nothing.
 */
export function timeStoreCalls(store: Store, observer: StoreCallObserver): { restore(): void } {
  const target = store as unknown as Record<string, AnyCall>;
  const installed: TimedStoreCall[] = [];
  for (const call of TIMED_STORE_CALLS) {
    if (Object.hasOwn(target, call)) continue; // already timed by another registration: leave it alone
    const original = target[call] as AnyCall;
    target[call] = function timed(this: unknown, ...args: unknown[]): Promise<unknown> {
      observer.started(call);
      const start = performance.now();
      let promise: Promise<unknown>;
      try {
        promise = original.apply(this, args);
      } catch (error) {
        observer.finished(call, (performance.now() - start) / 1000, true);
        throw error;
      }
      return promise.then(
        (value) => {
          observer.finished(call, (performance.now() - start) / 1000, false);
          return value;
        },
        (error: unknown) => {
          observer.finished(call, (performance.now() - start) / 1000, true);
          throw error;
        },
      );
    };
    installed.push(call);
  }
  return {
    restore() {
      for (const call of installed) delete target[call];
      installed.length = 0;
    },
  };
}
