import { type LoadWatch, loadWatchersOf } from '../fetch/load-watch.js';
import type { BatchOp, BatchResult, KeepAliveReference } from '../store/types.js';
import type { ResourceContext } from './resource-context.js';
import { BY_AUTHOR, BY_USER } from './resource-names.js';

/**
 * The operations of one change, applied as ONE store batch so an entity and its relations never
 * disagree. Besides the operations, it notes which users gain or lose references (members, message
 * authors): the batch ends with one keepAlive per such user, which the store applies atomically after
 * everything else, from the references as the batch left them. A referenced user does not expire (or,
 * held by messages only, outlives them); once its last reference goes it gets the users TTL. Nothing
 * is read before the batch, so concurrent writers in several processes cannot settle from stale counts.
 */
export class WritePlan {
  readonly ops: BatchOp[] = [];
  /** Users whose references the plan changes: true when the plan deletes the user itself. */
  readonly #users = new Map<string, boolean>();
  /**
   * Set when the plan writes a load's answer: the plan is dropped (`skipped`) if its key was written or
   * deleted while the load ran, because events win over loads.
   */
  ownLoad: LoadWatch | undefined;
  skipped = false;

  constructor(private readonly ctx: ResourceContext) {}

  /** Adds an operation; returns its position in the batch result. */
  push(op: BatchOp): number {
    return this.ops.push(op) - 1;
  }

  /** The user gains or loses a reference (or is written): its expiry is settled by the batch. */
  #touch(userId: string): void {
    if (!this.#users.has(userId)) this.#users.set(userId, false);
  }

  memberWritten(userId: string): void {
    this.#touch(userId);
  }

  memberRemoved(userId: string): void {
    this.#touch(userId);
  }

  messageAuthored(userId: string): void {
    this.#touch(userId);
  }

  userWritten(userId: string): void {
    this.#users.set(userId, false);
  }

  userDeleted(userId: string): void {
    this.#users.set(userId, true);
  }

  /** Applies everything in one batch, ending with the keepAlive of every touched user. */
  async commit(): Promise<BatchResult> {
    this.ctx.guard();
    // Loads in flight on these keys learn that their answer is now older than the cache's.
    const watchers = loadWatchersOf(this.ctx.store);
    watchers.noteBatch(this.ops, this.ownLoad);
    if (this.ops.length === 0) return [];
    if (this.ownLoad?.changed) {
      this.skipped = true;
      return [];
    }
    const forget = watchers.absencesToForget(this.ops);
    const written = this.ops.length;
    // The keepAlives go at the end of the plan's own array (no copy of a batch of thousands of ops).
    this.#pushKeepAlives();
    const results = await this.ctx.store.batch(this.ops);
    for (const [ns, keys] of forget) await this.ctx.store.deleteMany(ns, keys);
    return results.length === written ? results : results.slice(0, written);
  }

  /** How long a referenced entity keeps a user alive: its own TTL plus the users TTL (never if either never). */
  private keepAlive(referrerTtl: number): number {
    return referrerTtl + this.ctx.limits.users.ttl;
  }

  /** Appends one keepAlive per touched user the plan does not delete. */
  #pushKeepAlives(): void {
    if (this.#users.size === 0) return;
    const { limits } = this.ctx;
    const ns = this.ctx.namespace('users');
    const whileReferenced: KeepAliveReference[] = [
      { ns: this.ctx.namespace('members'), by: BY_USER, ttl: this.keepAlive(limits.members.ttl) },
      { ns: this.ctx.namespace('messages'), by: BY_AUTHOR, ttl: this.keepAlive(limits.messages.ttl) },
    ];
    for (const [key, deleted] of this.#users) {
      if (!deleted) this.ops.push({ type: 'keepAlive', ns, key, ttl: limits.users.ttl, whileReferenced });
    }
  }
}
