import type { IndexLink, KeepAliveOp, SetOptions } from '../types.js';
import { linkId } from './key-layout.js';
import { APPLY } from './lua-scripts.js';
import type { Encoded } from './redis-connection.js';
import { hasRegistry, type StoreContext, sameSlot } from './store-context.js';
import type { Step, WritePlan } from './write-plan.js';

/** Where a write's reply sits in its plan's results, and what it wrote. */
export interface PlannedWrite {
  readonly index: number;
  readonly deleted: boolean;
  readonly links?: readonly IndexLink[] | undefined;
}

/** A set's or delete's reply: the previous value (only when asked for), its links, whether it existed. */
export type EntryReply = [previous: string | Buffer | null, links: unknown[], existed?: number];

/**
 * Turns sets, deletes, links and unlinks into the steps of a {@link WritePlan}, and runs plans: one
 * atomic APPLY call on standalone, phase by phase and one call per slot on Cluster.
 */
export class WritePlanner {
  constructor(
    private readonly context: StoreContext,
    /** Told of every planned write that carries an expiry (the registry prune counts them). */
    private readonly onExpiringWrite: (ns: string) => void,
  ) {}

  /** Absolute expiry of a write: 0 for never, a past time for "delete instead". */
  expiryOf(ns: string, options: SetOptions | undefined): number {
    if (options?.expiresAt !== undefined) return Math.max(1, Math.floor(options.expiresAt));
    const ttl = options?.ttl ?? this.context.limitsOf(ns).ttl ?? Number.POSITIVE_INFINITY;
    return Number.isFinite(ttl) ? Date.now() + Math.ceil(ttl) : 0;
  }

  /** Adds the steps of one set (or delete, for an expiry already past) to a plan. */
  planSet(
    plan: WritePlan,
    ns: string,
    key: string,
    encoded: Encoded,
    options: SetOptions | undefined,
    wantOld: boolean,
  ): PlannedWrite {
    const { layout } = this.context;
    const pxat = this.expiryOf(ns, options);
    if (pxat !== 0 && pxat <= Date.now())
      return { index: this.planDelete(plan, ns, key, wantOld), deleted: true };
    const registered = hasRegistry(this.context, ns);
    if (pxat !== 0 && registered) this.onExpiringWrite(ns);
    const links = options?.indexes ? dedupeLinks(options.indexes) : undefined;
    const valueKey = layout.value(ns, key);
    const zadds: Step[] = (links ?? []).map((link) => {
      const index = layout.index(ns, link);
      // An index in the entry's slot (always on standalone) is written in the entry's own script, right
      // after it ('auto' reads which links the entry had): no reader can run between the two halves,
      // and no failover can keep one without the other. Only an index in another slot goes first, alone.
      const together = sameSlot(this.context, index, valueKey);
      return {
        op: 'zadd',
        keys: [index],
        args: [this.context.score(), key, linkId(link), together ? 'auto' : 'nx'],
        phase: together ? 1 : 0,
      };
    });
    const setStep: Step = {
      op: 'set',
      keys: [valueKey, layout.links(ns, key)],
      args: [
        encoded, // Buffers travel as they are
        String(pxat),
        options?.ifExists ? 'existing' : links ? 'replace' : 'keep',
        wantOld ? '1' : '0',
        String(links?.length ?? 0),
        ...(links ?? []).map(linkId),
      ],
      phase: 1,
    };
    // Plan order is script order within a slot: the set, then its zadds.
    const index = plan.add(setStep);
    for (const z of zadds) plan.add(z);
    if (registered) plan.register(layout.registry(ns), key, this.context.score());
    return { index, deleted: false, links };
  }

  planDelete(plan: WritePlan, ns: string, key: string, wantOld = false): number {
    const { layout } = this.context;
    const index = plan.add({
      op: 'del',
      keys: [layout.value(ns, key), layout.links(ns, key)],
      args: [wantOld ? '1' : '0'],
      phase: 1,
    });
    // A registry member whose entry is gone is dropped by the eviction that picks it, so a namespace
    // without a registry here (another process may keep one) sends nothing to the registry's slot.
    if (hasRegistry(this.context, ns)) plan.unregister(layout.registry(ns), key);
    return index;
  }

