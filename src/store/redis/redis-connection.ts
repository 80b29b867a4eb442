import { createClient, createCluster, RESP_TYPES } from '@redis/client';
import { BackendError } from '../../errors/index.js';
import { type Duration, timerDuration } from '../../util/duration.js';
import { ClusterRouter } from './cluster-router.js';
import { silentNodeBound } from './cluster-topology.js';
import { DeadlineSweep } from './deadline-sweep.js';
import { keySlot } from './key-slot.js';
import type {
  CreateClientOptions,
  NodeRedisClient,
  NodeRedisCluster,
  RedisStoreOptions,
} from './redis-options.js';

/** What the connection reports upward (the store re-emits these). */
export interface ConnectionEvents {
  error(error: Error): void;
  reconnecting(info: { attempt: number; delay: number }): void;
  ready(): void;
}

type Reply = unknown;
/** A command argument: text, or the bytes of a binary codec's value. */
export type Encoded = string | Buffer;
const DEFAULT_COMMAND_TIMEOUT = 1000;
const DEFAULT_CONNECT_TIMEOUT = 5000;
/** Commands sent and not yet answered by the driver, beyond which new ones fail fast. */
export const DEFAULT_MAX_IN_FLIGHT = 10_000;
/** Bytes of arguments sent and not yet answered, beyond which new commands fail fast (64 MiB). */
export const DEFAULT_MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024;
/**
 * node-redis v6 arms an `AbortSignal.timeout` per command by default, which only bounds the wait
 * before the write and costs more CPU than a GET; our own deadline sweep bounds the whole call.
 */
const TEXT_REPLIES = Object.freeze({ timeout: 0 });
/** The same, with bulk strings answered as Buffers (values of a binary codec must not go through UTF-8). */
const BINARY_REPLIES = Object.freeze({ timeout: 0, typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } });

/**
 * One way of talking to Redis, standalone or Cluster: raw commands routed by their first key, each
 * bounded by a timeout, every failure turned into a BackendError whose message never holds a password.
 */
export class RedisConnection {
  readonly isCluster: boolean;
  readonly #commandTimeout: number;
  readonly #connectTimeout: number;
  readonly #secrets: string[];
  readonly #owned: boolean;
  readonly #client: NodeRedisClient | undefined;
  readonly #cluster: NodeRedisCluster | undefined;
  /** Routing, resends and slot-map reads of the Cluster (undefined on standalone). */
  readonly #router: ClusterRouter | undefined;
  /** Standalone clients for namespaces with a database override, by database number. */
  readonly #databaseClients = new Map<number, NodeRedisClient>();
  readonly #databases: Readonly<Record<string, number>>;
  readonly #deadlines: DeadlineSweep;
  readonly #events: ConnectionEvents;
  readonly #maxInFlight: number;
  readonly #maxInFlightBytes: number;
  /** Commands the driver holds (sent or queued) that it has not answered, and their argument bytes. */
  #inFlight = 0;
  #inFlightBytes = 0;
  /** When the driver last answered anything: a timeout with no answer since means a dead connection. */
  #lastAnswer = Date.now();
  /** When a silent connection was last dropped: the commands it held fail then, their outcome unknown. */
  #droppedSilentAt = Number.NEGATIVE_INFINITY;
  #closing = false;

