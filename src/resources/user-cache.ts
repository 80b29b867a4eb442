import { CannotDelete } from '../errors/index.js';
import type { IndexLink } from '../store/types.js';
import { IdResourceCache } from './id-resource-cache.js';
import { userLink } from './member-cache.js';
import type { ResourceContext } from './resource-context.js';
import { checkValue } from './resource-core.js';
import { BY_AUTHOR } from './resource-names.js';
import type { WritePlan } from './write-plan.js';

/** Options of {@link UserCache.delete}. */
export interface UserDeleteOptions {
  /** Also delete the members and messages that reference the user. Default false: CannotDelete while referenced. */
  readonly cascade?: boolean;
}

export function authorLink(userId: string): IndexLink {
  return { by: BY_AUTHOR, parent: userId };
}

/**
 * Users, kept alive by references: while a member (or a message) references a user, it does not expire;
 * once the last reference goes it lives on for the users TTL (default 1 h), refreshed whenever it is set.
 */
export class UserCache<V extends object> extends IdResourceCache<V> {
  constructor(ctx: ResourceContext) {
    super(ctx, 'users');
  }

  /** Writes the user; its expiry follows its references. Resolves to the previous value. */
  async set(id: string, value: V): Promise<V | undefined> {
    checkValue(value);
    let index = -1;
    const results = await this.commit((plan) => {
      index = this.planSet(plan, id, value);
    });
    return results[index] as V | undefined;
  }

  protected planLoaded(plan: WritePlan, id: string, value: V): number {
    return this.planSet(plan, id, value);
  }

  /** @internal The write path shared by `set`, transactions and the fetch layer. */
  planSet(plan: WritePlan, id: string, value: V): number {
    this.checkId(id, 'id');
    const index = this.planWrite(plan, id, value, undefined);
    plan.userWritten(id);
    return index;
  }

  /**
   * Deletes the user. Throws CannotDelete while members or messages reference it, unless
   * `{ cascade: true }`, which deletes those members and messages in the same batch.
   */
  override async delete(id: string, options: UserDeleteOptions = {}): Promise<boolean> {
    this.checkId(id, 'id');
    if (typeof options !== 'object' || options === null)
      throw new TypeError(`options must be an object (got ${options === null ? 'null' : typeof options})`);
    if (options.cascade !== undefined && typeof options.cascade !== 'boolean')
      throw new TypeError(`options.cascade must be a boolean (got ${typeof options.cascade})`);
    let index = -1;
    const results = await this.commit(async (plan) => {
      index = await this.planUserDelete(plan, id, options.cascade === true);
    });
    return results[index] === true;
  }

  override planDelete(plan: WritePlan, key: string): Promise<number> {
    return this.planUserDelete(plan, key, false);
  }

  /** @internal */
  async planUserDelete(plan: WritePlan, id: string, cascade: boolean): Promise<number> {
    const { store } = this.ctx;
    const members = this.ctx.namespace('members');
    const messages = this.ctx.namespace('messages');
    if (cascade) {
      plan.push({ type: 'clearIndex', ns: members, link: userLink(id), options: { deleteEntries: true } });
      plan.push({ type: 'clearIndex', ns: messages, link: authorLink(id), options: { deleteEntries: true } });
    } else {
      const [memberRefs, messageRefs] = await Promise.all([
        store.indexCount(members, userLink(id)),
        store.indexCount(messages, authorLink(id)),
      ]);
      if (memberRefs + messageRefs > 0)
        throw new CannotDelete(
          `user ${id} is referenced by ${memberRefs} member(s) and ${messageRefs} message(s); pass { cascade: true } to delete them too`,
          { resource: 'users', key: id },
        );
    }
    plan.userDeleted(id);
    return plan.push({ type: 'delete', ns: this.ns, key: id });
  }
}
