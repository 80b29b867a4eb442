import { createClient } from '@redis/client';
import { redactUrl } from '../../store/redis/redis-options.js';
import { UsageError } from '../usage-error.js';

/**
 * The only commands `inspect` may send. Every call goes through this list, so a later change cannot
 * slip a write into an operator's production Redis.
 */
type RedisClient = ReturnType<typeof openClient>;

function openClient(url: string) {
  return createClient({ url, socket: { connectTimeout: 3000, reconnectStrategy: false } });
}

const READ_ONLY = new Set(['SCAN', 'TYPE', 'MEMORY', 'PTTL', 'ZCARD', 'SCARD', 'INFO', 'CLUSTER', 'PING']);

/** One Redis node, spoken to with read-only commands only. */
export class ReadOnlyRedis {
  private constructor(
    readonly address: string,
    readonly client: RedisClient,
  ) {}

  /** Connects once, without retrying: an unreachable server is a UsageError with one clear line. */
  static async connect(url: string): Promise<ReadOnlyRedis> {
    const client = openClient(url);
    let lastError: unknown;
    client.on('error', (error: unknown) => {
      lastError = error;
    });
    try {
      await client.connect();
    } catch (error) {
      client.destroy();
      const reason = describeError(error ?? lastError);
      throw new UsageError(`cannot reach Redis at ${redactUrl(url)}: ${reason}`);
    }
    const { hostname, port } = new URL(url);
    return new ReadOnlyRedis(`${hostname}:${port || '6379'}`, client);
  }

  async send(args: readonly string[]): Promise<unknown> {
    const command = args[0]?.toUpperCase() ?? '';
    if (!READ_ONLY.has(command)) throw new Error(`inspect refused to send ${command}: it is not read-only`);
    if (command === 'CLUSTER' && args[1]?.toUpperCase() !== 'NODES')
      throw new Error(`inspect refused to send CLUSTER ${args[1]}`);
    if (command === 'MEMORY' && args[1]?.toUpperCase() !== 'USAGE')
      throw new Error(`inspect refused to send MEMORY ${args[1]}`);
    return this.client.sendCommand([...args]);
  }

  async close(): Promise<void> {
    if (this.client.isOpen) await this.client.close().catch(() => this.client.destroy());
  }
}

function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describeError(error.errors[0]);
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code)
      ? `${code} ${error.message}`
      : error.message;
  }
  return String(error);
}
