import { type LoadWatch, loadWatchersOf } from '../fetch/load-watch.js';
import type { BatchOp, BatchResult, IndexLink, SetOptions } from '../store/types.js';
import type { ResourceContext } from './resource-context.js';
import { BY_AUTHOR, BY_USER } from './resource-names.js';

/** How many users are settled concurrently (remote stores pipeline these reads). */
const SETTLE_CONCURRENCY = 256;
/** A referenced user's expiry is only pushed back when it would move by more than this (or a tenth of it). */
const EXTEND_SLACK_MS = 1_000;

interface UserTouch {
  /** Member keys of this user written by the plan (and not deleted after). */
  readonly memberSets: Set<string>;
  /** Member keys of this user deleted by the plan; true when known to exist in the store. */
  readonly memberRemovals: Map<string, boolean>;
  authored: boolean;
  /** Position of the plan's write of the user itself, if any. */
  writeIndex: number | undefined;
  deleted: boolean;
}

/**
 * The operations of one change, applied as ONE store batch so an entity and its relations never
 * disagree. Besides the operations, it tracks which users gain or lose references (members, message
 * authors) so that, before committing, each user's expiry is settled: a referenced user does not expire;
 * once its last reference goes it gets the users TTL.
 */
export class WritePlan {
  readonly ops: BatchOp[] = [];
  readonly #users = new Map<string, UserTouch>();
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

  private touch(userId: string): UserTouch {
    let touch = this.#users.get(userId);
    if (!touch) {
      touch = {
        memberSets: new Set(),
        memberRemovals: new Map(),
        authored: false,
        writeIndex: undefined,
        deleted: false,
      };
      this.#users.set(userId, touch);
    }
    return touch;
  }

  memberWritten(userId: string, memberKey: string): void {
    const touch = this.touch(userId);
    touch.memberRemovals.delete(memberKey);
    touch.memberSets.add(memberKey);
  }

  memberRemoved(userId: string, memberKey: string, knownToExist: boolean): void {
    const touch = this.touch(userId);
    touch.memberSets.delete(memberKey);
    touch.memberRemovals.set(memberKey, knownToExist || touch.memberRemovals.get(memberKey) === true);
  }

  messageAuthored(userId: string): void {
    this.touch(userId).authored = true;
  }

  userWritten(userId: string, opIndex: number): void {
    const touch = this.touch(userId);
    touch.writeIndex = opIndex;
    touch.deleted = false;
  }

  userDeleted(userId: string): void {
    const touch = this.touch(userId);
    touch.writeIndex = undefined;
    touch.deleted = true;
  }

  /** Settles user expiries, then applies everything in one batch. */
  async commit(): Promise<BatchResult> {
    this.ctx.guard();
    // Loads in flight on these keys learn that their answer is now older than the cache's.
    const watchers = loadWatchersOf(this.ctx.store);
    watchers.noteBatch(this.ops, this.ownLoad);
    const touched = [...this.#users];
    for (let i = 0; i < touched.length; i += SETTLE_CONCURRENCY) {
      await Promise.all(
        touched.slice(i, i + SETTLE_CONCURRENCY).map(([id, touch]) => this.settleUser(id, touch)),
      );
    }
    if (this.ops.length === 0) return [];
    if (this.ownLoad?.changed) {
      this.skipped = true;
      return [];
    }
    const forget = watchers.absencesToForget(this.ops);
    const results = await this.ctx.store.batch(this.ops);
    for (const [ns, keys] of forget) await this.ctx.store.deleteMany(ns, keys);
    return results;
  }

  /** How long a referenced entity keeps a user alive: its own TTL plus the users TTL (never if either never). */
  private keepAlive(referrerTtl: number): number {
    return referrerTtl + this.ctx.limits.users.ttl;
  }

  private async settleUser(userId: string, touch: UserTouch): Promise<void> {
    if (touch.deleted) return;
    const { store } = this.ctx;
    const users = this.ctx.namespace('users');
    const limits = this.ctx.limits;
    // Full knowledge is needed when the user is written (its TTL is chosen now) or may lose its last member.
    const full = touch.writeIndex !== undefined || touch.memberRemovals.size > 0;
    let desired = limits.users.ttl;
    if (touch.memberSets.size > 0 || (full && (await this.storedMemberRefsAfter(userId, touch)) > 0)) {
      desired = Math.max(desired, this.keepAlive(limits.members.ttl));
    }
    if (desired !== Number.POSITIVE_INFINITY) {
      const link: IndexLink = { by: BY_AUTHOR, parent: userId };
      if (touch.authored || (full && (await store.indexCount(this.ctx.namespace('messages'), link)) > 0)) {
        desired = Math.max(desired, this.keepAlive(limits.messages.ttl));
      }
    }

    if (touch.writeIndex !== undefined) {
      const op = this.ops[touch.writeIndex];
      if (op?.type === 'set')
        this.ops[touch.writeIndex] = { ...op, options: { ...op.options, ttl: desired } };
      return;
    }
    const entry = await store.getEntry(users, userId);
    if (!entry) return;
    const remaining = entry.expiresAt === undefined ? Number.POSITIVE_INFINITY : entry.expiresAt - Date.now();
    const grows = desired > remaining + Math.min(EXTEND_SLACK_MS, desired / 10);
    // With full knowledge, a user held without expiry by a member it no longer has takes the finite TTL
    // it is owed now, also when messages still reference it (they keep it only for their own TTL).
    const shrinks = full && remaining === Number.POSITIVE_INFINITY && desired < remaining;
    if (!grows && !shrinks) return;
    const options: SetOptions = { ttl: desired };
    this.push({ type: 'set', ns: users, key: userId, value: entry.value, options });
  }

  /** Member references the user will have after this plan, counting only members already stored. */
  private async storedMemberRefsAfter(userId: string, touch: UserTouch): Promise<number> {
    const { store } = this.ctx;
    const members = this.ctx.namespace('members');
    const link: IndexLink = { by: BY_USER, parent: userId };
    let count = await store.indexCount(members, link);
    for (const [key, known] of touch.memberRemovals) {
      if (known || (await store.indexHas(members, link, key))) count--;
    }
    return count;
  }
}
