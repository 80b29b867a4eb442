/**
 * One scenario per Discord rule: each states the rule on the reference model (written from
 * discord-api-docs and discord.js's actions) and checks that the adapter's cache dump equals the model's.
 */
import { describe, expect, it } from 'vitest';
import { DiscordEventManager, type DiscordValueTypes } from '../../src/platforms/discord/index.js';
import { createCache } from '../../src/resources/index.js';
import { type CacheDump, dumpCache } from '../support/cache-dump.js';
import {
  guildCreate,
  guildIds,
  member,
  message,
  snowflake,
  user,
  voiceState,
} from '../support/discord/index.js';
import { DiscordReferenceModel } from '../support/discord/reference-model.js';

type Dispatch = readonly [t: string, d: object];
const BOT = user(snowflake(9, 1), 'bot');
const G = snowflake(5, 21);
const H = snowflake(5, 22);
const ids = guildIds({ id: G });
const READY: Dispatch = [
  'READY',
  { v: 10, user: BOT, guilds: [{ id: G }, { id: H }], session_id: 's', shard: [0, 1] },
];
const CREATE_G: Dispatch = ['GUILD_CREATE', guildCreate({ id: G, members: 4, withPresence: 2 })];

async function both(
  dispatches: readonly Dispatch[],
  maxPerChannel = 1000,
): Promise<{ model: CacheDump; cache: CacheDump }> {
  const model = new DiscordReferenceModel({ maxPerChannel });
  const cache = createCache<DiscordValueTypes>({ limits: { messages: { maxPerChannel } } });
  const events = new DiscordEventManager(cache, { bufferTimeout: 60_000 });
  for (const [t, d] of dispatches) {
    model.apply(t, JSON.parse(JSON.stringify(d)));
    await events.apply({ t, d });
  }
  await events.idle();
  const dumped = await dumpCache(cache);
  await cache.close();
  return { model: model.dump(), cache: dumped };
}

async function agree(dispatches: readonly Dispatch[], maxPerChannel?: number): Promise<CacheDump> {
  const { model, cache } = await both(dispatches, maxPerChannel);
  expect(cache).toEqual(model);
  return model;
}

