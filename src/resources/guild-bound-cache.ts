import type { IndexLink } from '../store/types.js';
import { IdResourceCache } from './id-resource-cache.js';
import { assertId } from './ids.js';
import { guildIdOf } from './payload-relations.js';
import type { ResourceContext } from './resource-context.js';
import { checkValue } from './resource-core.js';
import { BY_GUILD } from './resource-names.js';
import type { ResourceView } from './resource-view.js';
import type { WritePlan } from './write-plan.js';

/** Relations of a guild-bound entity keyed by its own id. */
export interface GuildRelation {
  /** The guild it belongs to. Omitted on an update: the entity keeps the guild it had. */
  readonly guildId?: string;
}

export function guildLink(guildId: string): IndexLink {
  return { by: BY_GUILD, parent: guildId };
}

/** Checks an optional relations object; returns it as a record. */
export function checkRelations(relations: unknown, name: string): Record<string, unknown> {
  if (relations === undefined) return {};
  if (typeof relations !== 'object' || relations === null || Array.isArray(relations))
    throw new TypeError(`${name} must be an object (got ${relations === null ? 'null' : typeof relations})`);
  return relations as Record<string, unknown>;
}

/** Channels (threads too), roles, emojis: keyed by their own id, listed per guild. */
export class GuildBoundCache<V extends object> extends IdResourceCache<V> {
  constructor(ctx: ResourceContext, name: string) {
    super(ctx, name);
  }

  /** Writes the value linked to `guildId` (kept from before when omitted); resolves to the previous value. */
  async set(id: string, value: V, relations?: GuildRelation): Promise<V | undefined> {
    checkValue(value);
    let index = -1;
    const results = await this.commit((plan) => {
      index = this.planSet(plan, id, value, relations);
    });
    return results[index] as V | undefined;
  }

  /** @internal The write path shared by `set`, transactions and the fetch layer. */
  planSet(plan: WritePlan, id: string, value: V, relations?: GuildRelation): number {
    this.checkId(id, 'id');
    const { guildId } = checkRelations(relations, 'relations');
    if (guildId !== undefined) assertId(guildId, 'relations.guildId');
    return this.planWrite(plan, id, value, guildId === undefined ? undefined : [guildLink(guildId)]);
  }

  protected planLoaded(plan: WritePlan, id: string, value: V): number {
    const guildId = guildIdOf(value as Readonly<Record<string, unknown>>);
    return this.planSet(plan, id, value, guildId === undefined ? undefined : { guildId });
  }

  /** The guild the entry is bound to (undefined: not cached, or bound to none). */
  async guildIdOf(id: string): Promise<string | undefined> {
    this.checkId(id, 'id');
    return this.parentOf(id, BY_GUILD, guildIdOf);
  }

  /** The entries of one guild: count, iterate `[id, value]`, keys, clear. */
  forGuild(guildId: string): ResourceView<string, V> {
    assertId(guildId, 'guildId');
    return this.view(guildLink(guildId), (key) => key);
  }
}
