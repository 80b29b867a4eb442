import { planGuildCascade } from './cascades.js';
import type { ResourceContext } from './resource-context.js';
import { SimpleResourceCache } from './simple-resource-cache.js';
import type { WritePlan } from './write-plan.js';

/** Guilds (Mezon: clans). Deleting one deletes everything bound to it, in the same batch. */
export class GuildCache<V extends object> extends SimpleResourceCache<V> {
  constructor(ctx: ResourceContext) {
    super(ctx, 'guilds');
  }

  override async planDelete(plan: WritePlan, key: string): Promise<number> {
    const index = plan.push({ type: 'delete', ns: this.ns, key });
    await planGuildCascade(this.ctx, plan, key);
    return index;
  }

  /** Clears the guilds only; bound resources stay until their own clear (or a delete of their guild). */
  override planClear(plan: WritePlan): void {
    plan.push({ type: 'clear', ns: this.ns });
  }
}
