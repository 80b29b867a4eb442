/**
 * Arrival order for entities shared by every guild (users and `me`). Lanes run concurrently, so two
 * dispatches of different guilds carrying one user could otherwise commit in either order and leave
 * the older copy. Each dispatch takes, when it arrives, a slot after the slots of the earlier
 * dispatches that write the same shared entities; a lane does not apply a dispatch before those
 * earlier slots are released. So `handle()` + `idle()` ends in the state of awaiting each `apply()`.
 */
import { isObject, type JsonObject } from './payload-checks.js';

/** Released once its dispatch is applied, failed, dropped or parked in the guild buffer. */
export class Slot {
  released = false;
  /** Made only when someone waits: most slots are released before any later dispatch needs them. */
  #done: Promise<void> | undefined;
  #resolve: (() => void) | undefined;
  /** Told synchronously on release (the order forgets the slot). */
  onRelease: ((slot: Slot) => void) | undefined;
  /** The shared entities the slot orders. */
  keys: readonly string[] = [];

  /** Resolves once the slot is released. */
  get done(): Promise<void> {
    if (this.#done === undefined) {
      this.#done = this.released
        ? Promise.resolve()
        : new Promise((resolve) => {
            this.#resolve = resolve;
          });
    }
    return this.#done;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.#resolve?.();
    this.onRelease?.(this);
  }
}

/** Every shared entity at once: the dispatch waits for all earlier ones, and all later ones wait for it. */
export const ALL_SHARED = '*';

/**
 * Dispatches that change shared state in ways their payload does not name: a guild's arrival or
 * departure (members and their users' references), READY's reconciliation, a re-sync.
 */
const BARRIERS = new Set(['GUILD_CREATE', 'GUILD_DELETE', 'READY', 'RESYNC']);

function userKey(value: unknown): string | undefined {
  return isObject(value) && typeof value.id === 'string' ? `u:${value.id}` : undefined;
}

/** The shared entities a dispatch may write: `u:<id>` per user, `me`, or {@link ALL_SHARED}. */
export function sharedKeysOf(t: string, d: JsonObject): readonly string[] {
  if (BARRIERS.has(t)) return [ALL_SHARED];
  const keys: (string | undefined)[] = [];
  switch (t) {
    case 'USER_UPDATE':
      keys.push('me', userKey(d));
      break;
    case 'GUILD_MEMBER_ADD':
    case 'GUILD_MEMBER_UPDATE':
    case 'GUILD_MEMBER_REMOVE':
    case 'PRESENCE_UPDATE':
      keys.push(userKey(d.user));
      break;
    case 'GUILD_MEMBERS_CHUNK':
      if (Array.isArray(d.members))
        for (const member of d.members) keys.push(userKey(isObject(member) ? member.user : undefined));
      break;
    case 'VOICE_STATE_UPDATE':
      keys.push(userKey(isObject(d.member) ? d.member.user : undefined));
      break;
    case 'MESSAGE_CREATE':
    case 'MESSAGE_UPDATE':
      keys.push(userKey(d.author));
      break;
    case 'INVITE_CREATE':
      keys.push(userKey(d.inviter), userKey(d.target_user));
      break;
  }
  return keys.filter((key): key is string => key !== undefined);
}

/** Hands out slots in arrival order. */
export class SharedWriteOrder {
  readonly #last = new Map<string, Slot>();
  /** The latest barrier, and the slots taken since (a barrier waits for them all). */
  #barrier: Slot | undefined;
  #sinceBarrier = new Set<Slot>();

  /** Takes the slot of a dispatch that just arrived; resolves to the slots it must wait for. */
  take(keys: readonly string[]): { slot: Slot; after: Slot[] } | undefined {
    if (keys.length === 0) return undefined;
    const slot = new Slot();
    const after: Slot[] = [];
    if (keys.includes(ALL_SHARED)) {
      if (this.#barrier && !this.#barrier.released) after.push(this.#barrier);
      for (const earlier of this.#sinceBarrier) if (!earlier.released) after.push(earlier);
      this.#barrier = slot;
      this.#sinceBarrier = new Set();
      this.#last.clear();
      return { slot, after };
    }
    for (const key of keys) {
      const earlier = this.#last.get(key) ?? this.#barrier;
      if (earlier && earlier !== slot && !earlier.released && !after.includes(earlier)) after.push(earlier);
      this.#last.set(key, slot);
    }
    this.#sinceBarrier.add(slot);
    slot.keys = keys;
    slot.onRelease = this.#forget;
    return { slot, after };
  }

  /** One function for every slot: no closure per dispatch. */
  readonly #forget = (slot: Slot): void => {
    this.#sinceBarrier.delete(slot);
    for (const key of slot.keys) if (this.#last.get(key) === slot) this.#last.delete(key);
  };
}

/** Whether any of the slots is still held. */
export function held(slots: readonly Slot[] | undefined): boolean {
  return slots?.some((slot) => !slot.released) === true;
}
