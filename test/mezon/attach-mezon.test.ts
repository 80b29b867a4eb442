import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  attachMezon,
  createMezonCache,
  type MezonAttachment,
  type MezonCache,
  type MezonEventError,
} from '../../src/platforms/mezon/index.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { RedisStore } from '../../src/store/redis/index.js';
import type { Store } from '../../src/store/types.js';
import { BOT_ID, createMezonTestClient, type MezonTestClient } from '../support/mezon/mezon-test-client.js';
import {
  addClanUser,
  CHANNEL,
  CLAN,
  channelCreated,
  channelMessage,
  channelUpdated,
  OTHER_USER,
  profile,
  ROLE,
  reaction,
  role,
  USER,
  VOICE,
} from '../support/mezon/payloads.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';

interface Backend {
  readonly name: string;
  start(): Promise<void>;
  store(): Store;
  stop(): Promise<void>;
}

let redis: RedisServer | undefined;
let redisStore: RedisStore | undefined;
const memory = new MemoryStore();

const backends: Backend[] = [
  { name: 'MemoryStore', start: async () => undefined, store: () => memory, stop: () => memory.close() },
  {
    name: 'RedisStore',
    start: async () => {
      redis = await startRedis();
      redisStore = new RedisStore({ url: redis.url, prefix: 'mezontest' });
    },
    store: () => redisStore as RedisStore,
    stop: async () => {
      await redisStore?.close();
      await redis?.stop();
    },
  },
];

let sdk: MezonTestClient;
beforeAll(() => {
  sdk = createMezonTestClient();
});
afterAll(() => sdk.dispose());

let run = 0;

