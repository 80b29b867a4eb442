import type { createClient, createCluster } from '@redis/client';
import type { Codec } from '../../codec/index.js';
import type { Duration } from '../../util/duration.js';
import type { NamespaceLimits } from '../types.js';

/** What the store uses of a node-redis client (any client `createClient()` returns, whatever its modules). */
export interface NodeRedisClientLike {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  sendCommand(args: readonly string[]): Promise<unknown>;
}
/** What the store uses of a node-redis cluster client (`createCluster()`). */
export interface NodeRedisClusterLike {
  readonly isOpen: boolean;
  sendCommand(
    firstKey: string | undefined,
    isReadonly: boolean | undefined,
    args: string[],
  ): Promise<unknown>;
}

/** The node-redis client type the store drives internally. */
export type NodeRedisClient = ReturnType<typeof createClient>;
/** The node-redis cluster type the store drives internally. */
export type NodeRedisCluster = ReturnType<typeof createCluster>;

/** TLS settings for `rediss://` URLs and TLS cluster nodes (PEM text or Buffers, as node's `tls` takes). */
export interface RedisTlsOptions {
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
  /** Host name checked against the server certificate. */
  readonly servername?: string;
  /** Default true. Turn off only for throw-away test servers. */
  readonly rejectUnauthorized?: boolean;
}

/** Options of a {@link RedisStore}. Give exactly one of `url`, `client`, `cluster`, `clusterClient`. */
export interface RedisStoreOptions {
  /** `redis://[user[:password]@]host:port[/db]`, `rediss://…` (TLS) or `unix:///path/to/socket`. */
  readonly url?: string;
  /** ACL user name (overrides the URL's). */
  readonly username?: string;
  /** Password (overrides the URL's). Never appears in error messages. */
  readonly password?: string;
  /** TLS settings; implied by `rediss://`. */
  readonly tls?: RedisTlsOptions;
  /** A connected or unconnected node-redis client; the store uses it and never closes it. */
  readonly client?: NodeRedisClientLike;
  /** Redis Cluster seed nodes, as URLs (`redis://host:port`). */
  readonly cluster?: { readonly rootNodes: readonly string[] };
  /** An existing node-redis cluster client; the store uses it and never closes it. */
  readonly clusterClient?: NodeRedisClusterLike;

  /** Key prefix in front of every key. Default `'botcache'`. Must not contain `{` or `}`. */
  readonly prefix?: string;
  /** Per-namespace database number on a standalone server (refused on Cluster). */
  readonly databases?: Readonly<Record<string, number>>;
  /** Each call fails with BackendError after this long (ms, or `'2s'`-style). Default 1000 ms. */
  readonly commandTimeout?: Duration;
  /** How long `open()` waits for the first connection (ms, or `'10s'`-style). Default 5000 ms. */
  readonly connectTimeout?: Duration;
  /**
   * Most commands waiting for the server at once (sent or queued in the driver, including ones whose
   * call already timed out). Beyond it a call fails at once with BackendError instead of queueing
   * into a connection that does not answer. Default 10 000.
   */
  readonly maxInFlight?: number;
  /** Most bytes of command arguments waiting for the server at once, likewise. Default 64 MiB. */
  readonly maxInFlightBytes?: number;
  /** Reconnect backoff: first delay, doubled each attempt up to `maxDelay` (each ms or `'1s'`-style). Default 50 ms / 2000 ms. */
  readonly reconnect?: { readonly initialDelay?: Duration; readonly maxDelay?: Duration };
  /** How values are stored. Default JSON (`{"v":1,"d":…}`), readable with redis-cli. */
  readonly codec?: Codec;
  /** Limits applied to every namespace that has none of its own. */
  readonly defaults?: NamespaceLimits;
  /** Limits per namespace. */
  readonly namespaces?: Readonly<Record<string, NamespaceLimits>>;
}

export type CreateClientOptions = NonNullable<Parameters<typeof createClient>[0]>;
export type CreateClusterOptions = Parameters<typeof createCluster>[0];

/**
 * Checks the shape of RedisStore options before anything reads them, so that `null`, a number for a
 * URL or a client that is not a node-redis client fail with a message naming the option.
 */
export function checkRedisOptions(options: unknown): RedisStoreOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(
      `options must be an object such as { url: 'redis://localhost:6379' } (got ${options === null ? 'null' : Array.isArray(options) ? 'array' : typeof options})`,
    );
  }
  const given = options as RedisStoreOptions;
  if (given.url !== undefined) assertRedisUrl(given.url, 'url');
  if (given.client !== undefined) checkDriver(given.client, 'client', 'createClient()');
  if (given.clusterClient !== undefined) checkDriver(given.clusterClient, 'clusterClient', 'createCluster()');
  if (given.cluster !== undefined) {
    const seeds = (given.cluster as { rootNodes?: unknown } | null)?.rootNodes;
    if (!Array.isArray(seeds) || seeds.length === 0) {
      throw new TypeError('cluster.rootNodes must be a non-empty array of redis:// URLs');
    }
    for (const [i, seed] of seeds.entries()) assertRedisUrl(seed, `cluster.rootNodes[${i}]`);
  }
  return given;
}

/**
 * A `redis://`, `rediss://` or `unix://` URL with a host (or socket path). An empty URL, or one
 * without a host, is refused: it is most often an unset environment variable, and node-redis would
 * quietly connect to localhost:6379 instead. The message never repeats a password.
 */
export function assertRedisUrl(url: unknown, name: string): asserts url is string {
  if (typeof url !== 'string') {
    throw new TypeError(`${name} must be a string such as 'redis://localhost:6379' (got ${typeof url})`);
  }
  if (url.trim().length === 0) {
    throw new TypeError(`${name} is empty (is an environment variable unset?); give 'redis://host:port'`);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(
      `${name} is not a URL (expected 'redis://host:port'; the value is not shown, it may hold a password)`,
    );
  }
  if (parsed.protocol === 'unix:') {
    if (parsed.pathname.length <= 1) throw new TypeError(`${name} names no socket path (${redactUrl(url)})`);
    return;
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new TypeError(`${name} must start with redis://, rediss:// or unix:// (got ${parsed.protocol}//…)`);
  }
  if (parsed.hostname.length === 0) {
    throw new TypeError(`${name} names no host (got ${redactUrl(url)}); give 'redis://host:port'`);
  }
}

function checkDriver(client: unknown, name: string, factory: string): void {
  const candidate = client as { sendCommand?: unknown; on?: unknown; connect?: unknown } | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.sendCommand !== 'function' ||
    typeof candidate.on !== 'function' ||
    typeof candidate.connect !== 'function'
  ) {
    throw new TypeError(
      `${name} must be a node-redis client from ${factory} (it has no sendCommand, on or connect)`,
    );
  }
}

/** A URL with its password hidden, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url; // as the user wrote it
    parsed.password = '***';
    return parsed.toString();
  } catch {
    // Unparseable: nothing of it is shown, since any part may be a password.
    return '(a URL that does not parse)';
  }
}
