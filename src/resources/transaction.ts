import type { GuildRelation } from './guild-bound-cache.js';
import type { InviteRelation } from './invite-cache.js';
import type { MessageRelation } from './message-cache.js';
import type { ResourceCaches } from './resource-caches.js';
import type { UserDeleteOptions } from './user-cache.js';
import type { ResourceValueTypes, ValueOf } from './value-types.js';
import type { VoiceStateRelation } from './voice-state-cache.js';
import type { WritePlan } from './write-plan.js';

/** A step of a transaction: adds its operations to the shared plan. */
export type TransactionStep = (plan: WritePlan) => unknown;

/**
 * The resources as seen inside `cache.transaction(tx => …)`: each call records a write; all of them are
 * applied together as ONE store batch when the callback returns. Reads (and `patch`) are not offered:
 * they would see the state before the transaction.
 */
export interface TransactionResources<T extends ResourceValueTypes> {
  readonly guilds: { set(id: string, value: ValueOf<T, 'guilds'>): void; delete(id: string): void };
  readonly channels: GuildBoundWrites<ValueOf<T, 'channels'>>;
  readonly roles: GuildBoundWrites<ValueOf<T, 'roles'>>;
  readonly emojis: GuildBoundWrites<ValueOf<T, 'emojis'>>;
  readonly members: GuildUserWrites<ValueOf<T, 'members'>>;
  readonly presences: GuildUserWrites<ValueOf<T, 'presences'>>;
  readonly voiceStates: {
    set(
      guildId: string,
      userId: string,
      value: ValueOf<T, 'voiceStates'>,
      relations?: VoiceStateRelation,
    ): void;
    delete(guildId: string, userId: string): void;
  };
  readonly users: {
    set(id: string, value: ValueOf<T, 'users'>): void;
    delete(id: string, options?: UserDeleteOptions): void;
  };
  readonly messages: {
    set(id: string, value: ValueOf<T, 'messages'>, relations: MessageRelation): void;
    delete(id: string): void;
  };
  readonly invites: {
    set(code: string, value: ValueOf<T, 'invites'>, relations?: InviteRelation): void;
    delete(code: string): void;
  };
  readonly me: { set(value: ValueOf<T, 'me'>): void; delete(): void };
}

export interface GuildBoundWrites<V> {
  set(id: string, value: V, relations?: GuildRelation): void;
  delete(id: string): void;
}

export interface GuildUserWrites<V> {
  set(guildId: string, userId: string, value: V): void;
  delete(guildId: string, userId: string): void;
}

/** Builds the recording facade over the real resource caches. */
export function transactionResources<T extends ResourceValueTypes>(
  caches: ResourceCaches<T>,
  record: (step: TransactionStep) => void,
): TransactionResources<T> {
  const { guilds, channels, roles, emojis, members, presences, voiceStates, users, messages, invites, me } =
    caches;
  const bound = <V extends object>(cache: typeof channels | typeof roles | typeof emojis) =>
    ({
      set: (id: string, value: V, relations?: GuildRelation) =>
        record((plan) => cache.planSet(plan, id, value as never, relations)),
      delete: (id: string) => record((plan) => cache.planDeleteId(plan, id)),
    }) satisfies GuildBoundWrites<V>;
  const guildUser = <V extends object>(cache: typeof members | typeof presences) =>
    ({
      set: (guildId: string, userId: string, value: V) =>
        record((plan) => cache.planSet(plan, guildId, userId, value as never)),
      delete: (guildId: string, userId: string) =>
        record((plan) => cache.planDeleteOf(plan, guildId, userId)),
    }) satisfies GuildUserWrites<V>;
  return {
    guilds: {
      set: (id, value) => record((plan) => guilds.planSet(plan, id, value)),
      delete: (id) => record((plan) => guilds.planDeleteId(plan, id)),
    },
    channels: bound(channels),
    roles: bound(roles),
    emojis: bound(emojis),
    members: guildUser(members),
    presences: guildUser(presences),
    voiceStates: {
      set: (guildId, userId, value, relations) =>
        record((plan) => voiceStates.planSet(plan, guildId, userId, value, relations)),
      delete: (guildId, userId) => record((plan) => voiceStates.planDeleteOf(plan, guildId, userId)),
    },
    users: {
      set: (id, value) => record((plan) => users.planSet(plan, id, value)),
      delete: (id, options) => record((plan) => users.planUserDelete(plan, id, options?.cascade === true)),
    },
    messages: {
      set: (id, value, relations) => record((plan) => messages.planSet(plan, id, value, relations)),
      delete: (id) => record((plan) => messages.planDeleteId(plan, id)),
    },
    invites: {
      set: (code, value, relations) => record((plan) => invites.planSet(plan, code, value, relations)),
      delete: (code) => record((plan) => invites.planDeleteId(plan, code)),
    },
    me: {
      set: (value) => record((plan) => me.planSet(plan, value)),
      delete: () => record((plan) => me.planDelete(plan, 'me')),
    },
  };
}
