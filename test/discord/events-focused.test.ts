/** One focused test per dispatch kind: the payload goes straight into the event manager. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type DiscordCache,
  DiscordDispatchError,
  DiscordEventManager,
  type DiscordValueTypes,
} from '../../src/platforms/discord/index.js';
import { createCache } from '../../src/resources/index.js';
import type { BatchOp } from '../../src/store/types.js';
import {
  guildCreate,
  guildIds,
  member,
  message,
  presence,
  role,
  snowflake,
  textChannel,
  thread,
  user,
  voiceState,
} from '../support/discord/index.js';

const BOT = user(snowflake(9, 1), 'bot');
const G = snowflake(5, 1);
const ids = guildIds({ id: G });

async function keys(iterable: { keys(): AsyncIterable<string> }): Promise<string[]> {
  const out: string[] = [];
  for await (const key of iterable.keys()) out.push(key);
  return out.sort();
}

describe('Discord event manager, one dispatch kind at a time', () => {
  let cache: DiscordCache;
  let events: DiscordEventManager;
  const errors: Error[] = [];
  const send = (t: string, d: unknown) => events.apply({ op: 0, t, d, s: null });

  beforeEach(async () => {
    cache = createCache<DiscordValueTypes>();
    events = new DiscordEventManager(cache, { bufferTimeout: 200 });
    errors.length = 0;
    events.on('error', (error) => errors.push(error));
    await send('READY', {
      v: 10,
      user: BOT,
      guilds: [{ id: G, unavailable: true }],
      session_id: 's',
      resume_gateway_url: 'ws://x',
      application: { id: '1', flags: 0 },
    });
    await send('GUILD_CREATE', guildCreate({ id: G, members: 4, withPresence: 2 }));
  });

  it('READY stores me, and GUILD_CREATE fills every resource of the guild', async () => {
    expect(await cache.me.get()).toMatchObject({ id: BOT.id });
    expect(await cache.guilds.get(G)).toMatchObject({ id: G, member_count: 4 });
    expect(await cache.guilds.get(G)).not.toHaveProperty('members');
    expect(await cache.channels.forGuild(G).count()).toBe(5); // category, 2 text, voice, thread
    expect(await cache.roles.forGuild(G).count()).toBe(4);
    expect(await cache.emojis.forGuild(G).count()).toBe(1);
    expect(await cache.members.forGuild(G).count()).toBe(4);
    expect(await cache.users.get(ids.user(3))).toMatchObject({ id: ids.user(3) });
    expect(await cache.presences.forGuild(G).count()).toBe(2);
    expect(await cache.voiceStates.forChannel(ids.voice).count()).toBe(1);
    expect(errors).toEqual([]);
  });

  it('READY reconciles: guilds of this shard missing from READY are cleared with their data', async () => {
    const other = snowflake(5, 2);
    await send('GUILD_CREATE', guildCreate({ id: other, members: 2 }));
    expect(await cache.members.forGuild(other).count()).toBe(2);
    await send('READY', {
      v: 10,
      user: BOT,
      guilds: [{ id: G }],
      session_id: 's2',
      resume_gateway_url: 'ws://x',
      shard: [0, 1],
      application: { id: '1', flags: 0 },
    });
    expect(await cache.guilds.get(other)).toBeUndefined();
    expect(await cache.members.forGuild(other).count()).toBe(0);
    expect(await cache.guilds.get(G)).toBeDefined();
  });

  it('READY of one shard leaves the guilds of other shards alone', async () => {
    const other = snowflake(5, 2);
    await send('GUILD_CREATE', guildCreate({ id: other, members: 1 }));
    // With 2 shards, each guild belongs to (id >> 22) % 2; READY of the shard that does not own `other`.
    const { shardOf } = await import('../../src/platforms/discord/index.js');
    const notOwner = 1 - shardOf(other, 2);
    await send('READY', {
      v: 10,
      user: BOT,
      guilds: [],
      session_id: 's3',
      resume_gateway_url: 'ws://x',
      shard: [notOwner, 2],
      application: { id: '1', flags: 0 },
    });
    expect(await cache.guilds.get(other)).toBeDefined();
  });

  it('GUILD_CREATE again replaces the whole guild state atomically (stale entities go)', async () => {
    const next = guildCreate({ id: G, members: 2, withPresence: 0, textChannels: 1, roles: 1 });
    await send('GUILD_CREATE', next);
    expect(await keys(cache.members.forGuild(G))).toEqual([ids.user(0), ids.user(1)].sort());
    expect(await cache.presences.forGuild(G).count()).toBe(0);
    expect(await cache.channels.get(ids.text(1))).toBeUndefined();
    expect(await cache.roles.forGuild(G).count()).toBe(2);
    expect(await cache.users.get(ids.user(3))).toBeDefined(); // users outlive their membership (TTL)
  });

  it('GUILD_UPDATE merges the guild and replaces its roles', async () => {
    // GUILD_UPDATE has no GUILD_CREATE-only fields (member_count, joined_at, large, collections).
    const {
      channels: _c,
      members: _m,
      presences: _p,
      voice_states: _v,
      threads: _t,
      member_count: _n,
      joined_at: _j,
      large: _l,
      ...guild
    } = guildCreate({ id: G });
    await send('GUILD_UPDATE', { ...guild, name: 'renamed', roles: [role(ids.everyone, '@everyone', 0)] });
    expect(await cache.guilds.get(G)).toMatchObject({
      name: 'renamed',
      member_count: 4,
      joined_at: expect.any(String),
    });
    expect(await keys(cache.roles.forGuild(G))).toEqual([ids.everyone]);
  });

  it('GUILD_DELETE unavailable keeps the data; a leave clears it', async () => {
    await send('GUILD_DELETE', { id: G, unavailable: true });
    expect(await cache.guilds.get(G)).toMatchObject({ unavailable: true });
    expect(await cache.members.forGuild(G).count()).toBe(4);
    await send('GUILD_DELETE', { id: G });
    expect(await cache.guilds.get(G)).toBeUndefined();
    expect(await cache.members.forGuild(G).count()).toBe(0);
    expect(await cache.channels.forGuild(G).count()).toBe(0);
    expect(await cache.voiceStates.forChannel(ids.voice).count()).toBe(0);
  });

  it('CHANNEL_CREATE / UPDATE (a move) / DELETE (with its messages) / PINS_UPDATE', async () => {
    const id = snowflake(2, 777);
    await send('CHANNEL_CREATE', textChannel(id, G, 'new'));
    await send('CHANNEL_UPDATE', { ...textChannel(id, G, 'moved'), parent_id: null, position: 3 });
    expect(await cache.channels.get(id)).toMatchObject({ name: 'moved', parent_id: null, position: 3 });
    await send('CHANNEL_PINS_UPDATE', {
      guild_id: G,
      channel_id: id,
      last_pin_timestamp: '2024-02-02T00:00:00.000Z',
    });
    expect(await cache.channels.get(id)).toMatchObject({ last_pin_timestamp: '2024-02-02T00:00:00.000Z' });
    await send('MESSAGE_CREATE', message(snowflake(6, 1), id, user(ids.user(0)), 'hi', G));
    await send('CHANNEL_DELETE', textChannel(id, G, 'moved'));
    expect(await cache.channels.get(id)).toBeUndefined();
    expect(await cache.messages.get(snowflake(6, 1))).toBeUndefined();
  });

  it('THREAD_CREATE / UPDATE / DELETE and THREAD_LIST_SYNC drop threads no longer active', async () => {
    const t2 = snowflake(2, 888);
    await send('THREAD_CREATE', thread(t2, G, ids.text(1), 'second'));
    await send('THREAD_UPDATE', { ...thread(t2, G, ids.text(1), 'second'), name: 'renamed' });
    expect(await cache.channels.get(t2)).toMatchObject({ name: 'renamed' });
    await send('THREAD_MEMBERS_UPDATE', { id: t2, guild_id: G, member_count: 7 });
    expect(await cache.channels.get(t2)).toMatchObject({ member_count: 7 });
    // Sync of parent text(0) only: its thread ids.thread is gone, t2 (parent text(1)) is untouched.
    const t3 = snowflake(2, 889);
    await send('THREAD_LIST_SYNC', {
      guild_id: G,
      channel_ids: [ids.text(0)],
      threads: [thread(t3, G, ids.text(0), 'third')],
      members: [],
    });
    expect(await cache.channels.get(ids.thread)).toBeUndefined();
    expect(await cache.channels.get(t2)).toBeDefined();
    expect(await cache.channels.get(t3)).toMatchObject({ guild_id: G });
    await send('THREAD_DELETE', { id: t2, guild_id: G, parent_id: ids.text(1), type: 11 });
    expect(await cache.channels.get(t2)).toBeUndefined();
    expect(await cache.channels.get(ids.text(0))).toBeDefined();
  });

  it('GUILD_ROLE_CREATE / UPDATE / DELETE', async () => {
    const id = snowflake(3, 999);
    await send('GUILD_ROLE_CREATE', { guild_id: G, role: role(id, 'mods', 5) });
    await send('GUILD_ROLE_UPDATE', { guild_id: G, role: { ...role(id, 'moderators', 6), color: 255 } });
    expect(await cache.roles.get(id)).toMatchObject({ name: 'moderators', color: 255, position: 6 });
    await send('GUILD_ROLE_DELETE', { guild_id: G, role_id: id });
    expect(await cache.roles.get(id)).toBeUndefined();
  });

  it('GUILD_ROLE_DELETE strips the role from the cached members of its guild, in the same batch', async () => {
    const [kept, gone] = [ids.role(1), ids.role(0)];
    await send('GUILD_MEMBER_UPDATE', { ...member(user(ids.user(1)), [gone, kept]), guild_id: G });
    // Another guild's member that happens to list the same id is not this guild's business.
    const other = snowflake(5, 2);
    await send('GUILD_CREATE', guildCreate({ id: other, members: 1, userOffset: 777 }));
    await send('GUILD_MEMBER_UPDATE', { ...member(user(snowflake(1, 777)), [gone]), guild_id: other });
    const batches: BatchOp[][] = [];
    const batch = cache.store.batch.bind(cache.store);
    const spy = vi.spyOn(cache.store, 'batch').mockImplementation((ops) => {
      batches.push([...ops]);
      return batch(ops);
    });
    try {
      await send('GUILD_ROLE_DELETE', { guild_id: G, role_id: gone });
    } finally {
      spy.mockRestore();
    }
    expect(errors).toEqual([]);
    expect(await cache.roles.get(gone)).toBeUndefined();
    expect((await cache.members.get(G, ids.user(0)))?.roles).toEqual([]);
    expect((await cache.members.get(G, ids.user(1)))?.roles).toEqual([kept]);
    expect((await cache.members.get(G, ids.user(2)))?.roles).toEqual([]);
    expect((await cache.members.get(G, ids.user(3)))?.roles).toEqual([]);
    expect((await cache.members.get(other, snowflake(1, 777)))?.roles).toEqual([gone]);
    // One store batch held the role delete and the three member rewrites.
    const writes = batches.filter((ops) => ops.some((op) => op.type === 'delete' && op.key === gone));
    expect(writes).toHaveLength(1);
    const memberKeys = writes[0]!
      .filter((op) => op.type === 'set' && op.ns.endsWith('members'))
      .map((op) => (op as { key: string }).key);
    expect(memberKeys).toHaveLength(3);
  });

  it('merges (member and message updates) join write batches and still see earlier writes of the burst', async () => {
    const author = user(ids.user(0));
    const before = events.stats.batches;
    const burst: [string, unknown][] = [
      ['GUILD_MEMBER_ADD', { ...member(user(ids.user(50))), guild_id: G, deaf: true }],
      ['GUILD_MEMBER_UPDATE', { guild_id: G, user: user(ids.user(50)), roles: [ids.role(1)], nick: 'a' }],
      ['GUILD_MEMBER_UPDATE', { guild_id: G, user: user(ids.user(50)), roles: [ids.role(1)], nick: 'b' }],
      ['GUILD_MEMBER_UPDATE', { guild_id: G, user: user(ids.user(1)), roles: [], nick: 'one' }],
      ['MESSAGE_CREATE', message(snowflake(6, 1), ids.text(0), author, 'hello', G)],
      ['MESSAGE_UPDATE', { id: snowflake(6, 1), channel_id: ids.text(0), guild_id: G, content: 'edited' }],
      ['MESSAGE_UPDATE', { id: snowflake(6, 2), channel_id: ids.text(0), guild_id: G, content: 'uncached' }],
    ];
    for (const [t, d] of burst) events.handle({ t, d });
    await events.idle();
    expect(errors).toEqual([]);
    expect(await cache.members.get(G, ids.user(50))).toMatchObject({
      nick: 'b',
      deaf: true,
      roles: [ids.role(1)],
    });
    expect(await cache.members.get(G, ids.user(1))).toMatchObject({ nick: 'one', deaf: false, mute: false });
    expect(await cache.messages.get(snowflake(6, 1))).toMatchObject({
      content: 'edited',
      author: { id: author.id },
    });
    expect(await cache.messages.get(snowflake(6, 2))).toBeUndefined();
    // Split only where a merge follows a write to its own entity (the update after the add, the second
    // update, the message update after its create): 4 batches rather than 7.
    expect(events.stats.batches - before).toBe(4);
    expect(events.stats.applied).toBeGreaterThanOrEqual(burst.length);
  });

  it('GUILD_EMOJIS_UPDATE replaces the emoji list', async () => {
    const id = snowflake(4, 55);
    await send('GUILD_EMOJIS_UPDATE', {
      guild_id: G,
      emojis: [{ id, name: 'new', roles: [], animated: false }],
    });
    expect(await keys(cache.emojis.forGuild(G))).toEqual([id]);
  });

  it('GUILD_MEMBER_ADD / UPDATE (merged) / REMOVE, and GUILD_MEMBERS_CHUNK', async () => {
    const newcomer = user(snowflake(1, 4242), 'newcomer');
    await send('GUILD_MEMBER_ADD', { ...member(newcomer), guild_id: G });
    expect(await cache.members.get(G, newcomer.id)).toMatchObject({ user: { id: newcomer.id }, deaf: false });
    expect(await cache.members.get(G, newcomer.id)).not.toHaveProperty('guild_id');
    const { deaf: _d, mute: _m, ...update } = member({ ...newcomer, username: 'renamed' }, [ids.role(1)]);
    await send('GUILD_MEMBER_UPDATE', { ...update, guild_id: G, nick: 'nick' });
    expect(await cache.members.get(G, newcomer.id)).toMatchObject({
      nick: 'nick',
      roles: [ids.role(1)],
      deaf: false,
    });
    expect(await cache.users.get(newcomer.id)).toMatchObject({ username: 'renamed' });
    await send('PRESENCE_UPDATE', presence(G, newcomer.id));
    await send('GUILD_MEMBER_REMOVE', { guild_id: G, user: newcomer });
    expect(await cache.members.get(G, newcomer.id)).toBeUndefined();
    expect(await cache.presences.get(G, newcomer.id)).toBeUndefined();
    const chunk = [user(snowflake(1, 5001)), user(snowflake(1, 5002))];
    await send('GUILD_MEMBERS_CHUNK', {
      guild_id: G,
      members: chunk.map((u) => member(u)),
      presences: [presence(G, chunk[0]!.id)],
      chunk_index: 0,
      chunk_count: 1,
    });
    expect(await cache.members.forGuild(G).count()).toBe(6);
    expect(await cache.presences.get(G, chunk[0]!.id)).toMatchObject({ status: 'online' });
  });

  it('PRESENCE_UPDATE stores, and offline removes', async () => {
    const id = ids.user(3);
    await send('PRESENCE_UPDATE', presence(G, id, 'dnd'));
    expect(await cache.presences.get(G, id)).toMatchObject({ status: 'dnd' });
    await send('PRESENCE_UPDATE', presence(G, id, 'offline'));
    expect(await cache.presences.get(G, id)).toBeUndefined();
  });

  it('VOICE_STATE_UPDATE moves keep the channel index right; channel null leaves', async () => {
    const id = ids.user(0);
    const other = snowflake(2, 4444);
    await send('CHANNEL_CREATE', { ...textChannel(other, G, 'voice-2'), type: 2 });
    await send('VOICE_STATE_UPDATE', voiceState(G, other, id));
    expect(await keys(cache.voiceStates.forChannel(other))).toEqual([id]);
    expect(await cache.voiceStates.forChannel(ids.voice).count()).toBe(0);
    await send('VOICE_STATE_UPDATE', voiceState(G, null, id));
    expect(await cache.voiceStates.get(G, id)).toBeUndefined();
    expect(await cache.voiceStates.forChannel(other).count()).toBe(0);
  });

  it('INVITE_CREATE (expiring with max_age) / INVITE_DELETE', async () => {
    const createdAt = new Date().toISOString();
    await send('INVITE_CREATE', {
      code: 'abc',
      channel_id: ids.text(0),
      guild_id: G,
      created_at: createdAt,
      max_age: 3600,
      max_uses: 0,
      temporary: false,
      uses: 0,
      inviter: user(ids.user(1)),
    });
    expect(await cache.invites.get('abc')).toMatchObject({ code: 'abc' });
    expect(await cache.invites.forChannel(ids.text(0)).count()).toBe(1);
    await send('INVITE_CREATE', {
      code: 'old',
      channel_id: ids.text(0),
      guild_id: G,
      created_at: '2020-01-01T00:00:00Z',
      max_age: 60,
      max_uses: 0,
      temporary: false,
      uses: 0,
    });
    expect(await cache.invites.get('old')).toBeUndefined();
    await send('INVITE_DELETE', { code: 'abc', channel_id: ids.text(0), guild_id: G });
    expect(await cache.invites.get('abc')).toBeUndefined();
  });

  it('MESSAGE_CREATE / UPDATE (partial merge) / DELETE / DELETE_BULK, DMs too', async () => {
    const author = user(ids.user(2), 'writer');
    const [m1, m2, m3] = [snowflake(6, 1), snowflake(6, 2), snowflake(6, 3)];
    for (const id of [m1, m2, m3])
      await send('MESSAGE_CREATE', message(id, ids.text(0), author, `text ${id}`, G));
    expect(await cache.messages.forChannel(ids.text(0)).count()).toBe(3);
    expect(await cache.users.get(author.id)).toMatchObject({ username: 'writer' });
    await send('MESSAGE_UPDATE', {
      id: m1,
      channel_id: ids.text(0),
      guild_id: G,
      content: 'edited',
      edited_timestamp: '2024-03-03T00:00:00.000Z',
    });
    expect(await cache.messages.get(m1)).toMatchObject({
      content: 'edited',
      author: { id: author.id },
      pinned: false,
    });
    await send('MESSAGE_DELETE', { id: m1, channel_id: ids.text(0), guild_id: G });
    expect(await cache.messages.get(m1)).toBeUndefined();
    await send('MESSAGE_DELETE_BULK', { ids: [m2, m3], channel_id: ids.text(0), guild_id: G });
    expect(await cache.messages.forChannel(ids.text(0)).count()).toBe(0);
    const dm = snowflake(2, 9999);
    await send('MESSAGE_CREATE', message(snowflake(6, 9), dm, author, 'psst'));
    expect(await cache.messages.forChannel(dm).count()).toBe(1);
  });

  it('USER_UPDATE updates me', async () => {
    await send('USER_UPDATE', { ...BOT, username: 'botcache-2' });
    expect(await cache.me.get()).toMatchObject({ username: 'botcache-2' });
    expect(await cache.users.get(BOT.id)).toMatchObject({ username: 'botcache-2' });
  });

  it('buffers data that arrives before its guild and applies it after GUILD_CREATE, in order', async () => {
    const late = snowflake(5, 3);
    const newcomer = user(snowflake(1, 7777));
    const applied = [
      events.apply({ t: 'GUILD_MEMBER_ADD', d: { ...member(newcomer), guild_id: late } }),
      events.apply({ t: 'GUILD_MEMBER_UPDATE', d: { ...member(newcomer), guild_id: late, nick: 'second' } }),
    ];
    expect(await events.idle()).toEqual({ buffered: 2, bufferedGuilds: [late] });
    expect(events.buffered).toBe(2);
    // apply() says what happened: they wait for their guild.
    expect(await Promise.all(applied)).toEqual([
      { status: 'buffered', guildId: late },
      { status: 'buffered', guildId: late },
    ]);
    expect(await cache.members.get(late, newcomer.id)).toBeUndefined();
    // The GUILD_CREATE's apply() resolves once the dispatches it let in are applied too.
    expect(await send('GUILD_CREATE', guildCreate({ id: late, members: 1 }))).toEqual({ status: 'applied' });
    expect(await cache.members.get(late, newcomer.id)).toMatchObject({ nick: 'second' });
    expect(await cache.members.forGuild(late).count()).toBe(2);
  });

  it('drops buffered data when its guild never comes', async () => {
    const never = snowflake(5, 4);
    const dropped: number[] = [];
    events.on('dropped', (info) => dropped.push(info.count));
    const gone = new Promise((resolve) => events.once('dropped', resolve));
    expect(
      await events.apply({
        t: 'GUILD_ROLE_CREATE',
        d: { guild_id: never, role: role(snowflake(3, 1), 'x') },
      }),
    ).toEqual({ status: 'buffered', guildId: never });
    expect(await gone).toEqual({ guildId: never, count: 1, reason: 'expired' });
    expect(events.stats.dropped).toBe(1);
    expect(dropped).toEqual([1]);
    expect(await cache.roles.get(snowflake(3, 1))).toBeUndefined();
  });

  it('reports malformed dispatches without throwing, and keeps applying the rest of the batch', async () => {
    const good = user(snowflake(1, 8001));
    events.handle({ t: 'GUILD_MEMBER_ADD', d: { ...member(good), guild_id: G } });
    events.handle({ t: 'GUILD_MEMBER_ADD', d: { guild_id: G, user: { name: 'no id' } } });
    events.handle({ t: 'MESSAGE_DELETE_BULK', d: { ids: 'nope', channel_id: '1' } });
    events.handle({ t: 'GUILD_CREATE', d: null });
    events.handle('garbage');
    events.handle({ t: 'TYPING_START', d: {} });
    await events.idle();
    // Lanes (guild G, channel 1) run concurrently: compare without order.
    expect(errors.map((e) => (e as { event?: string }).event).sort()).toEqual([
      'GUILD_CREATE',
      'GUILD_MEMBER_ADD',
      'MESSAGE_DELETE_BULK',
      'UNKNOWN',
    ]);
    expect(errors[0]).toBeInstanceOf(DiscordDispatchError);
    expect(events.stats.failed).toBe(4);
    expect(events.stats.ignored).toBe(1);
    expect(await cache.members.get(G, good.id)).toBeDefined();
  });

  it('applies the dispatches of one guild in arrival order even when writes are slow', async () => {
    const id = ids.user(1);
    const statuses = ['online', 'idle', 'dnd', 'offline', 'online', 'idle'] as const;
    for (const status of statuses) events.handle({ t: 'PRESENCE_UPDATE', d: presence(G, id, status) });
    events.handle({ t: 'GUILD_MEMBER_UPDATE', d: { ...member(user(id)), guild_id: G, nick: 'a' } });
    events.handle({ t: 'GUILD_MEMBER_UPDATE', d: { ...member(user(id)), guild_id: G, nick: 'b' } });
    await events.idle();
    expect(await cache.presences.get(G, id)).toMatchObject({ status: 'idle' });
    expect(await cache.members.get(G, id)).toMatchObject({ nick: 'b' });
  });

  it('keeps only the chosen resources', async () => {
    const only = new DiscordEventManager(createCache<DiscordValueTypes>(), {
      resources: ['guilds', 'channels'],
    });
    await only.apply({ t: 'GUILD_CREATE', d: guildCreate({ id: G, members: 3 }) });
    expect(await only.cache.channels.forGuild(G).count()).toBe(5);
    expect(await only.cache.members.forGuild(G).count()).toBe(0);
    expect(await only.cache.users.count()).toBe(0);
    expect(() => new DiscordEventManager(cache, { resources: ['bogus' as never] })).toThrow(TypeError);
    expect(() => new DiscordEventManager(cache, { maxBatch: 0 })).toThrow(RangeError);
  });

  it('writes the members of a guild larger than largeGuildBatch in batches, still replacing stale ones', async () => {
    const big = new DiscordEventManager(createCache<DiscordValueTypes>(), { largeGuildBatch: 10 });
    await big.apply({ t: 'GUILD_CREATE', d: guildCreate({ id: G, members: 25, withPresence: 12 }) });
    expect(await big.cache.members.forGuild(G).count()).toBe(25);
    expect(await big.cache.presences.forGuild(G).count()).toBe(12);
    await big.apply({ t: 'GUILD_CREATE', d: guildCreate({ id: G, members: 15, withPresence: 0 }) });
    expect(await big.cache.members.forGuild(G).count()).toBe(15);
    expect(await big.cache.presences.forGuild(G).count()).toBe(0);
    expect(big.stats.failed).toBe(0);
  });
});
