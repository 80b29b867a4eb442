/**
 * Users' expiries under concurrent writer processes: 4 processes share users across guilds and add and
 * remove members and messages at random, on one standalone Redis and on a local Cluster. Each batch
 * settles its users' expiries inside the store's atomic write (keepAlive), from the references as the
 * batch left them, so no interleaving may leave a referenced user expiring or an unreferenced one
 * kept forever. The check reads every member and message back and derives each user's due expiry itself.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore, type RedisStoreOptions } from '../../src/store/redis/index.js';
import type { Store } from '../../src/store/types.js';
import {
  type RedisClusterHandle,
  type RedisServer,
  startRedis,
  startRedisCluster,
} from '../support/redis-server.js';
import { runWriterProcess, type WorkerReport } from './support/writer-process.js';

const WORKER = fileURLToPath(new URL('./support/user-expiry-worker.ts', import.meta.url));
const WORKERS = 4;
const OPS_PER_WORKER = 400;
/** The resource defaults the workers run with: users 1 h, messages 5 min, members never. */
const USERS_TTL = 3_600_000;
const MESSAGES_TTL = 300_000;
const SEED = Number(process.env.BOTCACHE_SEED ?? Date.now() % 1_000_000_000);

type Connection = Pick<RedisStoreOptions, 'url' | 'cluster'>;

function runWorker(connection: Connection, prefix: string, seed: number): Promise<WorkerReport> {
  return runWriterProcess(WORKER, [JSON.stringify(connection), prefix, String(seed), String(OPS_PER_WORKER)]);
}

async function entriesOf(store: Store, ns: string) {
  const keys: string[] = [];
  for await (const key of store.keys(ns)) keys.push(key);
  const entries = await Promise.all(keys.map((key) => store.getEntry(ns, key)));
  return keys.flatMap((key, i) => {
    const entry = entries[i];
    return entry ? [{ key, value: entry.value, expiresAt: entry.expiresAt }] : [];
  });
}

interface Finding {
  readonly user: string;
  readonly problem: string;
}

/** Every user's expiry against the references read back: what a correct settling must leave. */
interface Kinds {
  byMember: number;
  byMessage: number;
  unreferenced: number;
}

async function checkExpiries(store: Store): Promise<{ findings: Finding[]; kinds: Kinds }> {
  const now = Date.now();
  const members = await entriesOf(store, 'members');
  const messages = await entriesOf(store, 'messages');
  const users = await entriesOf(store, 'users');
  const memberOf = new Set(members.map(({ key }) => key.slice(key.indexOf('}:') + 2)));
  const latestMessage = new Map<string, number>();
  for (const { value, expiresAt } of messages) {
    const author = (value as { author: { id: string } }).author.id;
    const until = expiresAt ?? Number.POSITIVE_INFINITY;
    latestMessage.set(author, Math.max(latestMessage.get(author) ?? 0, until));
  }
  const findings: Finding[] = [];
  const kinds: Kinds = { byMember: 0, byMessage: 0, unreferenced: 0 };
  for (const { key, expiresAt } of users) {
    const until = expiresAt ?? Number.POSITIVE_INFINITY;
    if (memberOf.has(key)) {
      kinds.byMember++;
      if (expiresAt !== undefined)
        findings.push({ user: key, problem: `a member references it, yet it expires in ${until - now} ms` });
    } else if (latestMessage.has(key)) {
      kinds.byMessage++;
      const message = latestMessage.get(key) as number;
      if (until < message)
        findings.push({ user: key, problem: `expires ${message - until} ms before a message of its own` });
      if (expiresAt === undefined)
        findings.push({ user: key, problem: 'only messages reference it, yet it never expires' });
    } else {
      kinds.unreferenced++;
      if (expiresAt === undefined)
        findings.push({ user: key, problem: 'nothing references it, yet it never expires' });
      else if (until - now > MESSAGES_TTL + USERS_TTL + 1_000)
        findings.push({ user: key, problem: `expires in ${until - now} ms, more than it can be owed` });
    }
  }
  return { findings, kinds };
}

async function runAndCheck(connection: Connection, prefix: string, seed: number): Promise<void> {
  const reports = await Promise.all(
    Array.from({ length: WORKERS }, (_, i) => runWorker(connection, prefix, seed + i)),
  );
  for (const report of reports) {
    expect(report.done).toBeGreaterThanOrEqual(OPS_PER_WORKER);
    expect(report.firstErrors).toEqual([]);
  }
  const store = new RedisStore({ ...connection, prefix, commandTimeout: 30_000 });
  try {
    const { findings, kinds } = await checkExpiries(store);
    console.log(`seed ${seed}: users at the end ${JSON.stringify(kinds)}`);
    expect(findings, `seed ${seed}`).toEqual([]);
    // Not vacuous: the run ended with users in each of the three situations.
    expect(kinds.byMember, `seed ${seed}: users held by members`).toBeGreaterThan(0);
    expect(kinds.byMessage + kinds.unreferenced, `seed ${seed}: users not held by members`).toBeGreaterThan(
      0,
    );
  } finally {
    await store.close();
  }
}

describe('user expiry under 4 writer processes', () => {
  let redis: RedisServer | undefined;
  let cluster: RedisClusterHandle | undefined;

  beforeAll(async () => {
    console.log(`user-expiry-writers seed ${SEED} (replay with BOTCACHE_SEED=${SEED})`);
    redis = await startRedis();
    cluster = await startRedisCluster();
  }, 120_000);

  afterAll(async () => {
    await redis?.stop();
    await cluster?.stop();
  });

  it('standalone Redis: referenced users never expire, unreferenced ones do', {
    timeout: 240_000,
  }, async () => {
    await runAndCheck({ url: (redis as RedisServer).url }, 'expiry', SEED);
  });

  it('Redis Cluster: referenced users never expire, unreferenced ones do', { timeout: 240_000 }, async () => {
    const rootNodes = (cluster as RedisClusterHandle).rootNodes.map((node) => node.url);
    await runAndCheck({ cluster: { rootNodes } }, 'expiry', SEED + 100);
  });
});
