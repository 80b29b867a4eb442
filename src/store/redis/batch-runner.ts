import type { BatchOp, BatchResult } from '../types.js';
import type { Clearing } from './clearing.js';
import type { Encoded } from './redis-connection.js';
import type { StoreContext } from './store-context.js';
import { newAftermath, type WriteAftermath } from './write-aftermath.js';
import { WritePlan } from './write-plan.js';
import type { EntryReply, PlannedWrite, WritePlanner } from './write-planner.js';

type SegmentOp = Exclude<BatchOp, { type: 'clear' } | { type: 'clearIndex' }>;

/**
 * Runs a store batch: set/delete/link/unlink as one script on standalone (atomic as a whole) and slot
 * by slot on Cluster, cut into segments at clears and at per-parent cap boundaries.
 */
export class BatchRunner {
  constructor(
    private readonly context: StoreContext,
    private readonly planner: WritePlanner,
    private readonly aftermath: WriteAftermath,
    private readonly clearing: Clearing,
  ) {}

  /**
   * keepAlive ops run after every other op, so they read the indexes as the whole batch left them: on
   * standalone in the batch's last script (which proves index members live through their link sets);
   * on Cluster as a last segment of their own, after the index tidy-up of the deletes before them.
   */
  async run(ops: readonly BatchOp[], encoded: readonly Encoded[]): Promise<BatchResult> {
    const keepAlives: number[] = [];
    const others: number[] = [];
    ops.forEach((op, i) => {
      (op.type === 'keepAlive' ? keepAlives : others).push(i);
    });
    if (keepAlives.length === 0) return this.#runInOrder(ops, encoded);
    const results = new Array<unknown>(ops.length);
    const runPart = async (positions: readonly number[]): Promise<void> => {
      const part = await this.#runInOrder(
        positions.map((i) => ops[i] as BatchOp),
        positions.map((i) => encoded[i] as Encoded),
      );
      positions.forEach((from, j) => {
        results[from] = part[j];
      });
    };
    if (this.context.connection.isCluster) {
      await runPart(others);
      await runPart(keepAlives);
    } else {
      await runPart([...others, ...keepAlives]);
    }
    return results;
  }

  /** clearIndex and clear read before they write, so each runs as its own step, in order. */
  async #runInOrder(ops: readonly BatchOp[], encoded: readonly Encoded[]): Promise<BatchResult> {
    const results = new Array<unknown>(ops.length);
    const capBoundaries = await this.#capBoundaries(ops);
    let start = 0;
    while (start < ops.length) {
      const op = ops[start] as BatchOp;
      if (op.type === 'clear') {
        await this.clearing.clear(op.ns);
        results[start++] = undefined;
        continue;
      }
      if (op.type === 'clearIndex') {
        results[start++] = await this.clearing.clearIndex(op.ns, op.link, op.options?.deleteEntries === true);
        continue;
      }
      let end = start;
      while (end < ops.length && ops[end]?.type !== 'clear' && ops[end]?.type !== 'clearIndex') {
        end++;
        if (capBoundaries.has(end - 1)) break;
      }
      await this.#runSegment(ops, encoded, start, end, results);
      start = end;
    }
    return results;
  }

  /**
   * Where a batch must be cut so that per-parent caps apply at each insert, in order, as if the ops ran
   * one by one (MemoryStore, SQLite, discord.js's LimitedCollection): after an op that links into a
   * capped index which may overflow within the batch, when a later op touches the same namespace (a later
   * delete must not free room that the insert's eviction already took). The index size read here is an
   * upper bound (it may hold stale members), so an index that cannot overflow is never cut.
   */
  async #capBoundaries(ops: readonly BatchOp[]): Promise<Set<number>> {
    const { connection, layout } = this.context;
    const lastOfNs = new Map<string, number>();
    ops.forEach((op, i) => {
      lastOfNs.set(op.ns, i);
    });
    // Only an insert followed by another op of its namespace can need a cut: the index size is read
    // for those alone (a batch ending with its message inserts costs no read).
    const adds = new Map<string, { ns: string; cap: number; positions: number[] }>();
    ops.forEach((op, i) => {
      if ((lastOfNs.get(op.ns) ?? -1) <= i) return;
      const links = op.type === 'set' ? (op.options?.indexes ?? []) : op.type === 'link' ? [op.link] : [];
      for (const link of links) {
        const cap = this.context.limitsOf(op.ns).maxPerParent?.[link.by];
        if (cap === undefined) continue;
        const index = layout.index(op.ns, link);
        const group = adds.get(index) ?? { ns: op.ns, cap, positions: [] };
        adds.set(index, group);
        group.positions.push(i);
      }
    });
    const boundaries = new Set<number>();
    if (adds.size === 0) return boundaries;
    await Promise.all(
      [...adds].map(async ([index, { ns, cap, positions }]) => {
        const size = Number(await connection.send(ns, index, ['ZCARD', index], true));
        if (size + positions.length <= cap) return;
        for (const i of positions) boundaries.add(i);
      }),
    );
    return boundaries;
  }

  async #runSegment(
    ops: readonly BatchOp[],
    encoded: readonly Encoded[],
    start: number,
    end: number,
    results: unknown[],
  ): Promise<void> {
    const { planner, aftermath } = this;
    const plan = new WritePlan();
    const planned: PlannedWrite[] = [];
    for (let i = start; i < end; i++) {
      const op = ops[i] as SegmentOp;
      if (op.type === 'set')
        planned.push(planner.planSet(plan, op.ns, op.key, encoded[i] as Encoded, op.options, true));
      else if (op.type === 'delete')
        planned.push({ index: planner.planDelete(plan, op.ns, op.key, false), deleted: true });
      else if (op.type === 'link')
        planned.push({ index: planner.planLink(plan, op.ns, op.key, op.link), deleted: false });
      else if (op.type === 'unlink')
        planned.push({ index: planner.planUnlink(plan, op.ns, op.key, op.link), deleted: false });
      else planned.push({ index: planner.planKeepAlive(plan, op), deleted: false });
    }
    const replies = await planner.run((ops[start] as BatchOp).ns, plan);
    const after = newAftermath();
    for (let i = start; i < end; i++) {
      const op = ops[i] as SegmentOp;
      const step = planned[i - start] as PlannedWrite;
      const reply = replies[step.index];
      if (op.type === 'set' || op.type === 'delete') {
        const entry = reply as EntryReply;
        aftermath.noteWrite(after, op.ns, op.key, entry, step.links, step.deleted);
        const previous = entry[0];
        const existed =
          op.type === 'delete' ? Number(entry[2]) === 1 : previous !== null && previous !== undefined;
        if (op.type === 'delete') {
          if (existed) this.context.statsOf(op.ns).deletes++;
          results[i] = existed;
        } else {
          // A corrupt previous value is reported and read as absent rather than failing the write.
          results[i] = existed ? this.context.decodeOrReport(op.ns, op.key, previous).value : undefined;
        }
      } else {
        if (op.type === 'link') aftermath.noteLinked(after, op.ns, op.link);
        results[i] = Number(reply) === 1;
      }
    }
    await aftermath.tidy(after);
  }
}
