/**
 * A master of a 3-master + 3-replica Cluster (node timeout 2 s, appendfsync always) is killed, killed
 * and restarted, or frozen (SIGSTOP) for 5 s and 20 s while a writer and a reader process run against
 * it. Each run prints its figures and asserts the bounds docs/redis.md states ("Redis Cluster
 * operations"): writes to every slot again within 12 s of a failure the Cluster fails over, no hang,
 * no acknowledged write lost where the replica had caught up, close() in bounded time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/redis/index.js';
import { keySlot } from '../../src/store/redis/key-slot.js';
import { masterOf, runTraffic, sleep, waitForHealthy } from '../support/cluster-ops.js';
import type { TrafficSpec } from '../support/cluster-traffic.js';
import { type FaultVerdict, judge } from '../support/cluster-verdict.js';
import { type RedisClusterHandle, startRedisCluster } from '../support/redis-server.js';

const GUILDS = 12;
const MEMBERS = 10;
/** Time for the promotion (about two node timeouts) plus a slot-map read bounded by the silent-node bound. */
const RECOVERY_BOUND_MS = 12_000;

let cluster: RedisClusterHandle;
beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3, replicas: 1, appendfsync: 'always' });
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

const rootNodes = () => cluster.nodes.map((n) => `redis://${n.host}:${n.port}`);

/** Runs a writer and a reader for `durationMs`; `fault` strikes the master of guild 0 after 2 s. */
async function underTraffic(
  name: string,
  durationMs: number,
  fault: (master: number) => Promise<number | undefined>,
): Promise<FaultVerdict> {
  await waitForHealthy(cluster);
  const target = (await masterOf(cluster, keySlot('{g0}'))).index;
  const prefix = `mf-${name}`;
  const spec = (role: 'writer' | 'reader'): TrafficSpec => ({
    role,
    rootNodes: rootNodes(),
    prefix,
    guilds: GUILDS,
    membersPerGuild: MEMBERS,
    lanes: 6,
    durationMs,
    commandTimeout: 500,
  });
  const writer = runTraffic(spec('writer'));
  const reader = runTraffic(spec('reader'));
  await Promise.all([writer.started, reader.started]);
  await sleep(2000);
  const faultAt = Date.now();
  const until = await fault(target);
  const [writes, reads] = await Promise.all([writer.done, reader.done]);
  cluster.node(target).thaw();
  // A killed master stays down (flagged failed) until its test restarts it.
  await waitForHealthy(cluster, 60_000, [target]);
  const store = new RedisStore({ cluster: { rootNodes: rootNodes() }, prefix, commandTimeout: 2000 });
  store.on('error', () => {});
  const verdict = await judge(store, {
    writer: writes,
    reader: reads,
    faultAt,
    ...(until !== undefined ? { until } : {}),
    guilds: GUILDS,
    membersPerGuild: MEMBERS,
  });
  await store.close();
  console.log(`[cluster fault] ${name} (master ${target}):`, JSON.stringify(verdict));
  return verdict;
}

function expectCommon(verdict: FaultVerdict): void {
  expect(verdict.writes).toBeGreaterThan(100);
  expect(verdict.reads).toBeGreaterThan(100);
  expect(verdict.closeMs).toBeLessThan(3000);
}

describe('Redis Cluster: a master fails under traffic', () => {
  it('SIGKILL: fails over, writes and reads resume on every slot', async () => {
    let killed = 0;
    const verdict = await underTraffic('kill', 14_000, async (master) => {
      killed = master;
      await cluster.node(master).kill();
      return undefined;
    });
    expectCommon(verdict);
    expect(verdict.writeErrors).toBeGreaterThan(0); // the kill was felt
    expect(verdict.recoveryMs).toBeLessThan(RECOVERY_BOUND_MS);
    expect(verdict.longestGuildGapMs).toBeLessThan(RECOVERY_BOUND_MS);
    // appendfsync always does not cover replication: what the replica had not received is lost.
    expect(verdict.lostAcknowledged).toBeLessThanOrEqual(10);
    await cluster.node(killed).restart(); // back as a replica, for the next runs
  }, 120_000);

  it('SIGKILL and restart within the node timeout: no failover, the node reloads its AOF', async () => {
    const verdict = await underTraffic('restart', 10_000, async (master) => {
      await cluster.node(master).kill();
      await sleep(300);
      await cluster.node(master).restart();
      return undefined;
    });
    expectCommon(verdict);
    expect(verdict.recoveryMs).toBeLessThan(RECOVERY_BOUND_MS);
    expect(verdict.lostAcknowledged).toBe(0); // fsync'd before each reply, reloaded on restart
  }, 120_000);

  it('SIGSTOP 5 s (longer than the node timeout): the replica takes over while the master is frozen', async () => {
    const verdict = await underTraffic('stop5', 14_000, async (master) => {
      cluster.node(master).freeze();
      await sleep(5000);
      const thawAt = Date.now();
      cluster.node(master).thaw();
      return thawAt;
    });
    expectCommon(verdict);
    expect(verdict.recoveryMs).toBeLessThan(RECOVERY_BOUND_MS);
  }, 120_000);

  it('SIGSTOP 20 s: traffic moves to the promoted replica long before the master thaws', async () => {
    const verdict = await underTraffic('stop20', 26_000, async (master) => {
      cluster.node(master).freeze();
      await sleep(20_000);
      const thawAt = Date.now();
      cluster.node(master).thaw();
      return thawAt;
    });
    expectCommon(verdict);
    // The defect this guards: no success at all until SIGCONT (slot-map read stuck on the frozen node).
    expect(verdict.recoveryMs).toBeLessThan(RECOVERY_BOUND_MS);
    expect(verdict.longestGuildGapMs).toBeLessThan(RECOVERY_BOUND_MS);
  }, 120_000);
});
