import type { IndexLink, SetOptions } from '../store/types.js';
import { checkRelations, guildLink } from './guild-bound-cache.js';
import { IdResourceCache } from './id-resource-cache.js';
import { assertId } from './ids.js';
import { channelIdOf, expiresAtOf, guildOfInvite } from './payload-relations.js';
import type { ResourceContext } from './resource-context.js';
import { checkValue } from './resource-core.js';
import { BY_CHANNEL, BY_GUILD } from './resource-names.js';
import type { ResourceView } from './resource-view.js';
import type { WritePlan } from './write-plan.js';

/** Relations and expiry of an invite. Giving guildId or channelId replaces the invite's links. */
export interface InviteRelation {
  readonly guildId?: string;
  readonly channelId?: string;
  /** When the invite expires: epoch ms, a Date or an ISO string (Discord's `expires_at`). Default: the invites TTL. */
  readonly expiresAt?: number | Date | string;
}

/** Invites, keyed by code, bound to a guild and a channel, expiring when the invite does. */
export class InviteCache<V extends object> extends IdResourceCache<V> {
  constructor(ctx: ResourceContext) {
    super(ctx, 'invites');
  }

  async set(code: string, value: V, relations?: InviteRelation): Promise<V | undefined> {
    checkValue(value);
    let index = -1;
    const results = await this.commit((plan) => {
      index = this.planSet(plan, code, value, relations);
    });
    return results[index] as V | undefined;
  }

  protected planLoaded(plan: WritePlan, code: string, value: V): number {
    const payload = value as Readonly<Record<string, unknown>>;
    const guildId = guildOfInvite(payload);
    const channelId = channelIdOf(payload);
    const expiresAt = expiresAtOf(payload);
    return this.planSet(plan, code, value, {
      ...(guildId !== undefined && { guildId }),
      ...(channelId !== undefined && { channelId }),
      ...(expiresAt !== undefined && { expiresAt }),
    });
  }

  /** @internal The write path shared by `set`, transactions and the fetch layer. */
  planSet(plan: WritePlan, code: string, value: V, relations?: InviteRelation): number {
    this.checkId(code, 'code');
    const { guildId, channelId, expiresAt } = checkRelations(relations, 'relations');
    const links: IndexLink[] = [];
    if (guildId !== undefined) {
      assertId(guildId, 'relations.guildId');
      links.push(guildLink(guildId));
    }
    if (channelId !== undefined) {
      assertId(channelId, 'relations.channelId');
      links.push({ by: BY_CHANNEL, parent: channelId });
    }
    const expiry: Pick<SetOptions, 'expiresAt'> =
      expiresAt === undefined || expiresAt === null ? {} : { expiresAt: toEpoch(expiresAt) };
    return this.planWrite(plan, code, value, links.length > 0 ? links : undefined, expiry);
  }

  /** The guild the invite is bound to (undefined: not cached, or bound to none). */
  async guildIdOf(code: string): Promise<string | undefined> {
    this.checkId(code, 'code');
    return this.parentOf(code, BY_GUILD, guildOfInvite);
  }

  /** The channel the invite is bound to (undefined: not cached). */
  async channelIdOf(code: string): Promise<string | undefined> {
    this.checkId(code, 'code');
    return this.parentOf(code, BY_CHANNEL, channelIdOf);
  }

  forGuild(guildId: string): ResourceView<string, V> {
    assertId(guildId, 'guildId');
    return this.view(guildLink(guildId), (key) => key);
  }

  forChannel(channelId: string): ResourceView<string, V> {
    assertId(channelId, 'channelId');
    return this.view({ by: BY_CHANNEL, parent: channelId }, (key) => key);
  }
}

function toEpoch(value: unknown): number {
  const ms =
    typeof value === 'number'
      ? value
      : value instanceof Date
        ? value.getTime()
        : typeof value === 'string'
          ? Date.parse(value)
          : Number.NaN;
  if (!Number.isFinite(ms) || ms < 0)
    throw new RangeError(
      `relations.expiresAt must be epoch milliseconds, a Date or an ISO date string (got ${String(value)})`,
    );
  return ms;
}
