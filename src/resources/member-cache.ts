import type { IndexLink } from '../store/types.js';
import { planMemberRelease } from './cascades.js';
import { guildLink } from './guild-bound-cache.js';
import { GuildUserCache, guildUserKeyOf, userIdOf } from './guild-user-cache.js';
import { assertId } from './ids.js';
import type { ResourceContext } from './resource-context.js';
import { collectKeys } from './resource-core.js';
import { BY_USER } from './resource-names.js';
import type { ResourceView } from './resource-view.js';
import type { WritePlan } from './write-plan.js';

export function userLink(userId: string): IndexLink {
  return { by: BY_USER, parent: userId };
}

/** Guild members. Each member references its user, which therefore does not expire while it lives. */
export class MemberCache<V extends object> extends GuildUserCache<V> {
  constructor(ctx: ResourceContext) {
    super(ctx, 'members');
  }

  protected override linksOf(guildId: string, userId: string): IndexLink[] {
    return [guildLink(guildId), userLink(userId)];
  }

  /** @internal */
  override planSet(plan: WritePlan, guildId: string, userId: string, value: V): number {
    const index = super.planSet(plan, guildId, userId, value);
    plan.memberWritten(userId);
    return index;
  }

  override planDelete(plan: WritePlan, key: string): number {
    plan.memberRemoved(userIdOf(key));
    return plan.push({ type: 'delete', ns: this.ns, key });
  }

  override planClearIndex(plan: WritePlan, link: IndexLink): Promise<void> {
    return planMemberRelease(this.ctx, plan, link);
  }

  override async planClear(plan: WritePlan): Promise<void> {
    for (const key of await collectKeys(this.ctx.store.keys(this.ns))) {
      plan.memberRemoved(userIdOf(key));
    }
    plan.push({ type: 'clear', ns: this.ns });
  }

  /** Every guild membership of one user, yielding `[guildId, value]`. */
  forUser(userId: string): ResourceView<string, V> {
    assertId(userId, 'userId');
    return this.view(userLink(userId), guildUserKeyOf);
  }
}
