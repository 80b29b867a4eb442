/** Complete SDK payloads (every field the SDK's types require), with the ids tests talk about. */
import type {
  AddClanUserEvent,
  ChannelCreatedEvent,
  ChannelMessage,
  ChannelUpdatedEvent,
  MessageReaction,
  MezonRole,
  UserProfileRedis,
} from '../../../src/platforms/mezon/sdk-types.js';

export const CLAN = '1840000000000000100';
export const CHANNEL = '1840000000000000200';
export const USER = '1840000000000000300';
export const OTHER_USER = '1840000000000000301';
export const ROLE = '1840000000000000400';
export const VOICE = '1840000000000000500';

export function channelCreated(overrides: Partial<ChannelCreatedEvent> = {}): ChannelCreatedEvent {
  return {
    clan_id: CLAN,
    category_id: '1840000000000000050',
    creator_id: USER,
    parent_id: '0',
    channel_id: CHANNEL,
    channel_label: 'general',
    channel_private: 0,
    channel_type: 1,
    status: 0,
    app_url: '',
    clan_name: 'Test clan',
    ...overrides,
  };
}

export function channelUpdated(overrides: Partial<ChannelUpdatedEvent> = {}): ChannelUpdatedEvent {
  return {
    clan_id: CLAN,
    category_id: '1840000000000000050',
    creator_id: USER,
    parent_id: '0',
    channel_id: CHANNEL,
    channel_label: 'renamed',
    channel_type: 1,
    status: 0,
    meeting_code: '',
    is_error: false,
    channel_private: true,
    app_url: '',
    e2ee: 0,
    topic: 'news',
    age_restricted: 0,
    active: 1,
    ...overrides,
  };
}

export function profile(userId: string, username: string): UserProfileRedis {
  return {
    user_id: userId,
    username,
    avatar: `https://cdn.example/${username}.png`,
    display_name: username.toUpperCase(),
    about_me: '',
    custom_status: '',
    create_time_second: 0,
    fcm_tokens: [],
    online: true,
    metadata: '',
    is_disabled: false,
    joined_clans: [CLAN],
    pubkey: '',
    mezon_id: `${username}@mezon`,
    app_token: '',
  };
}

export function addClanUser(userId: string, username: string): AddClanUserEvent {
  return {
    clan_id: CLAN,
    user: { user_id: userId, username, display_name: username.toUpperCase(), avatar: `a/${username}` },
    invitor: USER,
  };
}

export function role(overrides: Partial<MezonRole> = {}): MezonRole {
  return {
    id: ROLE,
    title: 'Moderator',
    color: '#ff0000',
    role_icon: '',
    slug: 'moderator',
    description: '',
    creator_id: USER,
    clan_id: CLAN,
    active: 1,
    display_online: 0,
    allow_mention: 1,
    role_user_list: undefined,
    permission_list: undefined,
    role_channel_active: 0,
    channel_ids: [],
    max_level_permission: 0,
    order_role: 1,
    ...overrides,
  };
}

export function channelMessage(overrides: Partial<ChannelMessage> = {}): ChannelMessage {
  return {
    id: '1840000000000000600',
    message_id: '1840000000000000600',
    clan_id: CLAN,
    channel_id: CHANNEL,
    channel_label: 'general',
    sender_id: USER,
    username: 'ann',
    display_name: 'Ann',
    clan_nick: 'Annie',
    clan_avatar: 'https://cdn.example/annie.png',
    avatar: 'https://cdn.example/ann.png',
    code: 0,
    mode: 2,
    content: { t: 'hello' },
    create_time: '2025-01-01T00:00:00Z',
    ...overrides,
  };
}

export function reaction(action: boolean, overrides: Partial<MessageReaction> = {}): MessageReaction {
  return {
    id: '',
    emoji_id: '1840000000000000700',
    emoji: 'thumbsup',
    sender_id: OTHER_USER,
    sender_name: 'bob',
    sender_avatar: '',
    action,
    count: 1,
    channel_id: CHANNEL,
    message_id: '1840000000000000600',
    clan_id: CLAN,
    mode: 2,
    message_sender_id: USER,
    is_public: true,
    topic_id: '',
    emoji_recent_id: '',
    ...overrides,
  };
}
