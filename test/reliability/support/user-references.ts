/**
 * A workload that moves users' references around, as several shard/worker processes produce it: users
 * shared across guilds join and leave them, write messages and lose them, in random order. Used by the
 * user-expiry concurrency test, whose check reads the references back independently.
 */
import type { BotCache } from '../../../src/resources/create-cache.js';

export interface ReferenceShape {
  readonly guilds: number;
  readonly users: number;
  /** Message ids are drawn from this pool, so processes overwrite and delete each other's messages. */
  readonly messages: number;
}

export const REFERENCE_SHAPE: ReferenceShape = { guilds: 3, users: 48, messages: 60 };

type Op = (
  cache: BotCache,
  pick: (n: number) => number,
  shape: ReferenceShape,
  tag: string,
) => Promise<unknown>;

export const guildId = (i: number) => `g${i}`;
export const userId = (i: number) => `u${i}`;
const messageId = (i: number) => `m${i}`;

const OPS: ReadonlyArray<readonly [weight: number, op: Op]> = [
  [
    8, // member add with its user, as GUILD_MEMBER_ADD brings both
    (cache, pick, s, tag) => {
      const id = userId(pick(s.users));
      const guild = guildId(pick(s.guilds));
      return cache.transaction((tx) => {
        tx.users.set(id, { id, username: `${id}-${tag}` });
        tx.members.set(guild, id, { user: { id }, nick: tag, guild_id: guild });
      });
    },
  ],
  [
    2, // member alone (its user may not be cached)
    (cache, pick, s, tag) => {
      const id = userId(pick(s.users));
      const guild = guildId(pick(s.guilds));
      return cache.members.set(guild, id, { user: { id }, nick: tag, guild_id: guild });
    },
  ],
  [12, (cache, pick, s) => cache.members.delete(guildId(pick(s.guilds)), userId(pick(s.users)))],
  [
    8, // a message with its author
    (cache, pick, s, tag) => {
      const author = userId(pick(s.users));
      const guild = guildId(pick(s.guilds));
      const id = messageId(pick(s.messages));
      return cache.transaction((tx) => {
        tx.users.set(author, { id: author, username: `${author}-${tag}` });
        tx.messages.set(
          id,
          { id, author: { id: author }, content: tag },
          { channelId: `c-${guild}`, authorId: author, guildId: guild },
        );
      });
    },
  ],
  [6, (cache, pick, s) => cache.messages.delete(messageId(pick(s.messages)))],
  [
    3, // the user alone (USER_UPDATE)
    (cache, pick, s, tag) => {
      const id = userId(pick(s.users));
      return cache.users.set(id, { id, username: tag });
    },
  ],
];

const TOTAL = OPS.reduce((sum, [weight]) => sum + weight, 0);

/** Runs one random operation of the workload. */
export function referenceStep(
  cache: BotCache,
  random: () => number,
  shape: ReferenceShape,
  tag: string,
): Promise<unknown> {
  const pick = (n: number) => Math.floor(random() * n);
  let roll = pick(TOTAL);
  for (const [weight, op] of OPS) {
    if (roll < weight) return op(cache, pick, shape, tag);
    roll -= weight;
  }
  throw new Error('unreachable');
}
