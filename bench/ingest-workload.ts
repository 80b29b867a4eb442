/**
 * The gateway workload every ingest contender is fed: one big GUILD_CREATE, the stream's guilds, and a
 * stream of mixed dispatches over many guilds. Generated deterministically; every contender gets its
 * own fresh copy (discord.js mutates the packets it handles).
 */
import {
  guildCreate,
  guildIds,
  member,
  message,
  presence,
  snowflake,
  user,
  voiceState,
} from '../test/support/discord/payloads.js';

export interface Dispatch {
  readonly t: string;
  readonly d: unknown;
}

export const STREAM_GUILDS = 50;

export function bigGuildId(): string {
  return snowflake(5, 1);
}

/** The big GUILD_CREATE: `members` members, a tenth of them with a presence. */
export function bigGuild(members: number): Dispatch {
  return {
    t: 'GUILD_CREATE',
    d: guildCreate({ id: bigGuildId(), members, withPresence: members / 10, userOffset: 0 }),
  };
}

/** The stream's guilds, 200 members each, created before the stream (as after a login). */
export function streamGuilds(): Dispatch[] {
  return Array.from({ length: STREAM_GUILDS }, (_, g) => ({
    t: 'GUILD_CREATE',
    d: guildCreate({ id: snowflake(5, 100 + g), members: 200 }),
  }));
}

/** The mixed stream: messages, presences, member churn and edits, voice moves, across many guilds. */
export function mixedStream(count: number): Dispatch[] {
  const out: Dispatch[] = [];
  let x = 7;
  const next = (n: number) => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x % n;
  };
  for (let i = 0; i < count; i++) {
    const shape = { id: snowflake(5, 100 + next(STREAM_GUILDS)) };
    const ids = guildIds(shape);
    const u = user(ids.user(next(200)));
    const roll = next(100);
    if (roll < 35)
      out.push({ t: 'MESSAGE_CREATE', d: message(snowflake(6, i), ids.text(next(2)), u, `m${i}`, shape.id) });
    else if (roll < 55)
      out.push({ t: 'PRESENCE_UPDATE', d: presence(shape.id, u.id, next(4) === 0 ? 'offline' : 'online') });
    else if (roll < 67)
      out.push({ t: 'GUILD_MEMBER_ADD', d: { ...member(user(ids.user(1000 + i))), guild_id: shape.id } });
    else if (roll < 75) out.push({ t: 'GUILD_MEMBER_REMOVE', d: { guild_id: shape.id, user: u } });
    else if (roll < 82)
      out.push({ t: 'GUILD_MEMBER_UPDATE', d: { ...member(u), guild_id: shape.id, nick: `n${i}` } });
    else if (roll < 87)
      out.push({
        t: 'MESSAGE_UPDATE',
        d: {
          id: snowflake(6, Math.max(0, i - 50)),
          channel_id: ids.text(0),
          guild_id: shape.id,
          content: 'edit',
        },
      });
    else if (roll < 92)
      out.push({
        t: 'MESSAGE_DELETE',
        d: { id: snowflake(6, Math.max(0, i - 20)), channel_id: ids.text(0), guild_id: shape.id },
      });
    else if (roll < 97)
      out.push({ t: 'VOICE_STATE_UPDATE', d: voiceState(shape.id, next(3) === 0 ? null : ids.voice, u.id) });
    else
      out.push({
        t: 'TYPING_START',
        d: { channel_id: ids.text(0), guild_id: shape.id, user_id: u.id, timestamp: 0 },
      });
  }
  return out;
}

/** A user id of the big guild, for reads. */
export function bigGuildUser(i: number): string {
  return guildIds({ id: bigGuildId(), userOffset: 0 }).user(i);
}
