/** Shared pieces of the Mezon preset test and benchmark: the fake world, and channel messages as the socket sends them. */
import type { ApiChannelDescription, ApiClanDesc } from 'mezon-sdk';
import type { Envelope } from 'mezon-sdk/dist/cjs/rtapi/realtime.js';

export const PRESET_CLAN = '1850000000000000100';

export function presetChannelId(index: number): string {
  return `18500000000001${String(index).padStart(5, '0')}`;
}

export function presetUserId(index: number): string {
  return `18500000000002${String(index).padStart(5, '0')}`;
}

export function presetMessageId(index: number): string {
  return `1850000${String(index).padStart(12, '0')}`;
}

export function presetWorld(channelCount: number): {
  clans: ApiClanDesc[];
  channels: ApiChannelDescription[];
} {
  return {
    clans: [{ clan_id: PRESET_CLAN, clan_name: 'Preset clan' }],
    channels: Array.from({ length: channelCount }, (_, index) => ({
      clan_id: PRESET_CLAN,
      channel_id: presetChannelId(index),
      channel_label: `channel-${index}`,
      type: 1,
      channel_private: 0,
    })),
  };
}

/** A chat message envelope as the server pushes it: JSON-string fields, no `cid`. */
export function socketMessage(
  index: number,
  channelIndex: number,
  userIndex: number,
  text = `message ${index} with some ordinary chat text in it`,
): Partial<Envelope> {
  return {
    channel_message: {
      clan_id: PRESET_CLAN,
      channel_id: presetChannelId(channelIndex),
      message_id: presetMessageId(index),
      code: 0,
      sender_id: presetUserId(userIndex),
      username: `user${userIndex}`,
      display_name: `User ${userIndex}`,
      avatar: `https://cdn.example/u${userIndex}.png`,
      content: JSON.stringify({ t: text }),
      create_time: new Date(1_700_000_000_000 + index * 1000),
      update_time: undefined,
      channel_label: `channel-${channelIndex}`,
      clan_logo: '',
      category_name: '',
      reactions: '[]',
      mentions: '[]',
      attachments: '[]',
      references: '[]',
      referenced_message: '',
      mode: 2,
      is_public: true,
      clan_nick: `nick${userIndex}`,
      clan_avatar: '',
      topic_id: '',
      hide_editted: false,
      create_time_seconds: 1_700_000_000 + index,
      update_time_seconds: 0,
    },
  };
}
