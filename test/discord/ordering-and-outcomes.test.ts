/**
 * The event manager's ordering contract and what it tells its caller: GUILD_MEMBER_REMOVE takes the
 * voice state with it; a user shared by several guilds ends with the copy of the latest dispatch even
 * when its guild's lane is busy; `apply()` says what happened; errors name the event, `s` and the ids.
 */
import { describe, expect, it } from 'vitest';
import {
  type DiscordCache,
  type DiscordDispatchError,
  DiscordEventManager,
  type DiscordValueTypes,
} from '../../src/platforms/discord/index.js';
import { createCache } from '../../src/resources/index.js';
import {
  guildCreate,
  guildIds,
  member,
  message,
  snowflake,
  user,
  voiceState,
} from '../support/discord/index.js';

const BOT = user(snowflake(9, 1), 'bot');
const A = snowflake(5, 11);
const B = snowflake(5, 12);
const SHARED = user(snowflake(1, 424242), 'shared');

async function started(): Promise<{
  cache: DiscordCache;
  events: DiscordEventManager;
  errors: DiscordDispatchError[];
}> {
  const cache = createCache<DiscordValueTypes>();
  const events = new DiscordEventManager(cache, { bufferTimeout: 60_000 });
  const errors: DiscordDispatchError[] = [];
  events.on('error', (error) => errors.push(error));
  await events.apply({ t: 'READY', d: { v: 10, user: BOT, guilds: [], session_id: 's', shard: [0, 1] } });
  await events.apply({ t: 'GUILD_CREATE', d: guildCreate({ id: A, members: 3 }) });
  await events.apply({ t: 'GUILD_CREATE', d: guildCreate({ id: B, members: 3 }) });
  return { cache, events, errors };
}

async function keysOf(view: { keys(): AsyncIterable<string> }): Promise<string[]> {
  const out: string[] = [];
  for await (const key of view.keys()) out.push(key);
  return out;
}

describe('Discord ordering and outcomes', () => {
  it('GUILD_MEMBER_REMOVE removes the voice state too (as discord.js does)', async () => {
    const { cache, events } = await started();
    const ids = guildIds({ id: A });
    const leaver = user(ids.user(1));
    await events.apply({ t: 'VOICE_STATE_UPDATE', d: voiceState(A, ids.voice, leaver.id) });
    expect(await cache.voiceStates.get(A, leaver.id)).toBeDefined();
    await events.apply({ t: 'GUILD_MEMBER_REMOVE', d: { guild_id: A, user: leaver } });
    expect(await cache.voiceStates.get(A, leaver.id)).toBeUndefined();
    expect(await keysOf(cache.voiceStates.forChannel(ids.voice))).not.toContain(leaver.id);
    expect(await cache.members.get(A, leaver.id)).toBeUndefined();
  });

  it('a user shared by two guilds ends with the copy of the latest dispatch, however busy its lane', async () => {
    const { cache, events } = await started();
    const text = guildIds({ id: A }).text(0);
    // Guild A's lane has a long queue; the older copy of the shared user is at its end.
    for (let i = 0; i < 300; i++)
      events.handle({
        t: 'MESSAGE_CREATE',
        d: message(snowflake(7, i + 1), text, user(guildIds({ id: A }).user(0)), `m${i}`, A),
      });
    events.handle({ t: 'GUILD_MEMBER_ADD', d: { ...member({ ...SHARED, username: 'older' }), guild_id: A } });
    // Guild B's lane is idle: its newer copy would commit first and be overwritten without the ordering.
    events.handle({ t: 'GUILD_MEMBER_ADD', d: { ...member({ ...SHARED, username: 'newer' }), guild_id: B } });
    await events.idle();
    expect(await cache.users.get(SHARED.id)).toMatchObject({ username: 'newer' });
    expect(await cache.members.forUser(SHARED.id).count()).toBe(2);
  });

  it('`me` follows the latest USER_UPDATE even behind a busy guild lane', async () => {
    const { cache, events } = await started();
    for (let i = 0; i < 200; i++)
      events.handle({
        t: 'GUILD_ROLE_CREATE',
        d: {
          guild_id: A,
          role: {
            id: snowflake(3, 900 + i),
            name: `r${i}`,
            position: i,
            permissions: '0',
            color: 0,
            hoist: false,
            managed: false,
            mentionable: false,
            flags: 0,
          },
        },
      });
    events.handle({
      t: 'VOICE_STATE_UPDATE',
      d: {
        ...voiceState(A, guildIds({ id: A }).voice, BOT.id),
        member: { ...member({ ...BOT, username: 'old-bot' }) },
      },
    });
    events.handle({ t: 'USER_UPDATE', d: { ...BOT, username: 'new-bot' } });
    await events.idle();
    expect(await cache.me.get()).toMatchObject({ username: 'new-bot' });
    expect(await cache.users.get(BOT.id)).toMatchObject({ username: 'new-bot' });
  });

  it('apply() says what happened to each dispatch', async () => {
    const { events } = await started();
    expect(await events.apply({ t: 'TYPING_START', d: {} })).toEqual({ status: 'ignored' });
    expect(
      await events.apply({ t: 'GUILD_MEMBER_ADD', d: { ...member(user(snowflake(1, 5))), guild_id: A } }),
    ).toEqual({
      status: 'applied',
    });
    const late = snowflake(5, 99);
    expect(await events.apply({ t: 'GUILD_MEMBER_ADD', d: { ...member(SHARED), guild_id: late } })).toEqual({
      status: 'buffered',
      guildId: late,
    });
    const failed = await events.apply({
      t: 'GUILD_MEMBER_ADD',
      d: { guild_id: A, user: { username: 'no id' } },
      s: 41,
    });
    expect(failed.status).toBe('failed');
    expect(await events.idle()).toEqual({ buffered: 1, bufferedGuilds: [late] });
  });

  it('an error names the event, the sequence number and the ids involved', async () => {
    const { events, errors } = await started();
    await events.apply({
      op: 0,
      t: 'PRESENCE_UPDATE',
      s: 1234,
      d: { guild_id: A, user: { id: SHARED.id }, status: 5 },
    });
    await events.apply({
      op: 0,
      t: 'MESSAGE_CREATE',
      s: 1235,
      d: { id: snowflake(7, 1), channel_id: snowflake(2, 3), author: 5 },
    });
    expect(errors).toHaveLength(2);
    const [first, second] = errors as [DiscordDispatchError, DiscordDispatchError];
    expect(first.event).toBe('PRESENCE_UPDATE');
    expect(first.sequence).toBe(1234);
    expect(first.ids).toEqual({ guildId: A, userId: SHARED.id });
    expect(first.message).toContain('#1234');
    expect(first.message).toContain(`userId ${SHARED.id}`);
    expect(second.ids).toEqual({ channelId: snowflake(2, 3), messageId: snowflake(7, 1) });
    expect(second.message).toContain(`messageId ${snowflake(7, 1)}`);
  });
});
