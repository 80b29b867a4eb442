/** An entry as `Keyv#getRaw` returns it: the value and its absolute expiry in epoch ms, if any. */
export interface KeyvRawEntry {
  readonly value?: unknown;
  readonly expires?: number | null | undefined;
}

/**
 * What {@link KeyvStore} uses of a Keyv instance. Written out rather than imported, so that a Keyv 5
 * and a Keyv 6 instance both fit without a cast.
 */
export interface KeyvLike {
  get(key: string): Promise<unknown>;
  getMany(keys: string[]): Promise<readonly unknown[]>;
  /** Keyv 6 types a raw read as possibly a string; Keyv itself returns an entry object or undefined. */
  getRaw(key: string): Promise<KeyvRawEntry | string | undefined>;
  set(key: string, value: unknown, ttl?: number): Promise<boolean>;
  delete(key: string): Promise<boolean>;
  clear(): Promise<void>;
  disconnect(): Promise<void>;
  /** Keyv 5 leaves it undefined for adapters it cannot iterate; Keyv 6 always has one. */
  iterator?(namespace?: string): AsyncIterable<unknown>;
  /** Keyv 5 only: makes failed calls reject instead of resolving as misses. Keyv 6 rejects when no `error` listener is attached. */
  throwOnErrors?: boolean;
}
