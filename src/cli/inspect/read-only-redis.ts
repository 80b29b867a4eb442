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

const READ_ONLY = new Set([
  'SCAN',
  'GET',
  'TYPE',
  'MEMORY',
  'PTTL',
  'ZCARD',
  'SCARD',
  'INFO',
  'CLUSTER',
  'PING',
]);

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
      await withinTimeout(client.connect(), `connect timed out after ${COMMAND_TIMEOUT} ms`);
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
    return withinTimeout(
      this.client.sendCommand([...args]),
      `Redis at ${this.address} did not answer ${command} within ${COMMAND_TIMEOUT} ms (is the server stopped or overloaded?)`,
    );
  }

  /** Closes politely, or drops the connection if the server does not answer in time. */
  async close(): Promise<void> {
    if (!this.client.isOpen) return;
    try {
      await withinTimeout(this.client.close(), 'close timed out');
    } catch {
      this.client.destroy();
    }
  }
}

/** How long any one command may take before inspect gives up with exit code 2. */
const COMMAND_TIMEOUT = 5000;

/** Rejects with a UsageError when the promise has not settled within {@link COMMAND_TIMEOUT}. */
function withinTimeout<T>(promise: Promise<T>, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UsageError(message)), COMMAND_TIMEOUT);
  });
  promise.catch(() => {}); // a late failure after the timeout must not go unhandled
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
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