  constructor(options: RedisStoreOptions, events: ConnectionEvents) {
    this.#events = events;
    this.#commandTimeout = positive(options.commandTimeout, 'commandTimeout', DEFAULT_COMMAND_TIMEOUT);
    this.#deadlines = new DeadlineSweep(this.#commandTimeout, (what, ms) => {
      this.#checkAlive();
      return new BackendError(
        `redis ${what} timed out after ${ms} ms (the server may still apply it: the outcome is unknown)`,
      );
    });
    this.#maxInFlight = count(options.maxInFlight, 'maxInFlight', DEFAULT_MAX_IN_FLIGHT);
    this.#maxInFlightBytes = count(options.maxInFlightBytes, 'maxInFlightBytes', DEFAULT_MAX_IN_FLIGHT_BYTES);
    this.#connectTimeout = positive(options.connectTimeout, 'connectTimeout', DEFAULT_CONNECT_TIMEOUT);
    this.#secrets = secretsOf(options);
    const sources = ['url', 'client', 'cluster', 'clusterClient'].filter(
      (name) => options[name as keyof RedisStoreOptions] !== undefined,
    );
    if (sources.length > 1) {
      throw new TypeError(
        `options take one of url, client, cluster, clusterClient (got ${sources.join(', ')})`,
      );
    }
    this.isCluster = options.cluster !== undefined || options.clusterClient !== undefined;
    this.#databases = options.databases ?? {};
    if (this.isCluster && Object.keys(this.#databases).length > 0) {
      throw new RangeError('databases: a per-namespace database override is not available on Redis Cluster');
    }
    for (const [ns, db] of Object.entries(this.#databases)) {
      if (!Number.isInteger(db) || db < 0 || db > 65535) {
        throw new RangeError(`databases.${ns} must be a database number from 0 (got ${String(db)})`);
      }
    }
    this.#owned = options.client === undefined && options.clusterClient === undefined;
    const reconnectStrategy = this.#reconnectStrategy(options, events);
    if (options.clusterClient) this.#cluster = options.clusterClient as unknown as NodeRedisCluster;
    else if (options.cluster) this.#cluster = this.#createCluster(options, reconnectStrategy);
    else
      this.#client =
        (options.client as unknown as NodeRedisClient | undefined) ??
        this.#createClient(options, reconnectStrategy);
    this.#router = this.#cluster
      ? new ClusterRouter(
          this.#cluster,
          this.#commandTimeout,
          silentNodeBound(this.#commandTimeout).socketTimeout,
        )
      : undefined;
    this.#listen(events);
  }

  #reconnectStrategy(options: RedisStoreOptions, events: ConnectionEvents): (retries: number) => number {
    const initial = positive(options.reconnect?.initialDelay, 'reconnect.initialDelay', 50);
    const max = positive(options.reconnect?.maxDelay, 'reconnect.maxDelay', 2000);
    return (retries) => {
      // Exponential backoff with jitter, so many bot processes do not reconnect in lockstep.
      const base = Math.min(max, initial * 2 ** Math.min(retries, 20));
      const delay = Math.round(base / 2 + Math.random() * (base / 2));
      events.reconnecting({ attempt: retries + 1, delay });
      return delay;
    };
  }

  #socketOptions(options: RedisStoreOptions, reconnectStrategy: (retries: number) => number) {
    const socket: Record<string, unknown> = { connectTimeout: this.#connectTimeout, reconnectStrategy };
    const wantsTls = options.tls !== undefined || options.url?.startsWith('rediss:') === true;
    if (wantsTls) Object.assign(socket, { tls: true, ...options.tls });
    return socket;
  }

  #createClient(options: RedisStoreOptions, reconnectStrategy: (retries: number) => number): NodeRedisClient {
    const config: CreateClientOptions = {
      socket: this.#socketOptions(options, reconnectStrategy) as CreateClientOptions['socket'],
      // Fail fast while disconnected instead of queueing forever.
      disableOfflineQueue: true,
    };
    if (options.url !== undefined) config.url = options.url;
    if (options.username !== undefined) config.username = options.username;
    if (options.password !== undefined) config.password = options.password;
    try {
      return createClient(config) as unknown as NodeRedisClient;
    } catch (error) {
      throw new TypeError(`url is not usable: ${this.scrub(String((error as Error).message))}`);
    }
  }

  #createCluster(
    options: RedisStoreOptions,
    reconnectStrategy: (retries: number) => number,
  ): NodeRedisCluster {
    const seeds = options.cluster?.rootNodes ?? [];
    if (!Array.isArray(seeds) || seeds.length === 0 || seeds.some((s) => typeof s !== 'string')) {
      throw new TypeError('cluster.rootNodes must be a non-empty array of redis:// URLs');
    }
    const { socketTimeout, pingInterval } = silentNodeBound(this.#commandTimeout);
    const defaults: Record<string, unknown> = {
      // A node that stops answering is dropped after socketTimeout instead of stalling slot-map reads.
      socket: { ...this.#socketOptions(options, reconnectStrategy), socketTimeout },
      pingInterval,
      disableOfflineQueue: true,
    };
    if (options.username !== undefined) defaults.username = options.username;
    if (options.password !== undefined) defaults.password = options.password;
    return createCluster({
      rootNodes: seeds.map((url) => ({ url })),
      defaults,
    }) as unknown as NodeRedisCluster;
  }

  #listen(events: ConnectionEvents): void {
    const onError = (error: Error): void => events.error(this.wrap(error, 'connection'));
    if (this.#cluster) {
      this.#cluster.on('error', onError);
      this.#cluster.on('node-error', onError);
      this.#cluster.on('node-ready', () => events.ready());
      if (!this.#owned)
        this.#cluster.on('node-reconnecting', () => events.reconnecting({ attempt: 0, delay: 0 }));
    } else if (this.#client) {
      this.#client.on('error', onError);
      this.#client.on('ready', () => events.ready());
      if (!this.#owned) this.#client.on('reconnecting', () => events.reconnecting({ attempt: 0, delay: 0 }));
    }
  }

  /** Connects (owned clients) or waits for a borrowed client to be ready, up to connectTimeout. */
  async open(): Promise<void> {
    const target = this.#cluster ?? this.#client;
    if (!target) return;
    await this.#connect(target, this.#owned);
    for (const db of new Set(Object.values(this.#databases))) await this.#databaseClient(db);
  }

  /**
   * Connects within connectTimeout. The driver reports a refused handshake as an 'error' and retries
   * forever; a retry cannot fix a wrong password, a database out of range or a certificate that does
   * not verify, so such an error fails the connect at once with its own message.
   */
  async #connect(target: NodeRedisClient | NodeRedisCluster, owned: boolean): Promise<void> {
    if (target.isOpen) return;
    let fail: (error: Error) => void = () => {};
    const unfixable = new Promise<never>((_, reject) => {
      fail = reject;
    });
    unfixable.catch(() => {});
    let lastError: Error | undefined;
    const onError = (error: Error): void => {
      lastError = error;
      if (isUnfixableConnectError(error)) fail(this.wrap(error, 'connect'));
    };
    const timer = setTimeout(() => {
      const last = lastError ? ` (last error: ${this.scrub(lastError.message)})` : '';
      fail(new BackendError(`redis connect timed out after ${this.#connectTimeout} ms${last}`));
    }, this.#connectTimeout);
    const emitter = target as unknown as NodeJS.EventEmitter;
    emitter.on('error', onError);
    emitter.on('node-error', onError);
    try {
      const connecting = target.connect().then(() => undefined);
      // A rejected connect() after our timeout must not become an unhandled rejection.
      connecting.catch(() => {});
      await Promise.race([connecting, unfixable]);
    } catch (error) {
      // Stop the driver's retries: a later call opens again from scratch.
      if (owned && target.isOpen) target.destroy();
      throw this.wrap(error, 'connect');
    } finally {
      clearTimeout(timer);
      emitter.off('error', onError);
      emitter.off('node-error', onError);
    }
  }

  /** Closes owned connections, waiting for answers at most one command timeout (then drops them). */
  async close(): Promise<void> {
    this.#closing = true;
    const closing: Promise<unknown>[] = [];
    for (const client of this.#databaseClients.values())
      closing.push(closeQuietly(client, this.#commandTimeout));
    this.#databaseClients.clear();
    if (this.#owned) {
      const target = this.#cluster ?? this.#client;
      if (target) closing.push(closeQuietly(target, this.#commandTimeout));
    }
    await Promise.all(closing);
  }

  /** Commands the driver holds that it has not answered yet (for tests and diagnostics). */
  get inFlight(): { readonly commands: number; readonly bytes: number } {
    return { commands: this.#inFlight, bytes: this.#inFlightBytes };
  }

  #overloaded(what: string, bytes: number): BackendError {
    return new BackendError(
      `redis ${what} refused: ${this.#inFlight} commands (${this.#inFlightBytes} bytes) already wait for the server; the limits are maxInFlight ${this.#maxInFlight} and maxInFlightBytes ${this.#maxInFlightBytes} (this command: ${bytes} bytes)`,
    );
  }

  /**
   * Called when a command times out. If the driver answered nothing for a whole command timeout, the
   * connection is taken for dead (black-holed, or a server that stopped): an owned standalone
   * connection is dropped, which fails everything queued in it at once, and reconnects.
   */
  #checkAlive(): void {
    if (this.#closing || !this.#owned || this.#cluster) return;
    if (Date.now() - this.#lastAnswer < this.#commandTimeout) return;
    this.#lastAnswer = Date.now(); // one reconnect per silent period
    this.#droppedSilentAt = Date.now();
    for (const client of [this.#client, ...this.#databaseClients.values()]) {
      if (!client?.isOpen) continue;
      client.destroy();
      this.#events.reconnecting({ attempt: 0, delay: 0 });
      client.connect().catch(() => {}); // reconnects with the backoff; failures reach 'error'
    }
  }

  async #databaseClient(db: number): Promise<NodeRedisClient> {
    let client = this.#databaseClients.get(db);
    if (!client) {
      if (!this.#client) throw new RangeError('databases: not available on Redis Cluster');
      client = this.#client.duplicate({ database: db, disableOfflineQueue: true });
      client.on('error', () => {}); // the main client reports connection trouble already
      try {
        await this.#connect(client, true);
      } catch (error) {
        client.destroy();
        throw error;
      }
      this.#databaseClients.set(db, client);
    }
    return client;
  }

  #clientFor(ns: string): NodeRedisClient | undefined {
    const db = this.#databases[ns];
    return db === undefined ? this.#client : (this.#databaseClients.get(db) ?? this.#client);
  }

  /** Sends one command, routed by `firstKey` on Cluster, on the namespace's database on standalone. */
  send(ns: string, firstKey: string, args: Encoded[], readonly = false, binary = false): Promise<Reply> {
    const what = typeof args[0] === 'string' ? args[0] : 'command';
    const options = binary ? BINARY_REPLIES : TEXT_REPLIES;
    let bytes = 0;
    for (const arg of args) bytes += arg.length;
    if (this.#inFlight >= this.#maxInFlight || this.#inFlightBytes + bytes > this.#maxInFlightBytes) {
      return Promise.reject(this.#overloaded(what, bytes));
    }
    let reply: Promise<Reply>;
    try {
      if (this.#router) reply = this.#router.send(firstKey, readonly, args, options);
      else reply = (this.#clientFor(ns) as NodeRedisClient).sendCommand(args, options);
    } catch (error) {
      return Promise.reject(this.wrap(error, what));
    }
    this.#inFlight++;
    this.#inFlightBytes += bytes;
    // Counted until the driver lets go of the command, not until our deadline: a timed-out command
    // still holds its arguments in the driver's queue.
    const release = (): void => {
      this.#inFlight--;
      this.#inFlightBytes -= bytes;
      this.#lastAnswer = Date.now();
    };
    reply.then(release, release);
    const bounded = this.#deadlines.bound(reply, what, (error) => this.wrap(error, what));
    // A failure or a timeout on Cluster may mean a moved slot or a silent master: read the map again.
    if (this.#router) bounded.catch((error: unknown) => this.#router?.noteFailure(firstKey, error));
    return bounded;
  }

  /** Runs a Lua script by its SHA, loading it on a NOSCRIPT reply (a restarted server forgets scripts). */
  async evalScript(
    ns: string,
    script: { sha: string; source: string },
    keys: readonly string[],
    args: readonly Encoded[],
    binary = false,
  ) {
    const firstKey = keys[0] ?? '';
    const tail: Encoded[] = [String(keys.length)];
    for (const key of keys) tail.push(key);
    for (const arg of args) tail.push(arg);
    try {
      return await this.send(ns, firstKey, ['EVALSHA', script.sha, ...tail], false, binary);
    } catch (error) {
      if (
        !(error instanceof BackendError) ||
        !String((error.cause as Error)?.message).startsWith('NOSCRIPT')
      ) {
        throw error;
      }
      return this.send(ns, firstKey, ['EVAL', script.source, ...tail], false, binary);
    }
  }

  /** Groups keys by Cluster slot (one group on standalone), keeping each key's position. */
  groupBySlot<T>(items: readonly T[], keyOf: (item: T) => string): T[][] {
    if (!this.isCluster) return [items.slice()];
    const groups = new Map<number, T[]>();
    for (const item of items) {
      const slot = keySlot(keyOf(item));
      let group = groups.get(slot);
      if (!group) {
        group = [];
        groups.set(slot, group);
      }
      group.push(item);
    }
    return [...groups.values()];
  }

  /**
   * SCANs every master (or the namespace's database) for keys matching a pattern, in windows. On
   * Cluster the masters come from a slot map read at the start; if the map read at the end differs
   * (a failover, a reshard, a new master), the walk runs again, up to three walks: a key may be
   * yielded twice, and a key moved during the last walk may be missed.
   */
  async *scan(ns: string, pattern: string, count: number): AsyncIterable<string[]> {
    if (!this.#router) {
      yield* this.#scanNodes([this.#clientFor(ns) as NodeRedisClient], pattern, count);
      return;
    }
    let { clients, signature } = await this.#router.masterClients();
    for (let walk = 1; ; walk++) {
      yield* this.#scanNodes(clients, pattern, count);
      const after = await this.#router.masterClients();
      if (after.signature === signature || walk === 3) return;
      ({ clients, signature } = after);
    }
  }

  async *#scanNodes(clients: readonly NodeRedisClient[], pattern: string, count: number) {
    for (const client of clients) {
      let cursor = '0';
      do {
        const reply = (await this.#bounded(
          client.sendCommand(['SCAN', cursor, 'MATCH', pattern, 'COUNT', String(count)]),
          this.#commandTimeout,
          'SCAN',
        )) as [string, string[]];
        cursor = String(reply[0]);
        if (reply[1].length > 0) yield reply[1];
      } while (cursor !== '0');
    }
  }

  /** Bounds a driver promise by a timeout and maps every failure to BackendError. */
  #bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new BackendError(`redis ${what} timed out after ${ms} ms`));
      }, ms);
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(this.wrap(error, what));
        },
      );
    });
  }

  /** A BackendError for a driver failure, with any password removed from the message. */
  wrap(error: unknown, what: string): BackendError {
    if (error instanceof BackendError) return error;
    const message = error instanceof Error ? error.message : String(error);
    // The driver's word for "destroyed with this command still queued": here, by #checkAlive.
    if (message === 'Disconnects client' && Date.now() - this.#droppedSilentAt < this.#commandTimeout) {
      return new BackendError(
        `redis ${what} failed: the server answered nothing for ${this.#commandTimeout} ms, so the connection was dropped (the server may still apply it: the outcome is unknown)`,
        { cause: error },
      );
    }
    return new BackendError(`redis ${what} failed: ${this.scrub(message)}`, { cause: error });
  }

  scrub(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = out.split(secret).join('***');
    return out;
  }
}

/** Codes of TLS failures no retry can fix (the certificate chain or name does not verify). */
const TLS_VERIFY_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/**
 * Whether a connection error is one that reconnecting cannot fix: refused credentials, a database
 * number the server does not have, an ACL that forbids the handshake, or TLS that does not verify.
 */
export function isUnfixableConnectError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && TLS_VERIFY_CODES.has(code)) return true;
  return /^(WRONGPASS|NOAUTH|NOPERM)\b|^ERR (DB index is out of range|invalid password|AUTH .*without any password)|^ERR.*(invalid DB index|out of range)/i.test(
    error.message,
  );
}

function secretsOf(options: RedisStoreOptions): string[] {
  const secrets: string[] = [];
  if (options.password) secrets.push(options.password);
  if (options.url) {
    try {
      const password = new URL(options.url).password;
      if (password) secrets.push(password, decodeURIComponent(password));
    } catch {
      // not a parseable URL: node-redis reports that without echoing it (we rewrap its message)
    }
  }
  return secrets;
}

/** A timer option (ms or `'5s'`-style) in ms; a RangeError naming the option otherwise. */
function positive(value: Duration | undefined, name: string, fallback: number): number {
  return timerDuration(value, name, fallback);
}

function count(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer (got ${String(value)})`);
  }
  return value;
}

/** Closes gracefully, but drops the connection if the server has not answered within `ms`. */
async function closeQuietly(
  target: { close(): Promise<unknown>; destroy(): void; isOpen: boolean; isReady?: boolean },
  ms: number,
): Promise<void> {
  if (!target.isOpen) return;
  // A client waiting to reconnect would wait for the server to come back: drop it instead.
  if (target.isReady === false) {
    target.destroy();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  const closed = target.close().then(
    () => 'closed' as const,
    () => 'failed' as const,
  );
  const outcome = await Promise.race([closed, late]);
  clearTimeout(timer);
  if (outcome !== 'closed') target.destroy();
}