describe.each(backends)('attachMezon over $name', (backend) => {
  let cache: MezonCache;
  let attachment: MezonAttachment;
  let errors: MezonEventError[];

  beforeAll(() => backend.start(), 30_000);
  afterAll(() => backend.stop());
  beforeEach(async () => {
    // A fresh namespace per test keeps tests independent on a shared store.
    cache = createMezonCache({ store: backend.store(), namespacePrefix: `t${++run}` });
    await cache.open();
    errors = [];
    attachment = attachMezon(cache, sdk.client, { onError: (error) => errors.push(error) });
  });
  afterEach(async () => {
    attachment.detach();
    await cache.close();
  });

  const settle = () => attachment.idle();

  it('channel created / updated / deleted', async () => {
    sdk.deliver('channel_created_event', channelCreated());
    await settle();
    expect(await cache.channels.get(CHANNEL)).toMatchObject({
      channel_id: CHANNEL,
      clan_id: CLAN,
      channel_label: 'general',
      channel_private: false,
      channel_type: 1,
    });
    expect(await cache.channels.forGuild(CLAN).count()).toBe(1);
    expect((await cache.channels.get(CHANNEL))?.parent_id).toBeUndefined();

    sdk.deliver('channel_updated_event', channelUpdated());
    await settle();
    expect(await cache.channels.get(CHANNEL)).toMatchObject({
      channel_label: 'renamed',
      channel_private: true,
      topic: 'news',
      category_id: '1840000000000000050',
    });

    sdk.deliver('channel_deleted_event', {
      clan_id: CLAN,
      category_id: '',
      parent_id: '',
      channel_id: CHANNEL,
      deletor: USER,
    });
    await settle();
    expect(await cache.channels.get(CHANNEL)).toBeUndefined();
    expect(await cache.channels.forGuild(CLAN).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('treats clan "0" as a direct message: the channel belongs to no clan', async () => {
    sdk.deliver('channel_created_event', channelCreated({ clan_id: '0', channel_type: 3 }));
    await settle();
    const channel = await cache.channels.get(CHANNEL);
    expect(channel?.clan_id).toBeUndefined();
    expect(await cache.channels.forGuild(CLAN).count()).toBe(0);
  });

  it('user channel added / removed: membership, users and clan members', async () => {
    sdk.deliver('user_channel_added_event', {
      channel_desc: {
        clan_id: CLAN,
        channel_id: CHANNEL,
        type: 7,
        channel_label: 'thread',
        category_id: '',
        category_name: 'Talk',
        channel_private: 1,
        parent_id: '1840000000000000201',
      },
      users: [profile(USER, 'ann'), profile(OTHER_USER, 'bob')],
      status: '',
      clan_id: CLAN,
      caller: undefined,
      create_time_second: 0,
      active: 1,
    });
    await settle();
    expect(await cache.channels.get(CHANNEL)).toMatchObject({
      channel_type: 7,
      channel_private: true,
      parent_id: '1840000000000000201',
      member_ids: [USER, OTHER_USER],
    });
    expect(await cache.users.get(OTHER_USER)).toMatchObject({ username: 'bob', mezon_id: 'bob@mezon' });
    expect(await cache.members.get(CLAN, USER)).toMatchObject({ username: 'ann', role_ids: [] });

    sdk.deliver('user_channel_removed_event', {
      channel_id: CHANNEL,
      user_ids: [USER],
      channel_type: 7,
      clan_id: CLAN,
    });
    await settle();
    expect((await cache.channels.get(CHANNEL))?.member_ids).toEqual([OTHER_USER]);

    sdk.deliver('user_channel_removed_event', {
      channel_id: CHANNEL,
      user_ids: [BOT_ID],
      channel_type: 7,
      clan_id: CLAN,
    });
    await settle();
    expect(await cache.channels.get(CHANNEL)).toBeUndefined();
  });

  it('add clan user / user clan removed: members come and go, the global user stays', async () => {
    sdk.deliver('add_clan_user_event', addClanUser(OTHER_USER, 'bob'));
    await settle();
    expect(await cache.members.get(CLAN, OTHER_USER)).toMatchObject({
      clan_id: CLAN,
      user_id: OTHER_USER,
      username: 'bob',
      display_name: 'BOB',
      avatar: 'a/bob',
      role_ids: [],
    });
    expect(await cache.users.get(OTHER_USER)).toMatchObject({ id: OTHER_USER, username: 'bob' });

    sdk.deliver('user_clan_removed_event', { clan_id: CLAN, user_ids: [OTHER_USER] });
    await settle();
    expect(await cache.members.get(CLAN, OTHER_USER)).toBeUndefined();
    expect(await cache.users.get(OTHER_USER)).toMatchObject({ username: 'bob' });
  });

  it('the bot joining a clan creates it; the bot leaving removes it and what it holds', async () => {
    sdk.deliver('add_clan_user_event', addClanUser(BOT_ID, 'botcache'));
    sdk.deliver('channel_created_event', channelCreated());
    await settle();
    // Recorded when the bot joined, then named by the channel event (which carries clan_name).
    expect(await cache.clans.get(CLAN)).toEqual({ id: CLAN, clan_name: 'Test clan' });
    expect(cache.clans).toBe(cache.guilds);

    sdk.deliver('user_clan_removed_event', { clan_id: CLAN, user_ids: [BOT_ID] });
    await settle();
    expect(await cache.clans.get(CLAN)).toBeUndefined();
    expect(await cache.channels.get(CHANNEL)).toBeUndefined();
  });

  it('role event: create with users, update, users removed, delete', async () => {
    sdk.deliver('role_event', {
      role: role(),
      status: 1,
      user_id: USER,
      user_add_ids: [USER, OTHER_USER],
      user_remove_ids: [],
      active_permission_ids: [],
      remove_permission_ids: [],
    });
    await settle();
    expect(await cache.roles.get(ROLE)).toMatchObject({ id: ROLE, clan_id: CLAN, title: 'Moderator' });
    expect(await cache.roles.get(ROLE)).not.toHaveProperty('role_user_list');
    expect(await cache.roles.forGuild(CLAN).count()).toBe(1);
    expect((await cache.members.get(CLAN, OTHER_USER))?.role_ids).toEqual([ROLE]);

    sdk.deliver('role_event', {
      role: role({ title: 'Admin' }),
      status: 2,
      user_id: USER,
      user_add_ids: [],
      user_remove_ids: [OTHER_USER],
      active_permission_ids: [],
      remove_permission_ids: [],
    });
    await settle();
    expect((await cache.roles.get(ROLE))?.title).toBe('Admin');
    expect((await cache.members.get(CLAN, OTHER_USER))?.role_ids).toEqual([]);
    expect((await cache.members.get(CLAN, USER))?.role_ids).toEqual([ROLE]);

    sdk.deliver('role_event', {
      role: role(),
      status: 3,
      user_id: USER,
      user_add_ids: [],
      user_remove_ids: [],
      active_permission_ids: [],
      remove_permission_ids: [],
    });
    await settle();
    expect(await cache.roles.get(ROLE)).toBeUndefined();
    expect((await cache.members.get(CLAN, USER))?.role_ids).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('role assign reads the PascalCase ClanId', async () => {
    sdk.deliver('add_clan_user_event', addClanUser(USER, 'ann'));
    sdk.deliver('role_assign_event', {
      ClanId: CLAN,
      role_id: ROLE,
      user_ids_assigned: [USER, OTHER_USER],
      user_ids_removed: [],
    });
    await settle();
    expect(await cache.members.get(CLAN, USER)).toMatchObject({ username: 'ann', role_ids: [ROLE] });
    expect((await cache.members.get(CLAN, OTHER_USER))?.role_ids).toEqual([ROLE]);

    sdk.deliver('role_assign_event', {
      ClanId: CLAN,
      role_id: ROLE,
      user_ids_assigned: [],
      user_ids_removed: [USER],
    });
    await settle();
    expect((await cache.members.get(CLAN, USER))?.role_ids).toEqual([]);
  });

  it('channel message: stored with its author; nick goes to the member, not the user', async () => {
    sdk.deliver('channel_message', channelMessage());
    await settle();
    expect(await cache.messages.get('1840000000000000600')).toMatchObject({
      id: '1840000000000000600',
      channel_id: CHANNEL,
      clan_id: CLAN,
      sender_id: USER,
      content: { t: 'hello' },
    });
    expect(await cache.users.get(USER)).toEqual({
      id: USER,
      username: 'ann',
      display_name: 'Ann',
      avatar: 'https://cdn.example/ann.png',
    });
    expect(await cache.members.get(CLAN, USER)).toMatchObject({
      clan_nick: 'Annie',
      clan_avatar: 'https://cdn.example/annie.png',
      role_ids: [],
    });
  });

  it('channel message: JSON-string fields are decoded, and the SDK parse-failure marker is dropped', async () => {
    const raw = channelMessage({ id: '1840000000000000601' }) as unknown as Record<string, unknown>;
    sdk.deliverRaw('channel_message', {
      ...raw,
      content: JSON.stringify({ t: 'from a string' }),
      mentions: JSON.stringify([{ user_id: OTHER_USER, s: 0, e: 4 }]),
      attachments: 'attachments',
    });
    await settle();
    const message = await cache.messages.get('1840000000000000601');
    expect(message?.content).toEqual({ t: 'from a string' });
    expect(message?.mentions).toEqual([{ user_id: OTHER_USER, s: 0, e: 4 }]);
    expect(message?.attachments).toBeUndefined();
  });

  it('channel message update merges; delete removes', async () => {
    sdk.deliver('channel_message', channelMessage());
    sdk.deliver('channel_message', channelMessage({ code: 1, content: { t: 'edited' }, clan_nick: '' }));
    await settle();
    const edited = await cache.messages.get('1840000000000000600');
    expect(edited?.content).toEqual({ t: 'edited' });
    expect(edited?.create_time).toBe('2025-01-01T00:00:00.000Z');
    // An empty nick in the update must not erase the one we know.
    expect((await cache.members.get(CLAN, USER))?.clan_nick).toBe('Annie');

    sdk.deliver('channel_message', channelMessage({ code: 2 }));
    await settle();
    expect(await cache.messages.get('1840000000000000600')).toBeUndefined();
  });

  it('message reaction: added, counted, removed', async () => {
    sdk.deliver('channel_message', channelMessage());
    sdk.deliver('message_reaction_event', reaction(false));
    sdk.deliver('message_reaction_event', reaction(false));
    await settle();
    expect((await cache.messages.get('1840000000000000600'))?.reactions).toEqual([
      {
        emoji: 'thumbsup',
        sender_name: 'bob',
        emoji_id: '1840000000000000700',
        sender_id: OTHER_USER,
        count: 2,
      },
    ]);
    sdk.deliver('message_reaction_event', reaction(true));
    await settle();
    expect((await cache.messages.get('1840000000000000600'))?.reactions).toEqual([]);
  });

  it('voice joined / left; a late leave of another channel is ignored', async () => {
    sdk.deliver('voice_joined_event', {
      clan_id: CLAN,
      clan_name: 'Test clan',
      id: '1840000000000000800',
      participant: 'ann',
      user_id: USER,
      voice_channel_label: 'Lounge',
      voice_channel_id: VOICE,
      last_screenshot: '',
    });
    await settle();
    expect(await cache.voiceStates.get(CLAN, USER)).toMatchObject({
      voice_channel_id: VOICE,
      participant: 'ann',
    });
    expect(await cache.voiceStates.forChannel(VOICE).count()).toBe(1);

    sdk.deliver('voice_leaved_event', {
      id: '1',
      clan_id: CLAN,
      voice_channel_id: '1840000000000000999',
      voice_user_id: USER,
    });
    await settle();
    expect(await cache.voiceStates.get(CLAN, USER)).toBeDefined();

    sdk.deliver('voice_leaved_event', {
      id: '1',
      clan_id: CLAN,
      voice_channel_id: VOICE,
      voice_user_id: USER,
    });
    await settle();
    expect(await cache.voiceStates.get(CLAN, USER)).toBeUndefined();
    expect(await cache.voiceStates.forChannel(VOICE).count()).toBe(0);
  });

  it('malformed events are counted and reported, never thrown into the emitter', async () => {
    expect(() =>
      sdk.deliverRaw('channel_created_event', { ...channelCreated(), channel_id: Number(CHANNEL) }),
    ).not.toThrow();
    expect(() =>
      sdk.deliverRaw('role_assign_event', { role_id: ROLE, user_ids_assigned: [USER] }),
    ).not.toThrow();
    expect(() => sdk.deliverRaw('channel_message', null)).not.toThrow();
    expect(() => sdk.deliverRaw('role_event', { role: role(), status: 7 })).not.toThrow();
    sdk.deliver('channel_created_event', channelCreated());
    await settle();
    expect(errors.map((e) => [e.event, e.malformed])).toEqual([
      ['channel_created_event', true],
      ['role_assign_event', true],
      ['channel_message', true],
    ]);
    expect(errors[0]?.message).toMatch(/channel_id must be a decimal id string/);
    // The error names the event's ids.
    expect(errors[0]?.ids).toMatchObject({ clan_id: CLAN });
    expect(errors[1]?.ids).toEqual({ role_id: ROLE });
    // A role status outside Mezon's EEventAction (1, 2, 3) is ignored and counted, never a create.
    expect(attachment.stats).toMatchObject({ malformed: 3, ignored: 1, failed: 0, applied: 1 });
    // The cache holds the valid event only.
    expect(await cache.channels.forGuild(CLAN).count()).toBe(1);
    expect(await cache.roles.forGuild(CLAN).count()).toBe(0);
  });

  it('detach() removes every listener', async () => {
    const before = sdk.client.listenerCount('channel_message');
    attachment.detach();
    expect(sdk.client.listenerCount('channel_message')).toBe(before - 1);
    expect(sdk.client.listenerCount('ready')).toBe(0);
    sdk.deliver('channel_created_event', channelCreated());
    await settle();
    expect(await cache.channels.get(CHANNEL)).toBeUndefined();
  });
});
