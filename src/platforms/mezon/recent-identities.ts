/**
 * The identities of the latest events applied, so an event delivered twice is applied once. mezon-sdk
 * can keep two live sockets after a failed re-login, and each forwards the same events: a counted event
 * (a reaction adds clicks) would then count twice. Bounded: the oldest identities are forgotten first.
 */
export class RecentIdentities {
  readonly #seen = new Set<string>();
  readonly #capacity: number;

  constructor(capacity = 10_000) {
    this.#capacity = capacity;
  }

  has(identity: string): boolean {
    return this.#seen.has(identity);
  }

  add(identity: string): void {
    this.#seen.add(identity);
    if (this.#seen.size <= this.#capacity) return;
    const oldest = this.#seen.values().next().value;
    if (oldest !== undefined) this.#seen.delete(oldest);
  }
}
