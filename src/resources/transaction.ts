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

/**
 * Builds the recording facade over the real resource caches. Each resource's writer is made on first
 * use: a batch of events touches two or three resources, so most of them are never built.
 */
export function transactionResources<T extends ResourceValueTypes>(
  caches: ResourceCaches<T>,
  record: (step: TransactionStep) => void,
): TransactionResources<T> {
  return new RecordingResources(caches, record);
}

type Writers<T extends ResourceValueTypes> = {
  -readonly [K in keyof TransactionResources<T>]?: TransactionResources<T>[K];
};

class RecordingResources<T extends ResourceValueTypes> implements TransactionResources<T> {
  readonly #made: Writers<T> = {};

  readonly #caches: ResourceCaches<T>;
  readonly #record: (step: TransactionStep) => void;

  constructor(caches: ResourceCaches<T>, record: (step: TransactionStep) => void) {
    this.#caches = caches;
    this.#record = record;
  }

  #bound<V extends object>(cache: ResourceCaches<T>['channels' | 'roles' | 'emojis']): GuildBoundWrites<V> {
    const record = this.#record;
    return {
      set: (id: string, value: V, relations?: GuildRelation) =>
        record((plan) => cache.planSet(plan, id, value as never, relations)),
      delete: (id: string) => record((plan) => cache.planDeleteId(plan, id)),
    };
  }

  #guildUser<V extends object>(cache: ResourceCaches<T>['members' | 'presences']): GuildUserWrites<V> {
    const record = this.#record;
    return {
      set: (guildId: string, userId: string, value: V) =>
        record((plan) => cache.planSet(plan, guildId, userId, value as never)),
      delete: (guildId: string, userId: string) =>
        record((plan) => cache.planDeleteOf(plan, guildId, userId)),
    };
  }

  get guilds(): TransactionResources<T>['guilds'] {
    const { guilds } = this.#caches;
    const record = this.#record;
    this.#made.guilds ??= {
      set: (id, value) => record((plan) => guilds.planSet(plan, id, value)),
      delete: (id) => record((plan) => guilds.planDeleteId(plan, id)),
    };
    return this.#made.guilds;
  }

  get channels(): TransactionResources<T>['channels'] {
    this.#made.channels ??= this.#bound(this.#caches.channels);
    return this.#made.channels;
  }

  get roles(): TransactionResources<T>['roles'] {
    this.#made.roles ??= this.#bound(this.#caches.roles);
    return this.#made.roles;
  }

  get emojis(): TransactionResources<T>['emojis'] {
    this.#made.emojis ??= this.#bound(this.#caches.emojis);
    return this.#made.emojis;
  }

  get members(): TransactionResources<T>['members'] {
    this.#made.members ??= this.#guildUser(this.#caches.members);
    return this.#made.members;
  }

  get presences(): TransactionResources<T>['presences'] {
    this.#made.presences ??= this.#guildUser(this.#caches.presences);
    return this.#made.presences;
  }

  get voiceStates(): TransactionResources<T>['voiceStates'] {
    const { voiceStates } = this.#caches;
    const record = this.#record;
    this.#made.voiceStates ??= {
      set: (guildId, userId, value, relations) =>
        record((plan) => voiceStates.planSet(plan, guildId, userId, value, relations)),
      delete: (guildId, userId) => record((plan) => voiceStates.planDeleteOf(plan, guildId, userId)),
    };
    return this.#made.voiceStates;
  }

  get users(): TransactionResources<T>['users'] {
    const { users } = this.#caches;
    const record = this.#record;
    this.#made.users ??= {
      set: (id, value) => record((plan) => users.planSet(plan, id, value)),
      delete: (id, options) => record((plan) => users.planUserDelete(plan, id, options?.cascade === true)),
    };
    return this.#made.users;
  }

  get messages(): TransactionResources<T>['messages'] {
    const { messages } = this.#caches;
    const record = this.#record;
    this.#made.messages ??= {
      set: (id, value, relations) => record((plan) => messages.planSet(plan, id, value, relations)),
      delete: (id) => record((plan) => messages.planDeleteId(plan, id)),
    };
    return this.#made.messages;
  }

  get invites(): TransactionResources<T>['invites'] {
    const { invites } = this.#caches;
    const record = this.#record;
    this.#made.invites ??= {
      set: (code, value, relations) => record((plan) => invites.planSet(plan, code, value, relations)),
      delete: (code) => record((plan) => invites.planDeleteId(plan, code)),
    };
    return this.#made.invites;
  }

  get me(): TransactionResources<T>['me'] {
    const { me } = this.#caches;
    const record = this.#record;
    this.#made.me ??= {
      set: (value) => record((plan) => me.planSet(plan, value)),
      delete: () => record((plan) => me.planDelete(plan, 'me')),
    };
    return this.#made.me;
  }
}
