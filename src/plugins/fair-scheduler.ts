/**
 * Hands out handler slots fairly between plugins: at most `limit` handlers run at once in all, each
 * plugin holds at most its share of them, and free slots go round-robin to the plugins that wait. A
 * handler past its timeout gives its slot back at once but keeps counting against its own plugin's share
 * until it really ends, so a plugin that hangs can only starve itself.
 */
import { startTimeout } from '../fetch/long-timeout.js';

/** Why a handler never got a slot. */
export type NotStarted = 'overloaded' | 'waited-too-long' | 'stuck' | 'dropped';

/** A granted slot: `expire()` when the handler's time is up, `finish()` when it has really ended. */
export interface Slot {
  expire(): void;
  finish(): void;
}

interface Waiter {
  readonly grant: (slot: Slot) => void;
  readonly refuse: (why: NotStarted) => void;
  cancelTimer: () => void;
}

interface Lane {
  /** Handlers of this plugin that have not ended (running, or past their timeout). */
  busy: number;
  /** Of those, the ones past their timeout. */
  expired: number;
  readonly queue: Waiter[];
}

export class FairScheduler {
  readonly #limit: number;
  readonly #maxQueued: number;
  readonly #shareOf: () => number;
  readonly #lanes = new Map<string, Lane>();
  #live = 0;
  /** The plugin served last, so the next free slot goes to the one after it. */
  #lastServed: string | undefined;

  /**
   * @param limit most handlers running at once.
   * @param maxQueued most handlers of one plugin waiting for a slot.
   * @param shareOf most handlers one plugin may hold, asked anew each time (it follows the plugin count).
   */
  constructor(limit: number, maxQueued: number, shareOf: () => number) {
    this.#limit = limit;
    this.#maxQueued = maxQueued;
    this.#shareOf = shareOf;
  }

  /** Handlers holding a slot now (not counting those past their timeout). */
  get running(): number {
    return this.#live;
  }

  /** Handlers waiting for a slot, all plugins together. */
  get queued(): number {
    let total = 0;
    for (const lane of this.#lanes.values()) total += lane.queue.length;
    return total;
  }

  #lane(plugin: string): Lane {
    let lane = this.#lanes.get(plugin);
    if (!lane) {
      lane = { busy: 0, expired: 0, queue: [] };
      this.#lanes.set(plugin, lane);
    }
    return lane;
  }

  /**
   * Resolves with a slot for one handler of `plugin`; rejects with a {@link NotStarted} reason when its
   * plugin's queue is full, when it waited longer than `maxWait` ms, or when it was dropped.
   */
  acquire(plugin: string, maxWait: number): Promise<Slot> {
    const lane = this.#lane(plugin);
    if (lane.queue.length === 0 && this.#canStart(lane)) return Promise.resolve(this.#grant(lane));
    if (this.#stuck(lane)) return Promise.reject<Slot>('stuck');
    if (lane.queue.length >= this.#maxQueued) return Promise.reject<Slot>('overloaded');
    return new Promise<Slot>((grant, refuse) => {
      const waiter: Waiter = { grant, refuse, cancelTimer: () => {} };
      waiter.cancelTimer = startTimeout(maxWait, () => {
        const at = lane.queue.indexOf(waiter);
        if (at >= 0) lane.queue.splice(at, 1);
        refuse('waited-too-long');
      });
      lane.queue.push(waiter);
    });
  }

  /** Refuses every handler of `plugin` still waiting (it was unregistered). */
  dropQueued(plugin: string): void {
    const lane = this.#lanes.get(plugin);
    if (!lane) return;
    for (const waiter of lane.queue.splice(0)) {
      waiter.cancelTimer();
      waiter.refuse('dropped');
    }
    this.#forgetIfIdle(plugin, lane);
  }

  /** Refuses every waiting handler of every plugin (the manager is closing). */
  dropAllQueued(): void {
    for (const plugin of [...this.#lanes.keys()]) this.dropQueued(plugin);
  }

  /** Its whole share is held by handlers past their timeout: nothing says when a slot comes back. */
  #stuck(lane: Lane): boolean {
    return lane.busy >= this.#shareOf() && lane.expired >= lane.busy;
  }

  #canStart(lane: Lane): boolean {
    return this.#live < this.#limit && lane.busy < this.#shareOf();
  }

  #grant(lane: Lane): Slot {
    this.#live++;
    lane.busy++;
    let live = true;
    let ended = false;
    const expire = (): void => {
      if (!live) return;
      live = false;
      this.#live--;
      lane.expired++;
      if (this.#stuck(lane)) {
        // Waiting on would only make every message wait for the drop: refuse them now.
        for (const waiter of lane.queue.splice(0)) {
          waiter.cancelTimer();
          waiter.refuse('stuck');
        }
      }
      this.#pump();
    };
    return {
      expire,
      finish: () => {
        if (ended) return;
        ended = true;
        if (live) {
          live = false;
          this.#live--;
        } else {
          lane.expired--;
        }
        lane.busy--;
        this.#pump();
      },
    };
  }

  /** Gives free slots to waiting plugins, one each in turn. */
  #pump(): void {
    while (this.#live < this.#limit) {
      const next = this.#nextReadyLane();
      if (!next) break;
      const [plugin, lane] = next;
      const waiter = lane.queue.shift() as Waiter;
      waiter.cancelTimer();
      this.#lastServed = plugin;
      waiter.grant(this.#grant(lane));
    }
    for (const [plugin, lane] of this.#lanes) this.#forgetIfIdle(plugin, lane);
  }

  #nextReadyLane(): [string, Lane] | undefined {
    const lanes = [...this.#lanes];
    const after = lanes.findIndex(([plugin]) => plugin === this.#lastServed);
    for (let i = 1; i <= lanes.length; i++) {
      const candidate = lanes[(after + i) % lanes.length];
      if (candidate && candidate[1].queue.length > 0 && candidate[1].busy < this.#shareOf()) return candidate;
    }
    return undefined;
  }

  #forgetIfIdle(plugin: string, lane: Lane): void {
    if (lane.busy === 0 && lane.queue.length === 0) this.#lanes.delete(plugin);
  }
}
