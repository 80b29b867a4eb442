import { randomBytes } from 'node:crypto';
import { createClient } from '@redis/client';
import { BackendError } from '../../errors/index.js';
import { type Duration, timerDuration } from '../../util/duration.js';
import { SlotOwnerFinder } from '../redis/cluster-slot-owner.js';
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
/** The subscription connection is PINGed this often... */
const HEARTBEAT_INTERVAL = 250;
/** ...and taken for lost when a PING goes unanswered this long (a frozen or cut-off node). */
const HEARTBEAT_TIMEOUT = 750;
/** Undelivered invalidations kept for the next subscription; beyond this they merge into namespace flushes. */
const MAX_PENDING = 100;

/**
 * Cross-process invalidation over Redis pub/sub, on one RESP3 connection that both subscribes and
 * publishes (RESP3 allows commands while subscribed). `live` is true only while the subscription
 * stands, so the store knows when it may trust its copy.
 *
 * On a Cluster the channel is a sharded channel (SSUBSCRIBE/SPUBLISH, Redis 7): it lives on the master
 * of its slot, found by asking the seed nodes and the nodes they named (each asked for a bounded time),
 * so the bus follows a failover or a slot move instead of depending on one seed node. Wherever it
 * runs, the connection is PINGed every 250 ms; a PING unanswered for 750 ms, a dropped connection, a
 * MOVED reply or the server unsubscribing us (the slot moved) marks the subscription down at once
 * (the store then flushes and bypasses its near copy) and a fresh subscription is made on the slot's
 * current master. So a near copy is never trusted more than about one second after the node carrying
 * its invalidations stopped answering.
 */
