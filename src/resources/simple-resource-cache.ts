import { IdResourceCache } from './id-resource-cache.js';
import type { ResourceContext } from './resource-context.js';
import type { WritePlan } from './write-plan.js';

/** A resource with no relations to keep: `set(id, value)`. Guilds build on it. */
export class SimpleResourceCache<V extends object> extends IdResourceCache<V> {
  constructor(ctx: ResourceContext, name: string) {
    super(ctx, name);
  }

  /** Writes the value; resolves to the previous one (undefined if none) so update events can diff. */
  async set(id: string, value: V): Promise<V | undefined> {
    this.checkId(id, 'id');
    return this.writeKey(id, value, undefined);
  }

  protected planLoaded(plan: WritePlan, id: string, value: V): number {
    return this.planSet(plan, id, value);
  }

  /** @internal The transaction form of {@link set}. */
  planSet(plan: WritePlan, id: string, value: V): number {
    this.checkId(id, 'id');
    return this.planWrite(plan, id, value, undefined);
  }
}
