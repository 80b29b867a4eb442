/**
 * botcache/mezon's public types write out what they use of mezon-sdk (src/platforms/mezon/sdk-shapes.ts)
 * so they hold without mezon-sdk installed. The checks below are type-level, run by `npm run typecheck`
 * (tsc over test/): mezon-sdk's own types must fit each shape, and each payload shape must name exactly
 * the SDK's fields, so a change in the SDK is a type error here rather than a silent drift.
 */
import type {
  ApiMessageAttachment,
  ApiMessageMention,
  ApiMessageReaction,
  ApiMessageRef,
  ChannelMessage,
  ChannelMessageContent,
  MezonClient,
} from 'mezon-sdk';
import { describe, expect, it } from 'vitest';
import {
  type MezonChannelMessage,
  type MezonClientLike,
  type MezonMessageAttachment,
  type MezonMessageContent,
  type MezonMessageMention,
  type MezonMessageReaction,
  type MezonMessageRef,
  type MezonRole,
  type MezonSdkChannel,
  type MezonSdkClan,
  type MezonSdkUser,
  readMezonMessage,
} from '../../src/platforms/mezon/index.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compiles only when `Actual` fits `Expected` (mezon-sdk's type is usable where botcache's shape is asked). */
type Fits<Actual extends Expected, Expected> = Actual extends Expected ? true : false;
const holds = <T extends true>(): T | undefined => undefined;

type SdkClan = NonNullable<ReturnType<MezonClient['clans']['get']>>;
type SdkChannel = NonNullable<ReturnType<MezonClient['channels']['get']>>;
type SdkUser = NonNullable<ReturnType<MezonClient['users']['get']>>;
type SdkRole = NonNullable<Parameters<Parameters<MezonClient['onRoleEvent']>[0]>[0]['role']>;

describe('botcache/mezon shapes of mezon-sdk types', () => {
  it('mezon-sdk client and objects fit the shapes botcache asks for', () => {
    holds<Fits<MezonClient, MezonClientLike>>();
    holds<Fits<SdkClan, MezonSdkClan>>();
    holds<Fits<SdkChannel, MezonSdkChannel>>();
    holds<Fits<SdkUser, MezonSdkUser>>();
  });

  it('each payload shape names exactly the SDK fields, and the SDK payload fits it', () => {
    holds<Same<keyof ChannelMessage, keyof MezonChannelMessage>>();
    holds<Fits<ChannelMessage, MezonChannelMessage>>();
    holds<Same<keyof ChannelMessageContent, keyof MezonMessageContent>>();
    holds<Fits<ChannelMessageContent, MezonMessageContent>>();
    holds<Same<keyof ApiMessageReaction, keyof MezonMessageReaction>>();
    holds<Fits<ApiMessageReaction, MezonMessageReaction>>();
    holds<Same<keyof ApiMessageMention, keyof MezonMessageMention>>();
    holds<Fits<ApiMessageMention, MezonMessageMention>>();
    holds<Same<keyof ApiMessageAttachment, keyof MezonMessageAttachment>>();
    holds<Fits<ApiMessageAttachment, MezonMessageAttachment>>();
    holds<Same<keyof ApiMessageRef, keyof MezonMessageRef>>();
    holds<Fits<ApiMessageRef, MezonMessageRef>>();
    holds<Same<Exclude<keyof SdkRole, 'role_user_list' | 'permission_list'>, keyof MezonRole>>();
    holds<Fits<Omit<SdkRole, 'role_user_list' | 'permission_list'>, MezonRole>>();
  });

  it('a message typed by mezon-sdk goes to readMezonMessage as it is', () => {
    const message: ChannelMessage = {
      id: '10',
      channel_id: '20',
      channel_label: 'general',
      clan_id: '30',
      code: 0,
      content: { t: '!ping now' },
      create_time: '2026-12-01T00:00:00Z',
      sender_id: '40',
      mentions: [{ user_id: '50', s: 0, e: 3 }],
    };
    expect(readMezonMessage(message, '99')).toEqual({
      text: '!ping now',
      messageId: '10',
      channelId: '20',
      authorId: '40',
      guildId: '30',
      fromBot: false,
    });
    expect(readMezonMessage({ ...message, sender_id: '99' }, '99')?.fromBot).toBe(true);
  });
});