  planLink(plan: WritePlan, ns: string, key: string, link: IndexLink): number {
    const { layout } = this.context;
    const index = plan.add({
      op: 'link',
      keys: [layout.value(ns, key), layout.links(ns, key)],
      args: [linkId(link)],
      phase: 1,
    });
    const indexKey = layout.index(ns, link);
    plan.add({
      op: 'zadd',
      keys: [indexKey],
      args: [this.context.score(), key, '', 'nx'],
      phase: sameSlot(this.context, indexKey, layout.links(ns, key)) ? 1 : 0,
    });
    return index;
  }

  planUnlink(plan: WritePlan, ns: string, key: string, link: IndexLink): number {
    const { layout } = this.context;
    const index = plan.add({
      op: 'unlink',
      keys: [layout.links(ns, key)],
      args: [linkId(link)],
      phase: 1,
    });
    const indexKey = layout.index(ns, link);
    const together = sameSlot(this.context, indexKey, layout.links(ns, key));
    plan.add({ op: 'zrem', keys: [indexKey], args: [key], phase: together ? 1 : 2 });
    return index;
  }

  /**
   * A keepAlive, last in the plan (phase 3) and in its entry's slot, where the indexes whose parent is
   * the entry live too. Standalone proves each index member live through its link set; Cluster cannot
   * reach those (other slots) and counts members; an index in another slot than the entry (a key with
   * its own hash tag) counts as held. Either way a stale member can only keep the entry longer.
   */
  planKeepAlive(plan: WritePlan, op: KeepAliveOp): number {
    const { layout, connection } = this.context;
    const valueKey = layout.value(op.ns, op.key);
    const keys = [valueKey, layout.links(op.ns, op.key)];
    const args: Encoded[] = [String(Date.now()), ttlArg(op.ttl), String(op.whileReferenced.length)];
    for (const ref of op.whileReferenced) {
      const link: IndexLink = { by: ref.by, parent: op.key };
      const indexKey = layout.index(ref.ns, link);
      const near = sameSlot(this.context, indexKey, valueKey);
      // A held index is not read: the entry's own key stands in for it, keeping the call in one slot.
      keys.push(near ? indexKey : valueKey);
      const how = !near ? 'held' : connection.isCluster ? 'count' : 'prove';
      args.push(ttlArg(ref.ttl), how, linkId(link), layout.linkSetPrefix(ref.ns));
    }
    return plan.add({ op: 'keep', keys, args, phase: 3 });
  }

  /** Runs a plan: one atomic script on standalone, phase by phase and slot by slot on Cluster. */
  async run(ns: string, plan: WritePlan): Promise<unknown[]> {
    const { connection, binary } = this.context;
    if (plan.size === 0) return [];
    if (!connection.isCluster) {
      const { keys, args } = plan.encode(plan.steps);
      return (await connection.evalScript(ns, APPLY, keys, args, binary)) as unknown[];
    }
    const results = new Array<unknown>(plan.size);
    for (const phase of [0, 1, 2, 3] as const) {
      const steps = plan.steps.map((step, i) => ({ step, i })).filter(({ step }) => step.phase === phase);
      // One script call per slot and phase: a bulk write costs a few calls per slot, not one per step.
      const groups = connection.groupBySlot(steps, ({ step }) => step.keys[0] as string);
      await Promise.all(
        groups.map(async (group) => {
          const { keys, args } = plan.encode(group.map(({ step }) => step));
          const reply = (await connection.evalScript(ns, APPLY, keys, args, binary)) as unknown[];
          group.forEach(({ i }, j) => {
            results[i] = reply[j];
          });
        }),
      );
    }
    return results;
  }
}

/** A TTL as the `keep` step reads it: whole milliseconds, or -1 for no expiry. */
function ttlArg(ttl: number): string {
  return Number.isFinite(ttl) ? String(Math.ceil(ttl)) : '-1';
}

function dedupeLinks(links: readonly IndexLink[]): IndexLink[] {
  const seen = new Set<string>();
  const out: IndexLink[] = [];
  for (const link of links) {
    const id = linkId(link);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ by: link.by, parent: link.parent });
  }
  return out;
}
