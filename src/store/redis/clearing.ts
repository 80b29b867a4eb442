import type { IndexLink } from '../types.js';
import type { IndexReads } from './index-reads.js';
import type { StoreContext } from './store-context.js';
import type { WriteAftermath } from './write-aftermath.js';
import { WritePlan } from './write-plan.js';
import type { WritePlanner } from './write-planner.js';

/** Clearing a whole namespace (SCAN + UNLINK on every master) or one parent's index. */
export class Clearing {
  constructor(
    private readonly context: StoreContext,
    private readonly planner: WritePlanner,
    private readonly aftermath: WriteAftermath,
    private readonly indexes: IndexReads,
  ) {}

  async clear(ns: string): Promise<void> {
    const { connection, layout } = this.context;
    for await (const keys of connection.scan(ns, layout.namespacePattern(ns), 1000)) {
      await Promise.all(
        connection
          .groupBySlot(keys, (key) => key)
          .map((group) => connection.send(ns, group[0] as string, ['UNLINK', ...group])),
      );
    }
  }

  /** Unlinks (or deletes) every member of an index; resolves to how many there were. */
  async clearIndex(ns: string, link: IndexLink, deleteEntries: boolean): Promise<number> {
    const members: string[] = [];
    for await (const keys of this.indexes.windows(ns, link, 1000)) members.push(...keys);
    if (deleteEntries) {
      const existed = await this.aftermath.removeEntries(ns, members);
      this.context.statsOf(ns).deletes += existed;
    } else if (members.length > 0) {
      const plan = new WritePlan();
      for (const key of members) this.planner.planUnlink(plan, ns, key, link);
      await this.planner.run(ns, plan);
    }
    // Not DEL: a member another process linked after our read keeps its place; only unlinked ones go.
    for (let i = 0; i < members.length; i += 1000)
      await this.indexes.validate(ns, link, members.slice(i, i + 1000));
    return members.length;
  }
}
