import { createHash, randomUUID } from 'node:crypto';
import type { LockProvider } from '../types.js';
import { KeyLayout } from './key-layout.js';
import { RELEASE_LOCK } from './lua-scripts.js';
import type { RedisConnection } from './redis-connection.js';

/** The namespace lock commands are routed by (its database on standalone). */
const LOCK_NAMESPACE = 'locks';

/** Pushes the lock's expiry back only while the token still holds it (never a successor's lock). */
const EXTEND_SOURCE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;
const EXTEND_LOCK = {
  source: EXTEND_SOURCE,
  sha: createHash('sha1').update(EXTEND_SOURCE).digest('hex'),
};

/**
 * A short exclusive lock shared by every process on the same Redis: `SET key token NX PX ttl` to take it,
 * a compare-and-delete script to release it. A holder that crashes leaves a lock that expires after its ttl.
 * Lock keys are `<prefix>:-lock:{<name>}`: one key, one slot, on Cluster too, and outside every
 * namespace (no namespace starts with '-'), so clearing a namespace named `lock` leaves them alone.
 */
export class RedisLockProvider implements LockProvider {
  constructor(
    private readonly connection: RedisConnection,
    private readonly prefix: string,
    private readonly ready: () => Promise<void>,
  ) {}

  private key(name: string): string {
    return new KeyLayout(this.prefix).lock(name);
  }

  async acquire(name: string, ttl: number): Promise<string | undefined> {
    await this.ready();
    const token = randomUUID();
    const key = this.key(name);
    const reply = await this.connection.send(LOCK_NAMESPACE, key, [
      'SET',
      key,
      token,
      'NX',
      'PX',
      String(Math.ceil(ttl)),
    ]);
    return reply === 'OK' ? token : undefined;
  }

  async extend(name: string, token: string, ttl: number): Promise<boolean> {
    await this.ready();
    const reply = await this.connection.evalScript(
      LOCK_NAMESPACE,
      EXTEND_LOCK,
      [this.key(name)],
      [token, String(Math.ceil(ttl))],
    );
    return reply === 1;
  }

  async release(name: string, token: string): Promise<void> {
    await this.ready();
    await this.connection.evalScript(LOCK_NAMESPACE, RELEASE_LOCK, [this.key(name)], [token]);
  }
}
