import type { createClient, createCluster } from '@redis/client';
import type { Codec } from '../../codec/index.js';
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
  /** Each call fails with BackendError after this many milliseconds. Default 1000. */
  readonly commandTimeout?: number;
  /** How long `open()` waits for the first connection. Default 5000 ms. */
  readonly connectTimeout?: number;
  /** Reconnect backoff: first delay, doubled each attempt up to `maxDelay`. Default 50 ms / 2000 ms. */
  readonly reconnect?: { readonly initialDelay?: number; readonly maxDelay?: number };
  /** How values are stored. Default JSON (`{"v":1,"d":…}`), readable with redis-cli. */
  readonly codec?: Codec;
  /** Limits applied to every namespace that has none of its own. */
  readonly defaults?: NamespaceLimits;
  /** Limits per namespace. */
  readonly namespaces?: Readonly<Record<string, NamespaceLimits>>;
}

export type CreateClientOptions = NonNullable<Parameters<typeof createClient>[0]>;
export type CreateClusterOptions = Parameters<typeof createCluster>[0];

/** A URL with its password hidden, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable url)';
  }
}
