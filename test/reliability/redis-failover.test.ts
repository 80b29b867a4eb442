import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendError } from '../../src/errors/index.js';
import { RedisStore } from '../../src/store/redis/index.js';
import { type RedisClusterHandle, startRedisCluster } from '../support/redis-server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const GUILDS = Array.from({ length: 12 }, (_, g) => `g${g}`);

/** Every index member exists and links back; every entry is in its guild's index. */
async function checkInvariants(store: RedisStore): Promise<number> {
  let members = 0;
  for (const guild of GUILDS) {
    const link = { by: 'guild', parent: guild };
    for await (const key of store.indexKeys('members', link)) {
      members++;
      expect(key.startsWith(`{${guild}}:`)).toBe(true);
      expect(await store.has('members', key)).toBe(true);
    }
  }
  for await (const [key, value] of store.entries<{ guild: string }>('members')) {
    expect(await store.indexHas('members', { by: 'guild', parent: value.guild }, key)).toBe(true);
  }
  return members;
}

/** A Cluster master killed under traffic: its replica takes over and the store carries on (issue 12). */
describe('RedisStore on a Cluster that fails over', () => {
  let cluster: RedisClusterHandle;
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3, replicas: 1 });
  });
  afterAll(async () => {
    await cluster.stop();
  });

  it('resumes traffic after a master dies and leaves no corrupt entity/index pair', async () => {
    const store = new RedisStore({
      cluster: { rootNodes: cluster.rootNodes.map((node) => node.url) },
      prefix: 'fo',
      commandTimeout: 500,
    });
    store.on('error', () => {});
    const write = (guild: string, i: number) =>
      store.set('members', `{${guild}}:${i}`, { guild, i }, { indexes: [{ by: 'guild', parent: guild }] });
    for (const guild of GUILDS) await Promise.all(Array.from({ length: 20 }, (_, i) => write(guild, i)));
    expect(await checkInvariants(store)).toBe(GUILDS.length * 20);

    // Traffic keeps flowing while master 0 dies; failures must be BackendErrors, nothing else.
    let stop = false;
    const failures: unknown[] = [];
    let written = 0;
    const runTraffic = async () => {
      for (let n = 0; !stop; n++) {
        const guild = GUILDS[n % GUILDS.length] as string;
        await write(guild, 20 + (n % 30)).then(
          () => {
            written++;
          },
          (e: unknown) => {
            failures.push(e);
          },
        );
        if (failures.length > 0) await sleep(20);
      }
    };
    const traffic = runTraffic();
    // Replication is asynchronous: let master 0's replica catch up first, so what was written before
    // the kill is expected to survive it (writes in flight during the kill may be lost, not torn).
    const caughtUp = Date.now() + 10_000;
    for (;;) {
      const info = await cluster.node(0).cli('INFO', 'replication');
      const offset = info.match(/master_repl_offset:(\d+)/)?.[1];
      if (new RegExp(`slave0:.*offset=${offset},`).test(info) || Date.now() > caughtUp) break;
      await sleep(50);
    }
    stop = true;
    await traffic;
    const beforeKill = await checkInvariants(store);
    stop = false;
    const resumedTraffic = runTraffic();
    await sleep(50);
    await cluster.node(0).kill();

    // Wait until writes to every guild (every slot, including the dead master's) succeed again.
    const deadline = Date.now() + 20_000;
    let resumed = false;
    while (!resumed && Date.now() < deadline) {
      const outcomes = await Promise.all(
        GUILDS.map((guild) =>
          write(guild, 99).then(
            () => true,
            () => false,
          ),
        ),
      );
      resumed = outcomes.every(Boolean);
      if (!resumed) await sleep(200);
    }
    stop = true;
    await resumedTraffic;
    expect(resumed).toBe(true);
    expect(written).toBeGreaterThan(0);
    expect(failures.length).toBeGreaterThan(0); // the kill was felt...
    for (const failure of failures) expect(failure).toBeInstanceOf(BackendError); // ...only as BackendErrors

    // Entries written before the kill were replicated; whatever was lost mid-failover left no
    // half-written pair behind: the walk finds every member's entry and every entry in its index.
    const members = await checkInvariants(store);
    expect(beforeKill).toBeGreaterThanOrEqual(GUILDS.length * 20);
    expect(members).toBeGreaterThanOrEqual(GUILDS.length * 20);
    await store.close();
  }, 60_000);
});
