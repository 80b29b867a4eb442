/**
 * A user's expiry when it loses its last member, on every store: no TTL while a member references it;
 * then the users TTL, or the messages TTL plus the users TTL while a message of its own is cached.
 * Regression of the differential seeds 20261201 and 1379282567, where such a user kept "never expires".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCache } from '../../src/resources/index.js';
import { STORE_KINDS, type StoreMatrix, startStoreMatrix } from '../support/store-matrix.js';

const HOUR = 3_600_000;
const FIVE_MINUTES = 300_000;
/** Generous: the machine may be loaded between the write and the read. */
const MARGIN = 60_000;
/** MemoryStore's clock may run a few ms ahead of Date.now(). */
const CLOCK_SKEW = 1_000;

describe('user expiry after the last member goes', () => {
  let matrix: StoreMatrix;
  beforeAll(async () => {
    matrix = await startStoreMatrix();
  }, 120_000);
  afterAll(async () => {
    await matrix?.stop();
  });

  async function expiryIn(
    cache: ReturnType<typeof createCache>,
    userId: string,
  ): Promise<number | undefined> {
    const entry = await cache.store.getEntry(cache.users.ns, userId);
    expect(entry, `user ${userId} is cached`).toBeDefined();
    return entry?.expiresAt === undefined ? undefined : entry.expiresAt - Date.now();
  }

  for (const kind of STORE_KINDS) {
    it(`${kind}: a cached message keeps the user for its TTL plus the users TTL, not forever`, async () => {
      const cache = createCache({ store: await matrix.create(kind) });
      await cache.users.set('u1', { id: 'u1' });
      await cache.members.set('g1', 'u1', { nick: 'a' });
      await cache.messages.set('m1', { id: 'm1' }, { channelId: 'c1', authorId: 'u1', guildId: 'g1' });
      expect(await expiryIn(cache, 'u1')).toBeUndefined();

      await cache.members.delete('g1', 'u1');
      const left = await expiryIn(cache, 'u1');
      expect(left).toBeTypeOf('number');
      expect(left as number).toBeGreaterThan(HOUR + FIVE_MINUTES - MARGIN);
      expect(left as number).toBeLessThanOrEqual(HOUR + FIVE_MINUTES + CLOCK_SKEW);
      await cache.close();
    }, 60_000);

    it(`${kind}: without messages the user gets the users TTL; another member keeps it`, async () => {
      const cache = createCache({ store: await matrix.create(kind) });
      await cache.users.set('u1', { id: 'u1' });
      await cache.members.set('g1', 'u1', { nick: 'a' });
      await cache.members.set('g2', 'u1', { nick: 'b' });

      await cache.members.delete('g1', 'u1');
      expect(await expiryIn(cache, 'u1'), 'held by the member of g2').toBeUndefined();

      await cache.members.delete('g2', 'u1');
      const left = await expiryIn(cache, 'u1');
      expect(left).toBeTypeOf('number');
      expect(left as number).toBeGreaterThan(HOUR - MARGIN);
      expect(left as number).toBeLessThanOrEqual(HOUR + CLOCK_SKEW);
      await cache.close();
    }, 60_000);
  }

  for (const kind of STORE_KINDS) {
    it(`${kind}: a message deleted in the same batch as the last member no longer holds the user`, async () => {
      const cache = createCache({ store: await matrix.create(kind) });
      await cache.users.set('u1', { id: 'u1' });
      await cache.members.set('g1', 'u1', { nick: 'a' });
      await cache.messages.set('m1', { id: 'm1' }, { channelId: 'c1', authorId: 'u1', guildId: 'g1' });
      expect(await expiryIn(cache, 'u1')).toBeUndefined();

      await cache.transaction((tx) => {
        tx.messages.delete('m1');
        tx.members.delete('g1', 'u1');
      });
      const left = await expiryIn(cache, 'u1');
      expect(left).toBeTypeOf('number');
      expect(left as number, 'the users TTL alone').toBeLessThanOrEqual(HOUR + CLOCK_SKEW);
      expect(left as number).toBeGreaterThan(HOUR - MARGIN);
      await cache.close();
    }, 60_000);

    it(`${kind}: a member that joins again pins the user again`, async () => {
      const cache = createCache({ store: await matrix.create(kind) });
      await cache.users.set('u1', { id: 'u1' });
      await cache.members.set('g1', 'u1', { nick: 'a' });
      await cache.members.delete('g1', 'u1');
      expect(await expiryIn(cache, 'u1')).toBeTypeOf('number');
      await cache.members.set('g2', 'u1', { nick: 'b' });
      expect(await expiryIn(cache, 'u1')).toBeUndefined();
      await cache.close();
    }, 60_000);
  }

  it('memory: with messages that never expire, a message-held user never expires (documented limit)', async () => {
    const cache = createCache({ limits: { messages: { ttl: Infinity } } });
    await cache.users.set('u1', { id: 'u1' });
    await cache.members.set('g1', 'u1', { nick: 'a' });
    await cache.messages.set('m1', { id: 'm1' }, { channelId: 'c1', authorId: 'u1' });
    await cache.members.delete('g1', 'u1');
    expect(await expiryIn(cache, 'u1')).toBeUndefined();
    await cache.close();
  });
});
