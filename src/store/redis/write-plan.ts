/**
 * A write broken into the primitive steps of the APPLY script. Each step touches keys of one slot.
 * Standalone runs a whole plan as one atomic script call; Cluster runs it phase by phase, each step
 * in its own slot: index additions first, then entries, then the registry, so a reader never sees an
 * entry without its index link (index members are validated against the entry's own link set).
 */
export interface Step {
  readonly op: 'set' | 'del' | 'link' | 'unlink' | 'zadd' | 'zrem' | 'reg';
  readonly keys: readonly string[];
  readonly args: readonly string[];
  /** Cluster ordering: 0 index additions, 1 entries, 2 registry and index removals. */
  readonly phase: 0 | 1 | 2;
}

export class WritePlan {
  readonly steps: Step[] = [];

  add(step: Step): number {
    this.steps.push(step);
    return this.steps.length - 1;
  }

  get size(): number {
    return this.steps.length;
  }

  /** The APPLY script's ARGV and KEYS for some of the steps. */
  static encode(steps: readonly Step[]): { keys: string[]; args: string[] } {
    const keys: string[] = [];
    const args: string[] = [String(steps.length)];
    for (const step of steps) {
      keys.push(...step.keys);
      args.push(step.op, ...step.args);
    }
    return { keys, args };
  }
}
