import { BackendError } from '../../errors/index.js';
import { retryKindOf } from './cluster-retry.js';
import { keySlot } from './key-slot.js';

/** The parts of node-redis's slot map (`cluster._slots`) this module reads. */
interface SlotNode {
  readonly address: string;
  readonly client?: { readonly isReady: boolean; readonly options?: unknown } | undefined;
}
export interface SlotMap {
  readonly slots: ReadonlyArray<{ readonly master: SlotNode } | undefined>;
  readonly masters: readonly SlotNode[];
  rediscover(startWith?: unknown): Promise<void>;
}

/**
 * How long a node may stay silent on an open socket before the driver drops it. node-redis bounds
 * only the TCP connect; a frozen (SIGSTOPped, swapped out, partitioned) node accepts the connection
 * in the kernel and then never answers, so without this a slot-map read that asks it waits forever,
 * and every later read waits on that one. Idle connections send PING every third of it, so only a
 * node that stopped answering reaches it.
 */
export function silentNodeBound(commandTimeout: number): { socketTimeout: number; pingInterval: number } {
  const socketTimeout = Math.max(2000, 2 * commandTimeout);
  return { socketTimeout, pingInterval: Math.floor(socketTimeout / 3) };
}

/** How long a node that timed out is avoided as the first one asked for the slot map. */
const SUSPECT_FOR = 10_000;
/** Failures closer together than this share one slot-map read. */
const REFRESH_THROTTLE = 250;

/**
 * Keeps the cluster client's slot map current: read again after a failure (throttled), bounded in
 * time, asked first of a node that has not just gone silent; read again before a walk over every
 * master, so a master that joined since the last read is walked too.
 */
export class ClusterTopology {
  readonly #map: () => SlotMap;
  readonly #bound: number;
  /** Node addresses whose commands timed out recently, with when. */
  readonly #suspects = new Map<string, number>();
  #lastRefresh = 0;

  /** `map` reads the driver's slot map each time (node-redis replaces its arrays on every read). */
  constructor(map: () => SlotMap, bound: number) {
    this.#map = map;
    this.#bound = bound;
  }

  /** A command routed by `firstKey` failed: remember a silent node and read the slot map again. */
  noteFailure(firstKey: string, error: unknown): void {
    const cause = error instanceof BackendError ? error.cause : error;
    const message = cause instanceof Error ? cause.message : '';
    if (message.startsWith('MOVED') || message.startsWith('ASK')) return; // the driver followed these
    // A plain error reply (ERR, WRONGTYPE, NOSCRIPT, NOPERM…) says the node answered: the map is fine.
    if (/^[A-Z]{2,} /.test(message) && retryKindOf(cause) === undefined) return;
    if (error instanceof BackendError && error.cause === undefined && error.message.includes('timed out')) {
      const address = this.#map().slots[keySlot(firstKey)]?.master.address;
      if (address !== undefined) this.#suspects.set(address, Date.now());
    }
    this.refreshSoon();
  }

  /** Reads the slot map again unless a read started less than REFRESH_THROTTLE ms ago. */
  refreshSoon(): void {
    const now = Date.now();
    if (now - this.#lastRefresh < REFRESH_THROTTLE) return;
    this.#lastRefresh = now;
    void this.refresh();
  }

  /**
   * Reads the slot map again, waiting at most the bound. Resolves true if the read finished in time;
   * a read still running goes on in the background (every driver read is bounded by the silent-node
   * bound, so none waits forever).
   */
  async refresh(): Promise<boolean> {
    const map = this.#map();
    const reading = map.rediscover(this.#firstToAsk(map)?.client).then(
      () => true,
      () => false,
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), this.#bound);
    });
    try {
      return await Promise.race([reading, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The masters after a fresh read of the slot map (the current list if the read is late). */
  async masters(): Promise<readonly SlotNode[]> {
    this.#lastRefresh = Date.now();
    await this.refresh();
    return [...this.#map().masters];
  }

  /** Which master serves which slots, as text: two equal signatures mean the same routing. */
  signature(): string {
    const { slots } = this.#map();
    const parts: string[] = [];
    let previous: string | undefined;
    for (let slot = 0; slot < slots.length; slot++) {
      const address = slots[slot]?.master.address ?? '-';
      if (address !== previous) parts.push(`${slot}:${address}`);
      previous = address;
    }
    return parts.join(',');
  }

  /** A connected master that has not gone silent lately; undefined lets the driver choose. */
  #firstToAsk(map: SlotMap): SlotNode | undefined {
    const now = Date.now();
    for (const [address, since] of this.#suspects) {
      if (now - since > SUSPECT_FOR) this.#suspects.delete(address);
    }
    const healthy = map.masters.filter(
      (node) => node.client?.isReady === true && !this.#suspects.has(node.address),
    );
    return healthy[Math.floor(Math.random() * healthy.length)];
  }
}
