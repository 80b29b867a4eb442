/**
 * The shared differential tools themselves: the same writes through the public resource API on every
 * store kind give identical dumps, and the dump sees values, index membership, dangling index entries
 * and expiry classes (a difference in any of them shows).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotCache, createCache } from '../../src/resources/index.js';
import { dumpCache } from '../support/cache-dump.js';
import { STORE_KINDS, type StoreMatrix, startStoreMatrix } from '../support/store-matrix.js';

async function fill(cache: BotCache): Promise<void> {
  await cache.guilds.set('1', { id: '1', name: 'one' });
  await cache.channels.set('10', { id: '10', name: 'general' }, { guildId: '1' });
  await cache.roles.set('20', { id: '20', name: 'mod' }, { guildId: '1' });
  await cache.users.set('100', { id: '100', username: 'ann' });
  await cache.users.set('101', { id: '101', username: 'bob' });
  await cache.members.set('1', '100', { user: { id: '100' }, roles: ['20'] });
  await cache.messages.set(
    '500',
    { id: '500', channel_id: '10', author: { id: '101' } },
    {
      channelId: '10',
      authorId: '101',
      guildId: '1',
    },
  );
  await cache.voiceStates.set('1', '100', { user_id: '100', channel_id: '10' }, { channelId: '10' });
  await cache.me.set({ id: '999', username: 'bot' });
}

describe('cache dump over the store matrix', () => {
  let matrix: StoreMatrix;
  beforeAll(async () => {
    matrix = await startStoreMatrix();
  }, 120_000);
  afterAll(async () => {
    await matrix?.stop();
  });

  it('gives identical dumps for the same writes on every store', async () => {
    const dumps = [];
    for (const kind of STORE_KINDS) {
      const cache = createCache({ store: await matrix.create(kind) });
      await fill(cache);
      dumps.push({ kind, dump: await dumpCache(cache) });
      await cache.close();
    }
    const [first, ...rest] = dumps;
    expect(first?.dump.members['1/100']).toEqual({
      value: { roles: ['20'], user: { id: '100' } },
      ttl: 'never',
      links: { guild: ['1'], user: ['100'] },
    });
    expect(first?.dump.messages['500']?.links).toEqual({ author: ['101'], channel: ['10'], guild: ['1'] });
    expect(first?.dump.messages['500']?.ttl).toBe('expires');
    // bob is referenced by a message only, which expires: bob may expire; ann is held by her member.
    expect(first?.dump.users['100']?.ttl).toBe('never');
    expect(first?.dump.voiceStates['1/100']?.links).toEqual({ channel: ['10'], guild: ['1'] });
    expect(first?.dump.me).toEqual({ id: '999', username: 'bot' });
    expect(first?.dump.dangling).toEqual([]);
    for (const other of rest)
      expect({ kind: other.kind, dump: other.dump }).toEqual({ ...first, kind: other.kind });
  }, 120_000);

  it('shows a changed link, value or expiry', async () => {
    const a = createCache({ store: await matrix.create('memory') });
    const b = createCache({ store: await matrix.create('redis') });
    await fill(a);
    await fill(b);
    expect(await dumpCache(b)).toEqual(await dumpCache(a));
    await b.channels.set('10', { id: '10', name: 'general' }, { guildId: '2' });
    const moved = await dumpCache(b);
    // The parent is read through the public API, even for a guild the cache does not hold.
    expect(moved.channels['10']?.links).toEqual({ guild: ['2'] });
    expect(await b.channels.guildIdOf('10')).toBe('2');
    expect(moved).not.toEqual(await dumpCache(a));
    await b.channels.set('10', { id: '10', name: 'general' }, { guildId: '1' });
    await b.users.set('100', { id: '100', username: 'ann2' });
    expect(await dumpCache(b)).not.toEqual(await dumpCache(a));
    await a.close();
    await b.close();
  }, 60_000);

  it("reads each entity's parent through the public API on every store", async () => {
    for (const kind of STORE_KINDS) {
      const cache = createCache({ store: await matrix.create(kind) });
      await fill(cache);
      expect(await cache.channels.guildIdOf('10'), kind).toBe('1');
      expect(await cache.roles.guildIdOf('20'), kind).toBe('1');
      expect(await cache.messages.channelIdOf('500'), kind).toBe('10');
      expect(await cache.messages.guildIdOf('500'), kind).toBe('1');
      expect(await cache.voiceStates.channelIdOf('1', '100'), kind).toBe('10');
      expect(await cache.channels.guildIdOf('404'), kind).toBeUndefined();
      await cache.roles.delete('20');
      expect(await cache.roles.guildIdOf('20'), kind).toBeUndefined();
      await cache.close();
    }
  }, 120_000);
});
