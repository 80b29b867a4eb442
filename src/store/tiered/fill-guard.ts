/**
 * Decides whether a value fetched or written a moment ago may still enter the near copy.
 *
 * A far read or write takes a round trip; while it is in flight, another write (here or in another
 * process) or a flush may land. Filling the near copy with the older value then would keep it stale
 * until the next invalidation, which may never come. So every read and write takes a ticket, and
 * anything that invalidates the key (or flushes everything) voids the tickets taken before it.
 */
export class FillGuard {
  /** The newest ticket per entry; an invalidation deletes it. */
  readonly #tickets = new Map<string, Ticket>();
  /** Bumped by every flush: tickets from an older epoch are void. */
  #epoch = 0;

  /** A ticket for a fill of `id` (an entry id from {@link entryId}) to be decided later. */
  take(id: string): Ticket {
    const ticket: Ticket = { epoch: this.#epoch };
    this.#tickets.set(id, ticket);
    return ticket;
  }

  /** Whether a ticket still holds; consumes it either way. */
  redeem(id: string, ticket: Ticket): boolean {
    const current = this.#tickets.get(id) === ticket;
    if (current) this.#tickets.delete(id);
    return current && ticket.epoch === this.#epoch;
  }

  /** Voids every ticket of one entry. */
  void(id: string): void {
    this.#tickets.delete(id);
  }

  /** Voids every ticket. */
  voidAll(): void {
    this.#epoch++;
    this.#tickets.clear();
  }
}

/** An opaque claim on filling one entry. */
export interface Ticket {
  readonly epoch: number;
}

/** One string per (namespace, key): namespaces never hold NUL. */
export function entryId(ns: string, key: string): string {
  return `${ns}\u0000${key}`;
}
