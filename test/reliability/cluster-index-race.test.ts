/**
 * Readers must never drop a live entry from its index (issue 21, item 1): on a local Cluster, one store
 * writes new guild members while another counts and walks the guild index the whole time (the reads
 * that validate and prune members). Every member written must end up in its guild index, at the store
 * level and through the resource layer (`members.set` / `forGuild().count()` and `verifyCache`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCache } from '../../src/resources/create-cache.js';
import { verifyCache } from '../../src/resources/verify-cache.js';
import { RedisStore } from '../../src/store/redis/index.js';
import { type RedisClusterHandle, startRedisCluster } from '../support/redis-server.js';

const NEW_MEMBERS = 1000;
const GUILDS = ['g1', 'g2', 'g3', 'g4'];

let cluster: RedisClusterHandle;
beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3, replicas: 0 });
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

const open = (prefix: string) => {
  const store = new RedisStore({
    cluster: { rootNodes: cluster.rootNodes.map((n) => n.url) },
    prefix,
    commandTimeout: 5000,
  });
  store.on('error', () => {});
  return store;
};

/** Calls `read` in a loop until `done` resolves; resolves to how many reads ran. */
async function readWhile(done: Promise<unknown>, read: () => Promise<unknown>): Promise<number> {
  let finished = false;
  void done.finally(() => {
    finished = true;
  });
  let reads = 0;
  while (!finished) {
    await read();
    reads++;
  }
  return reads;
}

describe('Redis Cluster: readers never drop a live entry from its index', () => {
  it('store level: index walks and counts while new members are written', async () => {
    const writer = open('race-store');
    const reader = open('race-store');
    const writes = (async () => {
      for (let i = 0; i < NEW_MEMBERS; i += 10) {
        await Promise.all(
          Array.from({ length: 10 }, (_, j) => {
            const guild = GUILDS[(i + j) % GUILDS.length] as string;
            return writer.set(
              'members',
              `{${guild}}:u${i + j}`,
              { guild },
              { indexes: [{ by: 'guild', parent: guild }] },
            );
          }),
        );
      }
    })();
    const reads = await readWhile(writes, async () => {
      for (const guild of GUILDS) {
        const link = { by: 'guild', parent: guild };
        await reader.indexCount('members', link);
        for await (const _ of reader.indexKeys('members', link)) {
          // walking validates (and prunes) the members it sees
        }
      }
    });
    await writes;
    let outside = 0;
    for (let i = 0; i < NEW_MEMBERS; i++) {
      const guild = GUILDS[i % GUILDS.length] as string;
      if (!(await reader.indexHas('members', { by: 'guild', parent: guild }, `{${guild}}:u${i}`))) outside++;
    }
    console.log(
      `[cluster index race] store: ${NEW_MEMBERS} written, ${reads} read rounds, ${outside} outside their index`,
    );
    expect(reads).toBeGreaterThan(0);
    expect(outside).toBe(0);
    await Promise.all([writer.close(), reader.close()]);
  }, 180_000);

  it('resource level: members.set while forGuild().count() runs, then verifyCache finds nothing', async () => {
    const writerCache = createCache({ store: open('race-res') });
    const readerCache = createCache({ store: open('race-res') });
    for (const guild of GUILDS) await writerCache.guilds.set(guild, { id: guild, name: guild });
    const writes = (async () => {
      for (let i = 0; i < NEW_MEMBERS; i += 10) {
        await Promise.all(
          Array.from({ length: 10 }, (_, j) => {
            const guild = GUILDS[(i + j) % GUILDS.length] as string;
            return writerCache.members.set(guild, `u${i + j}`, { user: { id: `u${i + j}` }, roles: [] });
          }),
        );
      }
    })();
    const reads = await readWhile(writes, async () => {
      for (const guild of GUILDS) await readerCache.members.forGuild(guild).count();
    });
    await writes;
    const violations = await verifyCache(readerCache, { payloadRelations: false });
    const notIndexed = violations.filter((v) => JSON.stringify(v).includes('not-indexed'));
    console.log(
      `[cluster index race] resources: ${NEW_MEMBERS} written, ${reads} read rounds, ${violations.length} violations (${notIndexed.length} not indexed)`,
    );
    expect(reads).toBeGreaterThan(0);
    expect(violations).toEqual([]);
    await Promise.all([writerCache.close(), readerCache.close()]);
  }, 180_000);
});