export class RedisInvalidationBus {
  /** A random id of this process's store, carried by every message it publishes. */
  readonly origin = randomBytes(8).toString('hex');
  readonly channel: string;
  readonly #events: InvalidationBusEvents;
  readonly #publishTimeout: number;
  readonly #connectTimeout: number;
  readonly #secrets: string[];
  readonly #backoff: { readonly initial: number; readonly max: number };
  readonly #credentials: { readonly username?: string; readonly password?: string };
  /** Standalone: the server. Cluster: undefined, the channel's slot owner is looked up. */
  readonly #url: string | undefined;
  readonly #owners: SlotOwnerFinder | undefined;
  /** The subscribed connection while live (or being checked); undefined while down. */
  #client: Client | undefined;
  /** Where the last subscription ran (asked last when looking for the slot's owner again). */
  #clientUrl: string | undefined;
  /** A connection being made, destroyed if the attempt runs out of time or the bus closes. */
  #candidate: Client | undefined;
  #attaching: Promise<void> | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #pingSentAt: number | undefined;
  /** The last connection error, for the message of an open() that timed out. */
  #lastError: Error | undefined;
  #live = false;
  #closed = false;
  #opened = false;
  /** Publishers waiting for the subscription to come back. */
  readonly #waiters = new Set<() => void>();
  /** Invalidations not delivered yet, sent again on the next subscription. */
  #pending: InvalidationMessage[] = [];

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
    const seeds = seedsOf(options);
    for (const seed of seeds) {
      const password = new URL(seed).password;
      if (password) this.#secrets.push(password, decodeURIComponent(password));
    }
    this.#backoff = {
      initial: positive(options.reconnect?.initialDelay, 'invalidation.reconnect.initialDelay', 50),
      max: positive(options.reconnect?.maxDelay, 'invalidation.reconnect.maxDelay', 1000),
    };
    this.#credentials = {
      ...(options.username !== undefined ? { username: options.username } : {}),
      ...(options.password !== undefined ? { password: options.password } : {}),
    };
    if (options.cluster !== undefined) {
      this.#url = undefined;
      this.#owners = new SlotOwnerFinder(seeds, {
        ...this.#credentials,
        timeout: Math.min(this.#connectTimeout, 2000),
      });
    } else {
      this.#url = seeds[0];
      this.#owners = undefined;
    }
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
   * On failure nothing stays open, so a later open() starts again from scratch.
   */
  async open(): Promise<void> {
    if (this.#live) return;
    try {
      await this.#attach(true);
      this.#opened = true;
    } catch (error) {
      throw this.#wrap(error, 'subscribe');
    }
  }

  /** Closes, dropping the connection if the server does not answer within the publish timeout. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#live = false;
    this.#stopHeartbeat();
    for (const wake of this.#waiters) wake();
    this.#candidate?.destroy();
    const client = this.#client;
    this.#client = undefined;
    if (client) await closeQuietly(client, this.#publishTimeout);
  }

  /**
   * Announces a change; resolves once Redis has handed it to every subscriber. While the subscription
   * is being made again (a failover, a slot move) it waits for it, up to the publish timeout; if that
   * runs out it rejects, and the message is sent again once a subscription stands.
   */
  async publish(keys: InvalidationMessage['keys'], namespaces: readonly string[]): Promise<void> {
    if (keys.length === 0 && namespaces.length === 0) return;
    const message: InvalidationMessage = { origin: this.origin, keys, namespaces };
    const text = encodeInvalidation(message);
    const deadline = Date.now() + this.#publishTimeout;
    let lastError: unknown;
    while (!this.#closed && Date.now() < deadline) {
      const client = this.#live ? this.#client : await this.#untilLive(deadline);
      if (!client) break;
      try {
        await this.#send(client, text, deadline - Date.now());
        return;
      } catch (error) {
        lastError = error;
        this.#lost(client, error);
      }
    }
    this.#keepForLater(message);
    const why = lastError
      ? `failed: ${this.#scrub(lastError instanceof Error ? lastError.message : String(lastError))}`
      : `timed out after ${this.#publishTimeout} ms`;
    throw new BackendError(`redis invalidation PUBLISH ${why}; it is sent again once subscribed`, {
      cause: lastError,
    });
  }

  // ---- the subscription -------------------------------------------------------------------------

  /** Subscribes (again) within connectTimeout; `failFast` rejects at once on errors no retry fixes. */
  async #attach(failFast: boolean): Promise<void> {
    let fail: (error: Error) => void = () => {};
    const failed = new Promise<never>((_, reject) => {
      fail = reject;
    });
    failed.catch(() => {});
    const timer = setTimeout(() => {
      const last = this.#lastError ? ` (last error: ${this.#scrub(this.#lastError.message)})` : '';
      fail(new BackendError(`redis invalidation connect timed out after ${this.#connectTimeout} ms${last}`));
    }, this.#connectTimeout);
    try {
      const attaching = this.#subscribe(failFast ? fail : undefined);
      attaching.catch(() => {});
      await Promise.race([attaching, failed]);
    } catch (error) {
      this.#candidate?.destroy();
      this.#candidate = undefined;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async #subscribe(failUnfixable: ((error: Error) => void) | undefined): Promise<void> {
    const url = this.#owners
      ? await this.#owners.ownerOf(this.channel, this.#clientUrl)
      : (this.#url as string);
    if (this.#closed) throw new BackendError('redis invalidation closed while subscribing');
    const client: Client = createClient({
      url,
      ...this.#credentials,
      RESP: 3,
      // Reconnecting is ours: a lost subscription is made again wherever the channel now lives.
      socket: { connectTimeout: this.#connectTimeout, reconnectStrategy: false },
    });
    this.#candidate = client;
    client.on('error', (error: Error) => {
      this.#lastError = error;
      if (failUnfixable && isUnfixableConnectError(error)) failUnfixable(this.#wrap(error, 'connect'));
      if (this.#client === client) this.#lost(client, error);
    });
    // A lost socket may have lost messages: distrust at once.
    client.on('end', () => this.#lost(client));
    // The server unsubscribed us because the channel's slot moved, or a resubscribe met MOVED.
    client.on('sharded-channel-moved', () => this.#lost(client));
    client.on('__MOVED', () => this.#lost(client));
    await client.connect();
    const listener = (text: string): void => this.#receive(text);
    if (this.#owners) await client.sSubscribe(this.channel, listener);
    else await client.subscribe(this.channel, listener);
    if (this.#closed || this.#candidate !== client) {
      client.destroy();
      throw new BackendError('redis invalidation closed while subscribing');
    }
    this.#candidate = undefined;
    this.#client = client;
    this.#clientUrl = url;
    this.#startHeartbeat(client);
    await this.#sendPending(client);
    this.#markUp();
  }

  /** The subscription on `client` is in doubt: distrust, drop it and subscribe again. */
  #lost(client: Client, error?: unknown): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    this.#stopHeartbeat();
    this.#markDown();
    client.destroy();
    if (error instanceof Error) this.#report(error, 'connection');
    this.#resubscribe();
  }

  /** Subscribes again with backoff until it works or the bus closes. */
  #resubscribe(): void {
    if (this.#attaching || this.#closed || !this.#opened) return;
    this.#attaching = (async () => {
      let delay = this.#backoff.initial;
      while (!this.#closed && !this.#live) {
        try {
          await this.#attach(false);
        } catch (error) {
          if (this.#closed) return;
          this.#report(error instanceof Error ? error : new Error(String(error)), 'subscribe');
          await new Promise((resolve) => setTimeout(resolve, delay));
          delay = Math.min(this.#backoff.max, delay * 2);
        }
      }
    })().finally(() => {
      this.#attaching = undefined;
    });
  }

  #startHeartbeat(client: Client): void {
    this.#stopHeartbeat();
    this.#heartbeat = setInterval(() => {
      if (this.#pingSentAt !== undefined) {
        const silent = Date.now() - this.#pingSentAt;
        if (silent > HEARTBEAT_TIMEOUT) {
          this.#lost(client, new Error(`no answer to PING in ${silent} ms`));
        }
        return;
      }
      this.#pingSentAt = Date.now();
      client.sendCommand(['PING']).then(
        () => {
          if (this.#client === client) this.#pingSentAt = undefined;
        },
        (error: unknown) => this.#lost(client, error),
      );
    }, HEARTBEAT_INTERVAL);
    this.#heartbeat.unref();
  }

  #stopHeartbeat(): void {
    if (this.#heartbeat !== undefined) clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    this.#pingSentAt = undefined;
  }

  // ---- publishing -------------------------------------------------------------------------------

  #send(client: Client, text: string, ms: number): Promise<unknown> {
    const sent = client.sendCommand([this.#owners ? 'SPUBLISH' : 'PUBLISH', this.channel, text]);
    sent.catch(() => {});
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new BackendError(`redis invalidation PUBLISH timed out after ${this.#publishTimeout} ms`)),
        Math.max(1, ms),
      );
    });
    return Promise.race([sent, late]).finally(() => clearTimeout(timer));
  }

  /** Waits for the subscription to stand again, at most until `deadline`; resolves to its connection. */
  #untilLive(deadline: number): Promise<Client | undefined> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
        resolve(this.#live ? this.#client : undefined);
      };
      const timer = setTimeout(wake, Math.max(0, deadline - Date.now()));
      this.#waiters.add(wake);
    });
  }

  /** Keeps an undelivered message; past MAX_PENDING, everything kept becomes whole-namespace flushes. */
  #keepForLater(message: InvalidationMessage): void {
    this.#pending.push(message);
    if (this.#pending.length <= MAX_PENDING) return;
    const namespaces = new Set<string>();
    for (const kept of this.#pending) {
      for (const ns of kept.namespaces) namespaces.add(ns);
      for (const [ns] of kept.keys) namespaces.add(ns);
    }
    this.#pending = [{ origin: this.origin, keys: [], namespaces: [...namespaces] }];
  }

  /** Sends what could not be delivered before; what fails again stays for the next subscription. */
  async #sendPending(client: Client): Promise<void> {
    const pending = this.#pending;
    this.#pending = [];
    for (const [i, message] of pending.entries()) {
      try {
        await this.#send(client, encodeInvalidation(message), this.#publishTimeout);
      } catch {
        this.#pending.push(...pending.slice(i));
        return;
      }
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
    for (const wake of this.#waiters) wake();
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

/** The standalone URL, or every Cluster seed; each checked without echoing its password. */
function seedsOf(options: InvalidationOptions): readonly string[] {
  if (options.url !== undefined && options.cluster !== undefined) {
    throw new TypeError('invalidation takes url or cluster, not both');
  }
  if (options.url !== undefined) {
    assertRedisUrl(options.url, 'invalidation.url');
    return [options.url];
  }
  const seeds = options.cluster?.rootNodes;
  if (!Array.isArray(seeds) || seeds.length === 0) {
    throw new TypeError('invalidation needs url, or cluster.rootNodes as a non-empty array of URLs');
  }
  for (const [i, seed] of seeds.entries()) assertRedisUrl(seed, `invalidation.cluster.rootNodes[${i}]`);
  return seeds;
}

/** A timer option (ms or `'5s'`-style) in ms; a RangeError naming the option otherwise. */
function positive(value: Duration | undefined, name: string, fallback: number): number {
  return timerDuration(value, name, fallback);
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
