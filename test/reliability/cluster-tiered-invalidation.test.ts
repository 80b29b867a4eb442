/**
 * TieredStore on a 3-master + 3-replica Cluster whose invalidation node (the master of the sharded
 * channel's slot) is killed or frozen while one process writes and another reads through its near
 * copy. Asserts the bounds docs/redis.md states: the reader distrusts its near copy within about a
 * second of the node going silent, subscribes again on the promoted replica, writes never reject
 * for it, and no read is staler than the bound.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/redis/index.js';
import { keySlot } from '../../src/store/redis/key-slot.js';
import { TieredStore } from '../../src/store/tiered/index.js';
import { masterOf, sleep, waitForHealthy } from '../support/cluster-ops.js';
import { type RedisClusterHandle, startRedisCluster } from '../support/redis-server.js';

/** Heartbeat (250 ms + 750 ms) plus timer lateness on a loaded machine. */
const STALE_BOUND_MS = 2500;
/** Promotion (about two node timeouts) plus finding the new owner and subscribing. */
const RESUBSCRIBE_BOUND_MS = 15_000;

let cluster: RedisClusterHandle;
beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3, replicas: 1 });
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

const rootNodes = () => cluster.nodes.map((n) => `redis://${n.host}:${n.port}`);

function tiered(prefix: string): TieredStore {
  const store = new TieredStore({
    far: new RedisStore({ cluster: { rootNodes: rootNodes() }, prefix, commandTimeout: 500 }),
    invalidation: { cluster: { rootNodes: rootNodes() } },
  });
  store.on('error', () => {});
  return store;
}

/** A key whose slot is not on `avoid` (so its far writes keep working while that node is down). */
async function keyAwayFrom(avoid: number): Promise<string> {
  for (let i = 0; ; i++) {
    const key = `{k${i}}`;
    if ((await masterOf(cluster, keySlot(key), [avoid])).index !== avoid) return key;
  }
}

interface Outcome {
  staleReadMs: number;
  writeRejects: number;
  writes: number;
  reads: number;
  distrustedAfterMs: number | undefined;
  trustedAgainAfterMs: number | undefined;
  rejectKinds: string[];
}

/** Runs a writer (A) and a near-copy reader (B) around `fault`, which strikes the channel's master. */
async function aroundFault(name: string, fault: (master: number) => Promise<void>): Promise<Outcome> {
  await waitForHealthy(cluster);
  const prefix = `ti-${name}`;
  const writer = tiered(prefix);
  const reader = tiered(prefix);
  await writer.open();
  await reader.open();
  const channelMaster = (await masterOf(cluster, keySlot(reader.invalidationChannel))).index;
  const key = await keyAwayFrom(channelMaster);
  await writer.set('members', key, { seq: 0 });
  await reader.get('members', key); // now in the reader's near copy

  const acks: [number, number][] = []; // [seq, ack time]
  let writeRejects = 0;
  const rejectKinds = new Set<string>();
  let reads = 0;
  let staleReadMs = 0;
  let stop = false;
  const writing = (async () => {
    for (let seq = 1; !stop; seq++) {
      await writer.set('members', key, { seq }).then(
        () => acks.push([seq, Date.now()]),
        (error: unknown) => {
          writeRejects++;
          rejectKinds.add(String(error).slice(0, 160));
        },
      );
      await sleep(25);
    }
  })();
  const reading = (async () => {
    while (!stop) {
      const startedAt = Date.now();
      const value = await reader.get<{ seq: number }>('members', key).catch(() => undefined);
      reads++;
      const seen = value?.seq ?? -1;
      const newer = acks.find(([seq, at]) => seq > seen && at < startedAt);
      if (value && newer) staleReadMs = Math.max(staleReadMs, startedAt - newer[1]);
      await sleep(5);
    }
  })();
  let distrustedAfterMs: number | undefined;
  let trustedAgainAfterMs: number | undefined;
  await sleep(1000);
  const faultAt = Date.now();
  const watching = (async () => {
    while (!stop) {
      const trusted = reader.nearCopyTrusted;
      if (!trusted && distrustedAfterMs === undefined) distrustedAfterMs = Date.now() - faultAt;
      if (trusted && distrustedAfterMs !== undefined && trustedAgainAfterMs === undefined) {
        trustedAgainAfterMs = Date.now() - faultAt;
      }
      await sleep(10);
    }
  })();
  await fault(channelMaster);
  stop = true;
  await Promise.all([writing, reading, watching]);
  const closing = Date.now();
  await Promise.all([writer.close(), reader.close()]);
  const closeMs = Date.now() - closing;
  const outcome = {
    staleReadMs,
    writeRejects,
    writes: acks.length,
    reads,
    distrustedAfterMs,
    trustedAgainAfterMs,
    rejectKinds: [...rejectKinds],
  };
  console.log(
    `[cluster tiered] ${name} (channel on master ${channelMaster}):`,
    JSON.stringify({ ...outcome, closeMs }),
  );
  expect(closeMs).toBeLessThan(3000);
  return outcome;
}

/**
 * A write the far store applied never rejects because its invalidation could not be sent. (Far
 * writes can still fail while a master they touch fails over; the namespace registry's slot, say.)
 */
function expectNoInvalidationRejects(outcome: Outcome): void {
  for (const kind of outcome.rejectKinds) expect(kind).not.toMatch(/invalidation|PUBLISH/);
}

describe('TieredStore on Cluster: the invalidation node fails', () => {
  it('SIGKILL of the channel master: distrust at once, resubscribe on the promoted replica', async () => {
    let killed = -1;
    const outcome = await aroundFault('kill', async (master) => {
      killed = master;
      await cluster.node(master).kill();
      await sleep(RESUBSCRIBE_BOUND_MS);
    }).finally(() => cluster.node(killed).restart());
    expectNoInvalidationRejects(outcome);
    expect(outcome.writes).toBeGreaterThan(50);
    expect(outcome.distrustedAfterMs).toBeDefined();
    expect(outcome.distrustedAfterMs as number).toBeLessThan(STALE_BOUND_MS);
    expect(outcome.trustedAgainAfterMs).toBeDefined();
    expect(outcome.staleReadMs).toBeLessThan(STALE_BOUND_MS);
  }, 120_000);

  it('SIGSTOP 5 s of the channel master: the frozen subscription is distrusted within the heartbeat bound', async () => {
    const outcome = await aroundFault('stop5', async (master) => {
      cluster.node(master).freeze();
      await sleep(5000);
      cluster.node(master).thaw();
      await sleep(3000);
    });
    expectNoInvalidationRejects(outcome);
    expect(outcome.distrustedAfterMs).toBeDefined();
    expect(outcome.distrustedAfterMs as number).toBeLessThan(STALE_BOUND_MS);
    expect(outcome.staleReadMs).toBeLessThan(STALE_BOUND_MS);
    expect(outcome.trustedAgainAfterMs).toBeDefined();
  }, 120_000);
});
