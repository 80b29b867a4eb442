import type { Encoded } from './redis-connection.js';

/**
 * A write broken into the primitive steps of the APPLY script. Each step touches keys of one slot.
 * Standalone runs a whole plan as one atomic script call; Cluster runs it phase by phase, the steps
 * of one phase grouped into one call per slot, in plan order. An entry and the indexes in its own slot
 * (a guild's members and the guild's index) are one phase-1 call, so a reader's prune can never run
 * between them and a failover keeps both or neither. Only an index in another slot is written apart:
 * additions before the entry (phase 0), removals after it (phase 2), with the registry. A keepAlive
 * (`keep`) reads what all of that left, so it runs last (phase 3), in its entry's slot, which is also the
 * slot of the indexes whose parent is that entry.
 */
export interface Step {
  readonly op: 'set' | 'del' | 'link' | 'unlink' | 'zadd' | 'zrem' | 'reg' | 'keep';
  readonly keys: readonly string[];
  /** Text arguments, and a set's value as its codec wrote it (text or bytes). */
  readonly args: readonly Encoded[];
  /** Cluster ordering: 0 index additions in another slot, 1 entries with the index steps of their slot,
   * 2 registry and index removals in another slot, 3 keepAlive expiries. */
  readonly phase: 0 | 1 | 2 | 3;
}

/** The registry changes of one plan: member -> score to set, or null to remove. */
type RegistryChanges = Map<string, string | null>;

export class WritePlan {
  readonly steps: Step[] = [];
  /** One `reg` step per registry key, holding the final state of every member the plan touched. */
  readonly #registries = new Map<string, RegistryChanges>();

  add(step: Step): number {
    this.steps.push(step);
    return this.steps.length - 1;
  }

  get size(): number {
    return this.steps.length;
  }

  /** Records that `member` now sits in `registry` with `score` (a later call for it wins). */
  register(registry: string, member: string, score: string): void {
    this.#changesOf(registry).set(member, score);
  }

  /** Records that `member` leaves `registry` (a later call for it wins). */
  unregister(registry: string, member: string): void {
    this.#changesOf(registry).set(member, null);
  }

  #changesOf(registry: string): RegistryChanges {
    let changes = this.#registries.get(registry);
    if (!changes) {
      changes = new Map();
      this.#registries.set(registry, changes);
      // Its arguments are filled in by encode(): one ZADD and one ZREM however many entries change.
      this.add({ op: 'reg', keys: [registry], args: [], phase: 2 });
    }
    return changes;
  }

  /** The APPLY script's ARGV and KEYS for some of the steps. */
  encode(steps: readonly Step[]): { keys: string[]; args: Encoded[] } {
    const keys: string[] = [];
    const args: Encoded[] = [String(steps.length)];
    for (const step of steps) {
      for (const key of step.keys) keys.push(key);
      args.push(step.op);
      if (step.op === 'reg') this.#encodeRegistry(step.keys[0] as string, args);
      else for (const arg of step.args) args.push(arg);
    }
    return { keys, args };
  }

  #encodeRegistry(registry: string, args: Encoded[]): void {
    const changes = this.#registries.get(registry) ?? new Map<string, string | null>();
    const removed: string[] = [];
    const countAt = args.length;
    args.push('0');
    let added = 0;
    for (const [member, score] of changes) {
      if (score === null) removed.push(member);
      else {
        args.push(score, member);
        added++;
      }
    }
    args[countAt] = String(added);
    args.push(String(removed.length));
    for (const member of removed) args.push(member);
  }
}
