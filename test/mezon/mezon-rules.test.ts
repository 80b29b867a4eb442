/**
 * One scenario per Mezon rule the adapter follows, through a real MezonClient's emitter. Each rule cites
 * where Mezon states it; docs/mezon.md lists the same rules.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  attachMezon,
  createMezonCache,
  type MezonAttachment,
  type MezonCache,
  type MezonEventError,
  type MezonReactionRecord,
} from '../../src/platforms/mezon/index.js';
import { verifyCache } from '../../src/resources/index.js';
import { BOT_ID, createMezonTestClient, type MezonTestClient } from '../support/mezon/mezon-test-client.js';
import {
  addClanUser,
  CHANNEL,
  CLAN,
  channelCreated,
  channelMessage,
  OTHER_USER,
  profile,
  ROLE,
  reaction,
  role,
  USER,
  VOICE,
} from '../support/mezon/payloads.js';

const MESSAGE = '1840000000000000600';
const THREAD = '1840000000000000210';
const OTHER_CLAN = '1840000000000000111';

let sdk: MezonTestClient;
let cache: MezonCache;
let attachment: MezonAttachment;
let errors: MezonEventError[];

beforeAll(() => {
  sdk = createMezonTestClient();
});
afterAll(() => sdk.dispose());
beforeEach(async () => {
  cache = createMezonCache();
  errors = [];
  attachment = attachMezon(cache, sdk.client, { refreshOnReady: false, onError: (e) => errors.push(e) });
});
afterEach(async () => {
  attachment.detach();
  await cache.close();
});

const settle = () => attachment.idle();

function roleEvent(
  status: number,
  overrides: { user_add_ids?: string[]; user_remove_ids?: string[]; title?: string } = {},
) {
  return {
    role: role(overrides.title === undefined ? {} : { title: overrides.title }),
    status,
    user_id: USER,
    user_add_ids: overrides.user_add_ids ?? [],
    user_remove_ids: overrides.user_remove_ids ?? [],
    active_permission_ids: [],
    remove_permission_ids: [],
  };
}

describe('Mezon rules', () => {
  it('role status is EEventAction: 1 creates, 2 updates (keeps holders), 3 deletes and strips members', async () => {
    sdk.deliver('role_event', roleEvent(1, { user_add_ids: [USER, OTHER_USER] }));
    sdk.deliver('role_event', roleEvent(2, { title: 'Admin' }));
    await settle();
    expect(await cache.roles.get(ROLE)).toMatchObject({ title: 'Admin', clan_id: CLAN });
    // An update is not a delete: the holders keep the role.
    expect((await cache.members.get(CLAN, USER))?.role_ids).toEqual([ROLE]);
    expect((await cache.members.get(CLAN, OTHER_USER))?.role_ids).toEqual([ROLE]);

    sdk.deliver('role_event', roleEvent(3));
    await settle();
    expect(await cache.roles.get(ROLE)).toBeUndefined();
    expect((await cache.members.get(CLAN, USER))?.role_ids).toEqual([]);
    expect((await cache.members.get(CLAN, OTHER_USER))?.role_ids).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('role statuses outside 1..3 are ignored and counted, never treated as a create', async () => {
    for (const status of [0, 4, 5]) sdk.deliver('role_event', roleEvent(status, { user_add_ids: [USER] }));
    await settle();
    expect(await cache.roles.get(ROLE)).toBeUndefined();
    expect(await cache.members.get(CLAN, USER)).toBeUndefined();
    expect(attachment.stats).toMatchObject({ ignored: 3, malformed: 0, failed: 0 });
    expect(errors).toEqual([]);
  });

  it('an edit (code 1) changes content, mentions, attachments, hide_editted and update time; reactions stay', async () => {
    sdk.deliver('channel_message', channelMessage({ references: [{ message_ref_id: '1' }] as never }));
    sdk.deliver('message_reaction_event', reaction(false, { count: 2 }));
    await settle();
    sdk.deliver(
      'channel_message',
      channelMessage({
        code: 1,
        content: { t: 'edited' },
        mentions: [],
        attachments: [{ url: 'https://cdn.example/a.png' }] as never,
        reactions: [],
        references: [],
        hide_editted: true,
        update_time: '2025-01-01T00:01:00Z',
        username: 'renamed',
        clan_nick: 'Nick2',
      }),
    );
    await settle();
    const message = await cache.messages.get(MESSAGE);
    expect(message).toMatchObject({
      content: { t: 'edited' },
      mentions: [],
      attachments: [{ url: 'https://cdn.example/a.png' }],
      hide_editted: true,
      update_time: '2025-01-01T00:01:00.000Z',
      // Not changed by an edit:
      references: [{ message_ref_id: '1' }],
      username: 'ann',
      clan_nick: 'Annie',
      create_time: '2025-01-01T00:00:00.000Z',
    });
    expect(message?.reactions).toEqual([
      {
        emoji: 'thumbsup',
        sender_name: 'bob',
        emoji_id: '1840000000000000700',
        sender_id: OTHER_USER,
        count: 2,
      },
    ] satisfies MezonReactionRecord[]);
    // The edit's profile fields do not touch the member either.
    expect((await cache.members.get(CLAN, USER))?.clan_nick).toBe('Annie');
  });

  it('an edit of a message the cache does not hold stores nothing', async () => {
    sdk.deliver('channel_message', channelMessage({ code: 1, content: { t: 'edited' } }));
    await settle();
    expect(await cache.messages.get(MESSAGE)).toBeUndefined();
  });

  it('leaving a clan removes the member, its voice state and its channel memberships of that clan', async () => {
    sdk.deliver('user_channel_added_event', {
      channel_desc: {
        clan_id: CLAN,
        channel_id: THREAD,
        type: 7,
        channel_label: 't',
        category_id: '',
        category_name: '',
      },
      users: [profile(USER, 'ann'), profile(OTHER_USER, 'bob')],
      status: '',
      clan_id: CLAN,
      caller: undefined,
      create_time_second: 0,
      active: 1,
    });
    sdk.deliver('voice_joined_event', {
      clan_id: CLAN,
      clan_name: 'Test clan',
      id: '9',
      participant: 'bob',
      user_id: OTHER_USER,
      voice_channel_label: 'v',
      voice_channel_id: VOICE,
      last_screenshot: '',
    });
    await settle();
    expect((await cache.channels.get(THREAD))?.member_ids).toEqual([USER, OTHER_USER]);
    sdk.deliver('user_clan_removed_event', { clan_id: CLAN, user_ids: [OTHER_USER] });
    await settle();
    expect(await cache.members.get(CLAN, OTHER_USER)).toBeUndefined();
    expect(await cache.voiceStates.get(CLAN, OTHER_USER)).toBeUndefined();
    expect((await cache.channels.get(THREAD))?.member_ids).toEqual([USER]);
    expect(await cache.users.get(OTHER_USER)).toBeDefined();
  });

  it('a profile field cleared to "" in a new message is applied (nick, clan avatar, display name, avatar)', async () => {
    sdk.deliver('channel_message', channelMessage());
    await settle();
    sdk.deliver(
      'channel_message',
      channelMessage({
        id: '1840000000000000601',
        message_id: '1840000000000000601',
        clan_nick: '',
        clan_avatar: '',
        display_name: '',
        avatar: '',
      }),
    );
    await settle();
    expect(await cache.members.get(CLAN, USER)).toMatchObject({
      clan_nick: '',
      clan_avatar: '',
      display_name: '',
      avatar: '',
    });
    expect(await cache.users.get(USER)).toMatchObject({ username: 'ann', display_name: '', avatar: '' });
  });

  it('a clan revealed by an event is recorded; nothing is left bound to a missing clan', async () => {
    sdk.deliver('channel_created_event', channelCreated({ clan_id: OTHER_CLAN, clan_name: 'Other' }));
    sdk.deliver('role_event', { ...roleEvent(1), role: role({ clan_id: '1840000000000000112' }) });
    sdk.deliver('add_clan_user_event', { ...addClanUser(USER, 'ann'), clan_id: '1840000000000000113' });
    sdk.deliver('voice_joined_event', {
      clan_id: '1840000000000000114',
      clan_name: 'Voice clan',
      id: '9',
      participant: 'ann',
      user_id: USER,
      voice_channel_label: 'v',
      voice_channel_id: VOICE,
      last_screenshot: '',
    });
    sdk.deliver('channel_message', channelMessage({ clan_id: '1840000000000000115', sender_id: '0' }));
    await settle();
    expect(await cache.clans.get(OTHER_CLAN)).toEqual({ id: OTHER_CLAN, clan_name: 'Other' });
    expect(await cache.clans.get('1840000000000000112')).toEqual({ id: '1840000000000000112' });
    expect(await cache.clans.get('1840000000000000113')).toEqual({ id: '1840000000000000113' });
    expect(await cache.clans.get('1840000000000000114')).toEqual({
      id: '1840000000000000114',
      clan_name: 'Voice clan',
    });
    expect(await cache.clans.get('1840000000000000115')).toEqual({ id: '1840000000000000115' });
    expect(await verifyCache(cache)).toEqual([]);
  });

  it('verifyCache reports an entry bound to a clan the cache does not hold', async () => {
    await cache.channels.set(CHANNEL, { channel_id: CHANNEL, clan_id: CLAN }, { guildId: CLAN });
    const violations = await verifyCache(cache);
    expect(violations).toEqual([expect.objectContaining({ kind: 'orphan', key: CHANNEL })]);
  });

  it('messages are bound to their clan: found by forGuild, sound for verifyCache, gone with the clan', async () => {
    sdk.deliver('add_clan_user_event', addClanUser(BOT_ID, 'bot'));
    // A message in a thread the cache never held.
    sdk.deliver('channel_message', channelMessage({ channel_id: THREAD }));
    await settle();
    expect(await cache.messages.forGuild(CLAN).count()).toBe(1);
    expect(await verifyCache(cache)).toEqual([]);
    sdk.deliver('user_clan_removed_event', { clan_id: CLAN, user_ids: [BOT_ID] });
    await settle();
    expect(await cache.messages.get(MESSAGE)).toBeUndefined();
    expect(await verifyCache(cache)).toEqual([]);
  });

  it('a reaction delivered twice (same id, two sockets) counts once; a repeated new message keeps the cached copy', async () => {
    sdk.deliver('channel_message', channelMessage());
    await settle();
    sdk.deliver('message_reaction_event', reaction(false, { id: '77' }));
    sdk.deliver('message_reaction_event', reaction(false, { id: '77' }));
    sdk.deliver('channel_message', channelMessage({ content: { t: 'replayed' } }));
    await settle();
    const message = await cache.messages.get(MESSAGE);
    expect(message?.reactions?.[0]?.count).toBe(1);
    expect(message?.content).toEqual({ t: 'hello' });
    expect(attachment.stats.duplicates).toBe(1);
  });

  it('errors name the event and its ids', async () => {
    sdk.deliverRaw('voice_leaved_event', { clan_id: CLAN, voice_channel_id: VOICE, voice_user_id: 7 });
    await settle();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      event: 'voice_leaved_event',
      ids: { clan_id: CLAN, voice_channel_id: VOICE },
    });
    expect(errors[0]?.message).toContain(`clan_id=${CLAN}`);
  });
});