describe('Discord rules: the adapter equals the reference model', () => {
  it('READY stores me; a cached guild READY no longer lists was left while away', async () => {
    const state = await agree([READY, CREATE_G, ['READY', { ...READY[1], guilds: [{ id: H }] }]]);
    expect(state.me).toMatchObject({ id: BOT.id });
    expect(state.guilds[G]).toBeUndefined();
    expect(Object.keys(state.channels)).toEqual([]);
  });

  it('GUILD_CREATE is the whole guild: what it no longer lists is gone', async () => {
    const smaller = guildCreate({ id: G, members: 2, roles: 1, textChannels: 1 });
    const state = await agree([READY, CREATE_G, ['GUILD_CREATE', smaller]]);
    expect(Object.keys(state.members)).toHaveLength(2);
    expect(state.channels[ids.text(1)]).toBeUndefined();
    expect(state.channels[ids.text(0)]?.value).toMatchObject({ guild_id: G });
    expect(state.roles[ids.role(2)]).toBeUndefined();
    expect(state.guilds[G]?.value).not.toHaveProperty('members');
  });

  it('GUILD_DELETE with unavailable is an outage: data kept, marked; the returning GUILD_CREATE replaces it', async () => {
    const outage = await agree([READY, CREATE_G, ['GUILD_DELETE', { id: G, unavailable: true }]]);
    expect(outage.guilds[G]?.value).toMatchObject({ unavailable: true });
    expect(Object.keys(outage.members)).toHaveLength(4);
    const back = await agree([
      READY,
      CREATE_G,
      ['GUILD_DELETE', { id: G, unavailable: true }],
      ['GUILD_CREATE', guildCreate({ id: G, members: 3 })],
    ]);
    expect(back.guilds[G]?.value).not.toHaveProperty('unavailable', true);
    expect(Object.keys(back.members)).toHaveLength(3);
  });

  it('GUILD_DELETE without unavailable: the bot left, everything bound to the guild goes; users stay', async () => {
    const state = await agree([
      READY,
      CREATE_G,
      ['MESSAGE_CREATE', message(snowflake(7, 1), ids.text(0), user(ids.user(0)), 'hi', G)],
      ['GUILD_DELETE', { id: G }],
    ]);
    for (const name of [
      'guilds',
      'channels',
      'roles',
      'emojis',
      'members',
      'presences',
      'voiceStates',
      'messages',
    ] as const)
      expect(Object.keys(state[name]), name).toEqual([]);
    expect(state.users[ids.user(0)]?.ttl).toBe('expires');
  });

  it('GUILD_MEMBER_UPDATE merges over the cached member (it may omit deaf and mute)', async () => {
    const account = user(ids.user(1));
    const { deaf: _d, mute: _m, ...partial } = { ...member(account), nick: 'new' };
    const state = await agree([READY, CREATE_G, ['GUILD_MEMBER_UPDATE', { ...partial, guild_id: G }]]);
    expect(state.members[`${G}/${account.id}`]?.value).toMatchObject({
      nick: 'new',
      deaf: false,
      mute: false,
    });
  });

  it('GUILD_MEMBER_REMOVE: member, presence and voice state go; the user stays, now expiring', async () => {
    const account = user(ids.user(0));
    const state = await agree([
      READY,
      CREATE_G,
      ['VOICE_STATE_UPDATE', voiceState(G, ids.voice, account.id)],
      ['GUILD_MEMBER_REMOVE', { guild_id: G, user: account }],
    ]);
    expect(state.members[`${G}/${account.id}`]).toBeUndefined();
    expect(state.presences[`${G}/${account.id}`]).toBeUndefined();
    expect(state.voiceStates[`${G}/${account.id}`]).toBeUndefined();
    expect(state.users[account.id]?.ttl).toBe('expires');
  });

  it('GUILD_ROLE_DELETE: no member holds the role any more', async () => {
    const state = await agree([
      READY,
      CREATE_G,
      ['GUILD_ROLE_DELETE', { guild_id: G, role_id: ids.role(0) }],
    ]);
    expect(state.roles[ids.role(0)]).toBeUndefined();
    for (const entry of Object.values(state.members))
      expect((entry.value as { roles: string[] }).roles).not.toContain(ids.role(0));
  });

  it('CHANNEL_DELETE takes the channel with its messages, invites and voice states', async () => {
    const state = await agree([
      READY,
      CREATE_G,
      ['MESSAGE_CREATE', message(snowflake(7, 2), ids.text(0), user(ids.user(0)), 'x', G)],
      ['CHANNEL_DELETE', { id: ids.text(0), type: 0, guild_id: G }],
      ['CHANNEL_DELETE', { id: ids.voice, type: 2, guild_id: G }],
    ]);
    expect(state.channels[ids.text(0)]).toBeUndefined();
    expect(Object.keys(state.messages)).toEqual([]);
    expect(Object.keys(state.voiceStates)).toEqual([]);
  });

  it('MESSAGE_UPDATE merges a partial update; an uncached partial one is dropped, an uncached whole one kept', async () => {
    const author = user(ids.user(0));
    const state = await agree([
      READY,
      CREATE_G,
      ['MESSAGE_CREATE', message(snowflake(7, 3), ids.text(0), author, 'before', G)],
      ['MESSAGE_UPDATE', { id: snowflake(7, 3), channel_id: ids.text(0), guild_id: G, content: 'after' }],
      ['MESSAGE_UPDATE', { id: snowflake(7, 4), channel_id: ids.text(0), guild_id: G, content: 'partial' }],
      ['MESSAGE_UPDATE', message(snowflake(7, 5), ids.text(0), author, 'whole', G)],
    ]);
    expect(state.messages[snowflake(7, 3)]?.value).toMatchObject({
      content: 'after',
      author: { id: author.id },
    });
    expect(state.messages[snowflake(7, 4)]).toBeUndefined();
    expect(state.messages[snowflake(7, 5)]?.value).toMatchObject({ content: 'whole' });
  });

  it('the per-channel cap applies at each insert, as discord.js LimitedCollection does', async () => {
    const author = user(ids.user(0));
    const create = (n: number): Dispatch => [
      'MESSAGE_CREATE',
      message(String(n), ids.text(0), author, `m${n}`, G),
    ];
    const state = await agree(
      [
        READY,
        CREATE_G,
        create(1001),
        create(1002),
        create(1003),
        create(1004),
        ['MESSAGE_DELETE', { id: '1004', channel_id: ids.text(0), guild_id: G }],
      ],
      3,
    );
    expect(Object.keys(state.messages)).toEqual(['1002', '1003']);
  });

  it('PRESENCE_UPDATE offline removes the presence; a partial user leaves the cached user as it was', async () => {
    const account = user(ids.user(0));
    const state = await agree([
      READY,
      CREATE_G,
      [
        'PRESENCE_UPDATE',
        { user: { id: account.id }, guild_id: G, status: 'offline', activities: [], client_status: {} },
      ],
      [
        'PRESENCE_UPDATE',
        { user: { id: ids.user(2) }, guild_id: G, status: 'idle', activities: [], client_status: {} },
      ],
    ]);
    expect(state.presences[`${G}/${account.id}`]).toBeUndefined();
    expect(state.presences[`${G}/${ids.user(2)}`]?.value).toMatchObject({ status: 'idle' });
    expect(state.users[account.id]?.value).toMatchObject({ username: account.username });
  });

  it('VOICE_STATE_UPDATE: a move re-links the state, channel_id null leaves voice', async () => {
    const other = snowflake(2, 999_999);
    const state = await agree([
      READY,
      CREATE_G,
      ['CHANNEL_CREATE', { id: other, type: 2, guild_id: G, name: 'v2' }],
      ['VOICE_STATE_UPDATE', voiceState(G, ids.voice, ids.user(1))],
      ['VOICE_STATE_UPDATE', voiceState(G, other, ids.user(1))],
      ['VOICE_STATE_UPDATE', voiceState(G, ids.voice, ids.user(2))],
      ['VOICE_STATE_UPDATE', voiceState(G, null, ids.user(2))],
    ]);
    expect(state.voiceStates[`${G}/${ids.user(1)}`]?.links).toEqual({ channel: [other], guild: [G] });
    expect(state.voiceStates[`${G}/${ids.user(2)}`]).toBeUndefined();
  });

  it("dispatches before their guild's GUILD_CREATE are applied right after it; a guild that never comes keeps none", async () => {
    const late = snowflake(5, 23);
    const newcomer = user(snowflake(1, 31_337), 'early');
    const state = await agree([
      READY,
      ['GUILD_MEMBER_ADD', { ...member(newcomer), guild_id: late }],
      [
        'GUILD_ROLE_CREATE',
        { guild_id: snowflake(5, 24), role: { id: snowflake(3, 77), name: 'x', position: 1 } },
      ],
      ['GUILD_CREATE', guildCreate({ id: late, members: 1 })],
    ]);
    expect(state.members[`${late}/${newcomer.id}`]).toBeDefined();
    expect(state.roles[snowflake(3, 77)]).toBeUndefined();
  });

  it('a webhook message keeps no user; a user shared by two guilds has the latest copy', async () => {
    const shared = user(snowflake(1, 55_555), 'first');
    const state = await agree([
      READY,
      CREATE_G,
      ['GUILD_CREATE', guildCreate({ id: H, members: 1 })],
      [
        'MESSAGE_CREATE',
        {
          ...message(snowflake(7, 9), ids.text(0), user(snowflake(6, 1), 'hook'), 'w', G),
          webhook_id: snowflake(6, 2),
        },
      ],
      ['GUILD_MEMBER_ADD', { ...member(shared), guild_id: G }],
      ['GUILD_MEMBER_ADD', { ...member({ ...shared, username: 'second' }), guild_id: H }],
    ]);
    expect(state.users[snowflake(6, 1)]).toBeUndefined();
    expect(state.messages[snowflake(7, 9)]?.links).toEqual({ channel: [ids.text(0)], guild: [G] });
    expect(state.users[shared.id]?.value).toMatchObject({ username: 'second' });
    expect(state.users[shared.id]?.ttl).toBe('never');
  });
});
