import type { IndexLink } from '../store/types.js';
import { checkRelations, guildLink } from './guild-bound-cache.js';
import { IdResourceCache } from './id-resource-cache.js';
import { assertId } from './ids.js';
import { authorIdOf, channelIdOf, guildIdOf } from './payload-relations.js';
import type { ResourceContext } from './resource-context.js';
import { checkValue } from './resource-core.js';
import { BY_CHANNEL, BY_GUILD } from './resource-names.js';
import type { ResourceView } from './resource-view.js';
import { authorLink } from './user-cache.js';
import type { WritePlan } from './write-plan.js';

/** Relations of a message. They replace the message's previous links. */
export interface MessageRelation {
  /** The channel (or thread) it was sent in. */
  readonly channelId: string;
  /** Its author: the author's user is kept alive while the message lives. */
  readonly authorId?: string;
  /** Its guild, so that a guild delete finds messages of channels it never cached. */
  readonly guildId?: string;
}

/**
 * Messages: bound to their channel (capped per channel, oldest dropped first) and to their author;
 * they expire after the messages TTL (default 5 min).
 */
export class MessageCache<V extends object> extends IdResourceCache<V> {
  constructor(ctx: ResourceContext) {
    super(ctx, 'messages');
  }

  /** Writes the message; resolves to the previous value. */
  async set(id: string, value: V, relations: MessageRelation): Promise<V | undefined> {
    checkValue(value);
    let index = -1;
    const results = await this.commit((plan) => {
      index = this.planSet(plan, id, value, relations);
    });
    return results[index] as V | undefined;
  }

  protected planLoaded(plan: WritePlan, id: string, value: V): number {
    const payload = value as Readonly<Record<string, unknown>>;
    const channelId = channelIdOf(payload);
    if (channelId === undefined)
      throw new TypeError(`a loaded message must carry its channel_id (message '${id}')`);
    const authorId = authorIdOf(payload);
    const guildId = guildIdOf(payload);
    return this.planSet(plan, id, value, {
      channelId,
      ...(authorId !== undefined && { authorId }),
      ...(guildId !== undefined && { guildId }),
    });
  }

  /** @internal The write path shared by `set`, transactions and the fetch layer. */
  planSet(plan: WritePlan, id: string, value: V, relations: MessageRelation): number {
    this.checkId(id, 'id');
    if (relations === undefined) throw new TypeError('relations must be { channelId, authorId?, guildId? }');
    const { channelId, authorId, guildId } = checkRelations(relations, 'relations');
    assertId(channelId, 'relations.channelId');
    const links: IndexLink[] = [{ by: BY_CHANNEL, parent: channelId }];
    if (authorId !== undefined) {
      assertId(authorId, 'relations.authorId');
      links.push(authorLink(authorId));
    }
    if (guildId !== undefined) {
      assertId(guildId, 'relations.guildId');
      links.push(guildLink(guildId));
    }
    const index = this.planWrite(plan, id, value, links);
    if (authorId !== undefined) plan.messageAuthored(authorId);
    return index;
  }

  /** The channel the message is bound to (undefined: not cached). */
  async channelIdOf(id: string): Promise<string | undefined> {
    this.checkId(id, 'id');
    return this.parentOf(id, BY_CHANNEL, channelIdOf);
  }

  /** The guild the message was written with (undefined: not cached, or a DM). */
  async guildIdOf(id: string): Promise<string | undefined> {
    this.checkId(id, 'id');
    return this.parentOf(id, BY_GUILD, guildIdOf);
  }

  /** The messages of one channel, oldest first. */
  forChannel(channelId: string): ResourceView<string, V> {
    assertId(channelId, 'channelId');
    return this.view({ by: BY_CHANNEL, parent: channelId }, (key) => key);
  }

  /** The messages of one author. */
  forAuthor(userId: string): ResourceView<string, V> {
    assertId(userId, 'userId');
    return this.view(authorLink(userId), (key) => key);
  }

  /** The messages written with a `guildId`. */
  forGuild(guildId: string): ResourceView<string, V> {
    assertId(guildId, 'guildId');
    return this.view(guildLink(guildId), (key) => key);
  }
}
