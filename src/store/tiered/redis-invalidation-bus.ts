import { randomBytes } from 'node:crypto';
import { createClient } from '@redis/client';
import { BackendError } from '../../errors/index.js';
import { isUnfixableConnectError } from '../redis/redis-connection.js';
import { assertRedisUrl } from '../redis/redis-options.js';
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
const DEFAULT_CONNECT_TIMEOUT = 5000;

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
  readonly #connectTimeout: number;
  readonly #secrets: string[];
  /** The last connection error, for the message of an open() that timed out. */
  #lastError: Error | undefined;
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
    this.#connectTimeout = positive(
      options.connectTimeout,
      'invalidation.connectTimeout',
      DEFAULT_CONNECT_TIMEOUT,
    );
    this.#secrets = options.password ? [options.password] : [];
    const url = urlOf(options);
    const password = new URL(url).password;
    if (password) this.#secrets.push(password, decodeURIComponent(password));
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
      this.#lastError = error;
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

  /** How long a publish may wait, in ms. */
  get publishTimeout(): number {
    return this.#publishTimeout;
  }

  /** True while the subscription stands (no message can have been missed since the last `up`). */
  get live(): boolean {
    return this.#live;
  }

  /**
   * Connects and subscribes within `connectTimeout`. An error no retry can fix (a wrong password, TLS
   * that does not verify) fails at once with its own message; a timeout names the last error seen.
   * On failure the connection is dropped, so a later open() starts again from scratch.
   */
  async open(): Promise<void> {
    let fail: (error: Error) => void = () => {};
    const failed = new Promise<never>((_, reject) => {
      fail = reject;
    });
    failed.catch(() => {});
    const onError = (error: Error): void => {
      if (isUnfixableConnectError(error)) fail(this.#wrap(error, 'connect'));
    };
    const timer = setTimeout(() => {
      const last = this.#lastError ? ` (last error: ${this.#scrub(this.#lastError.message)})` : '';
      fail(new BackendError(`redis invalidation connect timed out after ${this.#connectTimeout} ms${last}`));
    }, this.#connectTimeout);
    this.#client.on('error', onError);
    try {
      const subscribing = this.#subscribe();
      subscribing.catch(() => {});
      await Promise.race([subscribing, failed]);
    } catch (error) {
      if (this.#client.isOpen) this.#client.destroy();
      throw this.#wrap(error, 'subscribe');
    } finally {
      clearTimeout(timer);
      this.#client.off('error', onError);
    }
    if (this.#client.isReady) this.#markUp();
  }

  async #subscribe(): Promise<void> {
    if (!this.#client.isOpen) await this.#client.connect();
    if (!this.#subscribed) {
      await this.#client.subscribe(this.channel, (text: string) => this.#receive(text));
      this.#subscribed = true;
    }
  }

  /** Closes, dropping the connection if the server does not answer within the publish timeout. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#live = false;
    await closeQuietly(this.#client, this.#publishTimeout);
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
    const message = this.#scrub(error instanceof Error ? error.message : String(error));
    return new BackendError(`redis invalidation ${what} failed: ${message}`, { cause: error });
  }

  #scrub(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = out.split(secret).join('***');
    return out;
  }
}

function urlOf(options: InvalidationOptions): string {
  if (options.url !== undefined && options.cluster !== undefined) {
    throw new TypeError('invalidation takes url or cluster, not both');
  }
  if (options.url !== undefined) {
    assertRedisUrl(options.url, 'invalidation.url');
    return options.url;
  }
  const seeds = options.cluster?.rootNodes;
  if (!Array.isArray(seeds) || seeds.length === 0) {
    throw new TypeError('invalidation needs url, or cluster.rootNodes as a non-empty array of URLs');
  }
  for (const [i, seed] of seeds.entries()) assertRedisUrl(seed, `invalidation.cluster.rootNodes[${i}]`);
  return seeds[0] as string;
}

function positive(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 2 ** 31 - 1) {
    throw new RangeError(
      `${name} must be a positive number of milliseconds up to ${2 ** 31 - 1} (got ${String(value)})`,
    );
  }
  return value;
}

async function closeQuietly(client: Client, ms: number): Promise<void> {
  if (!client.isOpen) return;
  if (!client.isReady) {
    client.destroy();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  const closed = client.close().then(
    () => 'closed' as const,
    () => 'failed' as const,
  );
  const outcome = await Promise.race([closed, late]);
  clearTimeout(timer);
  if (outcome !== 'closed') client.destroy();
}
