import { randomBytes } from 'node:crypto';
import { createClient } from '@redis/client';
import { BackendError } from '../../errors/index.js';
import { decodeInvalidation, encodeInvalidation, type InvalidationMessage } from './invalidation-message.js';
import type { InvalidationOptions } from './tiered-options.js';

/** What the bus reports to the tiered store. */
export interface InvalidationBusEvents {
  /** Another process changed the far store. */
  message(message: InvalidationMessage): void;
  /** The subscription is lost: messages may be missed until {@link InvalidationBusEvents.up}. */
  down(): void;
  /** Subscribed again: from now on every message arrives. */
  up(): void;
  error(error: BackendError): void;
}

type Client = ReturnType<typeof createClient>;

const DEFAULT_PUBLISH_TIMEOUT = 1000;

/**
 * Cross-process invalidation over Redis pub/sub, on one RESP3 connection that both subscribes and
 * publishes (RESP3 allows commands while subscribed). On a Cluster it talks to one node with classic
 * PUBLISH, which the Cluster forwards to every node. `live` is true only while the subscription
 * stands, so the store knows when it may trust its copy.
 */
export class RedisInvalidationBus {
  /** A random id of this process's store, carried by every message it publishes. */
  readonly origin = randomBytes(8).toString('hex');
  readonly channel: string;
  readonly #client: Client;
  readonly #events: InvalidationBusEvents;
  readonly #publishTimeout: number;
  readonly #secrets: string[];
  #subscribed = false;
  #live = false;
  #closed = false;

  constructor(options: InvalidationOptions, channel: string, events: InvalidationBusEvents) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError('invalidation must be an object with url or cluster');
    }
    this.channel = options.channel ?? channel;
    if (typeof this.channel !== 'string' || this.channel.length === 0) {
      throw new TypeError('invalidation.channel must be a non-empty string');
    }
    this.#events = events;
    this.#publishTimeout = positive(
      options.publishTimeout,
      'invalidation.publishTimeout',
      DEFAULT_PUBLISH_TIMEOUT,
    );
    this.#secrets = options.password ? [options.password] : [];
    const url = urlOf(options);
    try {
      const password = new URL(url).password;
      if (password) this.#secrets.push(password, decodeURIComponent(password));
    } catch {
      throw new TypeError('invalidation.url is not a redis:// URL');
    }
    const initial = positive(options.reconnect?.initialDelay, 'invalidation.reconnect.initialDelay', 50);
    const max = positive(options.reconnect?.maxDelay, 'invalidation.reconnect.maxDelay', 1000);
    const config = {
      url,
      ...(options.username !== undefined ? { username: options.username } : {}),
      ...(options.password !== undefined ? { password: options.password } : {}),
      socket: {
        connectTimeout: 5000,
        reconnectStrategy: (retries: number) => Math.min(max, initial * 2 ** Math.min(retries, 20)),
      },
    };
    this.#client = createClient({ ...config, RESP: 3 });
    this.#client.on('error', (error: Error) => {
      this.#markDown();
      this.#report(error, 'connection');
    });
    // A lost socket may have lost messages: distrust at once, before node-redis starts reconnecting.
    this.#client.on('end', () => this.#markDown());
    this.#client.on('reconnecting', () => this.#markDown());
    // node-redis resubscribes before it says 'ready', so 'ready' means "subscribed again".
    this.#client.on('ready', () => {
      if (this.#subscribed) this.#markUp();
    });
  }

  /** True while the subscription stands (no message can have been missed since the last `up`). */
  get live(): boolean {
    return this.#live;
  }

  async open(): Promise<void> {
    try {
      if (!this.#client.isOpen) await this.#client.connect();
      if (!this.#subscribed) {
        await this.#client.subscribe(this.channel, (text: string) => this.#receive(text));
        this.#subscribed = true;
      }
    } catch (error) {
      throw this.#wrap(error, 'subscribe');
    }
    if (this.#client.isReady) this.#markUp();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#live = false;
    await closeQuietly(this.#client);
  }

  /** Announces a change; resolves once Redis has handed it to every subscriber. */
  async publish(keys: InvalidationMessage['keys'], namespaces: readonly string[]): Promise<void> {
    if (keys.length === 0 && namespaces.length === 0) return;
    const text = encodeInvalidation({ origin: this.origin, keys, namespaces });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new BackendError(`redis PUBLISH timed out after ${this.#publishTimeout} ms`)),
        this.#publishTimeout,
      );
    });
    // Queued while reconnecting: a late invalidation is harmless, a missing one is not.
    const sent = this.#client.publish(this.channel, text);
    sent.catch(() => {});
    try {
      await Promise.race([sent, timeout]);
    } catch (error) {
      throw this.#wrap(error, 'PUBLISH');
    } finally {
      clearTimeout(timer);
    }
  }

  #receive(text: string): void {
    const message = decodeInvalidation(text);
    if (message && message.origin !== this.origin) this.#events.message(message);
  }

  #markDown(): void {
    if (!this.#live) return;
    this.#live = false;
    this.#events.down();
  }

  #markUp(): void {
    if (this.#live || this.#closed) return;
    this.#live = true;
    this.#events.up();
  }

  #report(error: Error, what: string): void {
    if (!this.#closed) this.#events.error(this.#wrap(error, what));
  }

  #wrap(error: unknown, what: string): BackendError {
    if (error instanceof BackendError) return error;
    let message = error instanceof Error ? error.message : String(error);
    for (const secret of this.#secrets) message = message.split(secret).join('***');
    return new BackendError(`redis invalidation ${what} failed: ${message}`, { cause: error });
  }
}

function urlOf(options: InvalidationOptions): string {
  if (options.url !== undefined && options.cluster !== undefined) {
    throw new TypeError('invalidation takes url or cluster, not both');
  }
  if (options.url !== undefined) {
    if (typeof options.url !== 'string') throw new TypeError('invalidation.url must be a string');
    return options.url;
  }
  const seeds = options.cluster?.rootNodes;
  if (!Array.isArray(seeds) || seeds.length === 0 || typeof seeds[0] !== 'string') {
    throw new TypeError('invalidation needs url, or cluster.rootNodes as a non-empty array of URLs');
  }
  return seeds[0];
}

function positive(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number of milliseconds (got ${String(value)})`);
  }
  return value;
}

async function closeQuietly(client: Client): Promise<void> {
  if (!client.isOpen) return;
  if (!client.isReady) {
    client.destroy();
    return;
  }
  try {
    await client.close();
  } catch {
    client.destroy();
  }
}
