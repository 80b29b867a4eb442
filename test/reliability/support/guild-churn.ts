/**
 * A conflicting workload on one guild, as several shard/worker processes produce it: member churn,
 * role edits, channel moves, messages, voice moves, presences, and now and then the whole guild
 * deleted and recreated (GUILD_DELETE then GUILD_CREATE). Used by the concurrency test and the soak.
 */
import type { BotCache } from '../../../src/resources/create-cache.js';

/** A small deterministic PRNG, so a failing run can be replayed from its seed. */
export function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

export interface ChurnShape {
  readonly guildId: string;
  readonly users: number;
  readonly channels: number;
  readonly roles: number;
}

export const DEFAULT_SHAPE: ChurnShape = { guildId: '900', users: 24, channels: 6, roles: 5 };

type Op = (cache: BotCache, pick: (n: number) => number, shape: ChurnShape, tag: string) => Promise<unknown>;

const user = (i: number) => `u${i}`;
const channel = (i: number) => `c${i}`;
const role = (i: number) => `r${i}`;

const OPS: ReadonlyArray<readonly [weight: number, name: string, op: Op]> = [
  [
    12,
    'member add',
    (cache, pick, s, tag) => {
      const id = user(pick(s.users));
      return cache.transaction((tx) => {
        tx.users.set(id, { id, username: `${id}-${tag}` });
        tx.members.set(s.guildId, id, {
          user: { id },
          roles: [role(pick(s.roles))],
          nick: tag,
          guild_id: s.guildId,
        });
      });
    },
  ],
  [8, 'member remove', (cache, pick, s) => cache.members.delete(s.guildId, user(pick(s.users)))],
  [
    4,
    'member patch',
    (cache, pick, s, tag) => cache.members.patch(s.guildId, user(pick(s.users)), { nick: tag }),
  ],
  [
    6,
    'role edit',
    (cache, pick, s, tag) => {
      const id = role(pick(s.roles));
      return cache.roles.set(
        id,
        { id, guild_id: s.guildId, name: tag, position: pick(10) },
        { guildId: s.guildId },
      );
    },
  ],
  [2, 'role delete', (cache, pick, s) => cache.roles.delete(role(pick(s.roles)))],
  [
    6,
    'channel move',
    (cache, pick, s, tag) => {
      const id = channel(pick(s.channels));
      return cache.channels.set(
        id,
        { id, guild_id: s.guildId, parent_id: channel(pick(s.channels)), position: pick(20), topic: tag },
        { guildId: s.guildId },
      );
    },
  ],
  [2, 'channel delete', (cache, pick, s) => cache.channels.delete(channel(pick(s.channels)))],
  [
    10,
    'message',
    (cache, pick, s, tag) => {
      const channelId = channel(pick(s.channels));
      const authorId = user(pick(s.users));
      const id = `m${pick(400)}`;
      return cache.messages.set(
        id,
        { id, channel_id: channelId, guild_id: s.guildId, author: { id: authorId }, content: tag },
        { channelId, authorId, guildId: s.guildId },
      );
    },
  ],
  [
    5,
    'voice move',
    (cache, pick, s) => {
      const channelId = channel(pick(s.channels));
      const id = user(pick(s.users));
      return cache.voiceStates.set(s.guildId, id, { channel_id: channelId, user_id: id }, { channelId });
    },
  ],
  [2, 'voice leave', (cache, pick, s) => cache.voiceStates.delete(s.guildId, user(pick(s.users)))],
  [
    5,
    'presence',
    (cache, pick, s) => cache.presences.set(s.guildId, user(pick(s.users)), { status: 'online' }),
  ],
  [
    3,
    'reads',
    async (cache, pick, s) => {
      await cache.members.forGuild(s.guildId).count();
      await cache.members.get(s.guildId, user(pick(s.users)));
      return cache.channels.forGuild(s.guildId).count();
    },
  ],
  [1, 'guild delete', (cache, _pick, s) => cache.guilds.delete(s.guildId)],
  [
    1,
    'guild create',
    (cache, pick, s, tag) =>
      cache.transaction((tx) => {
        tx.guilds.set(s.guildId, { id: s.guildId, name: tag });
        for (let i = 0; i < s.channels; i++) {
          tx.channels.set(
            channel(i),
            { id: channel(i), guild_id: s.guildId, position: i },
            { guildId: s.guildId },
          );
        }
        for (let i = 0; i < s.roles; i++) {
          tx.roles.set(role(i), { id: role(i), guild_id: s.guildId, name: tag }, { guildId: s.guildId });
        }
        for (let i = 0; i < 6; i++) {
          const id = user(pick(s.users));
          tx.users.set(id, { id, username: id });
          tx.members.set(s.guildId, id, { user: { id }, roles: [], guild_id: s.guildId });
        }
      }),
  ],
];

const TOTAL_WEIGHT = OPS.reduce((sum, [weight]) => sum + weight, 0);

/** Picks and runs one random operation; resolves to its name. */
export async function churnStep(
  cache: BotCache,
  random: () => number,
  shape: ChurnShape,
  tag: string,
): Promise<string> {
  const pick = (n: number) => Math.floor(random() * n);
  let roll = random() * TOTAL_WEIGHT;
  for (const [weight, name, op] of OPS) {
    roll -= weight;
    if (roll < 0) {
      await op(cache, pick, shape, tag);
      return name;
    }
  }
  return 'none';
}
