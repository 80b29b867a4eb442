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

/** The calls of each store that are timed now (a second registration leaves them alone). */
const timedCalls = new WeakMap<Store, Set<TimedStoreCall>>();

/**
 * Times every call of one store instance by shadowing its methods with own properties; `restore()`
 * puts the original methods back (as own properties: deleting properties would turn the object into
 * a slow dictionary). Nothing is installed until this is called: a store nobody measures pays nothing.
 */
export function timeStoreCalls(store: Store, observer: StoreCallObserver): { restore(): void } {
  const target = store as unknown as Record<string, AnyCall>;
  const timed = timedCalls.get(store) ?? new Set<TimedStoreCall>();
  timedCalls.set(store, timed);
  const installed: [TimedStoreCall, AnyCall][] = [];
  for (const call of TIMED_STORE_CALLS) {
    if (timed.has(call)) continue; // already timed by another registration: leave it alone
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
    timed.add(call);
    installed.push([call, original]);
  }
  return {
    restore() {
      for (const [call, original] of installed) {
        target[call] = original;
        timed.delete(call);
      }
      installed.length = 0;
    },
  };
}
