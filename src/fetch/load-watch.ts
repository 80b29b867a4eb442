import type { BatchOp, Store } from '../store/types.js';

/**
 * One load watching its key: `changed` turns true as soon as a write or delete of that key (or a clear of
 * its namespace) starts in this process, so the load knows its answer is older than the cache's.
 */
export interface LoadWatch {
  readonly changed: boolean;
  /** Stops watching (the load is over). */
  end(): void;
}

class Watch implements LoadWatch {
  changed = false;
  constructor(private readonly onEnd: (watch: Watch) => void) {}
  end(): void {
    this.onEnd(this);
  }
}

/**
 * The loads in flight on one store, by namespace and key. Writers (the resources' write plans, a
 * fetcher's invalidate) tell it what they are about to change; only watched keys cost anything.
 */
export class LoadWatchers {
  readonly #byNamespace = new Map<string, Map<string, Set<Watch>>>();
  /** Writes noted per namespace: a reader compares it before and after to know whether to look again. */
  readonly #epochs = new Map<string, number>();
  /** Namespaces whose "does not exist" answers are remembered, with where they are remembered. */
  readonly #absences = new Map<string, string>();

  watch(ns: string, key: string): LoadWatch {
    let keys = this.#byNamespace.get(ns);
    if (!keys) {
      keys = new Map();
      this.#byNamespace.set(ns, keys);
    }
    let watches = keys.get(key);
    if (!watches) {
      watches = new Set();
      keys.set(key, watches);
    }
    const inNamespace = keys;
    const onKey = watches;
    const watch: Watch = new Watch((done) => {
      onKey.delete(done);
      if (onKey.size > 0) return;
      inNamespace.delete(key);
      if (inNamespace.size === 0) this.#byNamespace.delete(ns);
    });
    watches.add(watch);
    return watch;
  }

  /** How many writes of `ns` were noted so far. */
  epochOf(ns: string): number {
    return this.#epochs.get(ns) ?? 0;
  }

  /** A write or delete of one key is starting. `except` is the load's own write. */
  noteKey(ns: string, key: string, except?: LoadWatch): void {
    this.#epochs.set(ns, this.epochOf(ns) + 1);
    const watches = this.#byNamespace.get(ns)?.get(key);
    if (!watches) return;
    for (const watch of watches) if (watch !== except) watch.changed = true;
  }

  /** Many keys of a namespace may change at once (clear, clearIndex). */
  noteNamespace(ns: string, except?: LoadWatch): void {
    this.#epochs.set(ns, this.epochOf(ns) + 1);
    const keys = this.#byNamespace.get(ns);
    if (!keys) return;
    for (const watches of keys.values())
      for (const watch of watches) if (watch !== except) watch.changed = true;
  }

  /** Notes every operation of a batch that is about to be applied. */
  noteBatch(ops: readonly BatchOp[], except?: LoadWatch): void {
    for (const op of ops) {
      if (op.type === 'set' || op.type === 'delete') this.noteKey(op.ns, op.key, except);
      else if (op.type === 'clear' || (op.type === 'clearIndex' && op.options?.deleteEntries)) {
        this.noteNamespace(op.ns, except);
      }
    }
  }

  /** Remembers that absences of `ns` live in `absentNs`, so writes of `ns` can forget them. */
  trackAbsences(ns: string, absentNs: string): void {
    this.#absences.set(ns, absentNs);
  }

  /**
   * The remembered absences a batch's deletes make obsolete, by the namespace they live in: an entry
   * deleted on purpose must be asked for again, not answered "does not exist" from an older load.
   */
  absencesToForget(ops: readonly BatchOp[]): Map<string, string[]> {
    const forget = new Map<string, string[]>();
    if (this.#absences.size === 0) return forget;
    for (const op of ops) {
      if (op.type !== 'delete') continue;
      const absentNs = this.#absences.get(op.ns);
      if (absentNs === undefined) continue;
      const keys = forget.get(absentNs);
      if (keys) keys.push(op.key);
      else forget.set(absentNs, [op.key]);
    }
    return forget;
  }
}

const registry = new WeakMap<Store, LoadWatchers>();

/** The load watchers of a store (one per store object, shared by every fetcher and writer on it). */
export function loadWatchersOf(store: Store): LoadWatchers {
  let watchers = registry.get(store);
  if (!watchers) {
    watchers = new LoadWatchers();
    registry.set(store, watchers);
  }
  return watchers;
}
