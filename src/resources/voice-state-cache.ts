import type { IndexLink } from '../store/types.js';
import { checkRelations, guildLink } from './guild-bound-cache.js';
import { GuildUserCache, userIdOf } from './guild-user-cache.js';
import { assertId } from './ids.js';
import { channelIdOf } from './payload-relations.js';
import type { ResourceContext } from './resource-context.js';
import { checkValue } from './resource-core.js';
import { BY_CHANNEL } from './resource-names.js';
import type { ResourceView } from './resource-view.js';
import type { WritePlan } from './write-plan.js';

/** Relations of a voice state. */
export interface VoiceStateRelation {
  /** The voice channel the user is in. Omitted: the state is linked to its guild only. */
  readonly channelId?: string;
}

/** Voice states, per guild and per voice channel. Moving to another channel moves the link in the same batch. */
export class VoiceStateCache<V extends object> extends GuildUserCache<V> {
  constructor(ctx: ResourceContext) {
    super(ctx, 'voiceStates');
  }

  override async set(
    guildId: string,
    userId: string,
    value: V,
    relations?: VoiceStateRelation,
  ): Promise<V | undefined> {
    checkValue(value);
    let index = -1;
    const results = await this.commit((plan) => {
      index = this.planSet(plan, guildId, userId, value, relations);
    });
    return results[index] as V | undefined;
  }

  /** @internal */
  override planSet(
    plan: WritePlan,
    guildId: string,
    userId: string,
    value: V,
    relations?: VoiceStateRelation,
  ): number {
    const key = this.key(guildId, userId);
    const { channelId } = checkRelations(relations, 'relations');
    const links: IndexLink[] = [guildLink(guildId)];
    if (channelId !== undefined && channelId !== null) {
      assertId(channelId, 'relations.channelId');
      links.push({ by: BY_CHANNEL, parent: channelId });
    }
    return this.planWrite(plan, key, value, links);
  }

  protected override planLoaded(plan: WritePlan, guildId: string, userId: string, value: V): number {
    const channelId = channelIdOf(value as Readonly<Record<string, unknown>>);
    return this.planSet(plan, guildId, userId, value, channelId === undefined ? undefined : { channelId });
  }

  /** The voice states of one channel, yielding `[userId, value]`. */
  /** The voice channel the user is in (undefined: no voice state cached). */
  async channelIdOf(guildId: string, userId: string): Promise<string | undefined> {
    return this.parentOf(this.key(guildId, userId), BY_CHANNEL, channelIdOf);
  }

  forChannel(channelId: string): ResourceView<string, V> {
    assertId(channelId, 'channelId');
    return this.view({ by: BY_CHANNEL, parent: channelId }, userIdOf);
  }
}
