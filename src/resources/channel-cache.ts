import type { IndexLink } from '../store/types.js';
import { planChannelCascade } from './cascades.js';
import { GuildBoundCache } from './guild-bound-cache.js';
import type { ResourceContext } from './resource-context.js';
import { collectKeys } from './resource-core.js';
import type { WritePlan } from './write-plan.js';

/** Channels, threads included. Deleting one deletes its messages, its invites and the voice states in it. */
export class ChannelCache<V extends object> extends GuildBoundCache<V> {
  constructor(ctx: ResourceContext) {
    super(ctx, 'channels');
  }

  override planDelete(plan: WritePlan, key: string): number {
    const index = plan.push({ type: 'delete', ns: this.ns, key });
    planChannelCascade(this.ctx, plan, key);
    return index;
  }

  override async planClearIndex(plan: WritePlan, link: IndexLink): Promise<void> {
    for (const channelId of await collectKeys(this.ctx.store.indexKeys(this.ns, link))) {
      planChannelCascade(this.ctx, plan, channelId);
    }
    plan.push({ type: 'clearIndex', ns: this.ns, link, options: { deleteEntries: true } });
  }
}
