/**
 * The writes of one Mezon event, staged and then applied through ONE `cache.transaction`: a channel
 * message upserts the message, its sender's user and clan member; a role event the role and several
 * members. If the store refuses the batch, none of it is applied, so no reader ever sees half an event.
 *
 * Reads go through the staged writes first, so a handler that touches one entity twice (a user both
 * added to and removed from a role) sees its own earlier write, as it would with direct writes.
 */
import type { MezonCacheTarget, MezonTransaction } from './cache-target.js';
import type {
  MezonChannelRecord,
  MezonClanRecord,
  MezonMemberRecord,
  MezonMessageRecord,
  MezonRoleRecord,
  MezonUserRecord,
  MezonVoiceStateRecord,
} from './records.js';

type Step = (tx: MezonTransaction) => void;

/** A staged value, or `null` for a staged delete. */
type Staged = object | null;

export class EventBatch {
  readonly cache: MezonCacheTarget;
  readonly #steps: Step[] = [];
  readonly #staged = new Map<string, Staged>();

  constructor(cache: MezonCacheTarget) {
    this.cache = cache;
  }

  /** The entities staged so far, as `resource:id` (`channels:1`, `members:clan:user`). */
  stagedKeys(): string[] {
    return [...this.#staged.keys()];
  }

  /** How many writes are staged. */
  get size(): number {
    return this.#steps.length;
  }

  clan(id: string): Promise<MezonClanRecord | undefined> {
    return this.#read(`guilds:${id}`, () => this.cache.guilds.get(id));
  }

  setClan(clan: MezonClanRecord): void {
    this.#stage(`guilds:${clan.id}`, clan, (tx) => tx.guilds.set(clan.id, clan));
  }

  /** Deletes the clan and, in the same batch, everything bound to it. */
  deleteClan(id: string): void {
    this.#stage(`guilds:${id}`, null, (tx) => tx.guilds.delete(id));
  }

  channel(id: string): Promise<MezonChannelRecord | undefined> {
    return this.#read(`channels:${id}`, () => this.cache.channels.get(id));
  }

  /** Writes the channel, bound to its clan when it has one (a DM channel keeps no clan link). */
  setChannel(channel: MezonChannelRecord): void {
    const relations = channel.clan_id === undefined ? {} : { guildId: channel.clan_id };
    this.#stage(`channels:${channel.channel_id}`, channel, (tx) =>
      tx.channels.set(channel.channel_id, channel, relations),
    );
  }

  deleteChannel(id: string): void {
    this.#stage(`channels:${id}`, null, (tx) => tx.channels.delete(id));
  }

  role(id: string): Promise<MezonRoleRecord | undefined> {
    return this.#read(`roles:${id}`, () => this.cache.roles.get(id));
  }

  setRole(role: MezonRoleRecord): void {
    this.#stage(`roles:${role.id}`, role, (tx) => tx.roles.set(role.id, role, { guildId: role.clan_id }));
  }

  deleteRole(id: string): void {
    this.#stage(`roles:${id}`, null, (tx) => tx.roles.delete(id));
  }

  user(id: string): Promise<MezonUserRecord | undefined> {
    return this.#read(`users:${id}`, () => this.cache.users.get(id));
  }

  setUser(user: MezonUserRecord): void {
    this.#stage(`users:${user.id}`, user, (tx) => tx.users.set(user.id, user));
  }

  member(clanId: string, userId: string): Promise<MezonMemberRecord | undefined> {
    return this.#read(`members:${clanId}:${userId}`, () => this.cache.members.get(clanId, userId));
  }

  setMember(member: MezonMemberRecord): void {
    const { clan_id: clanId, user_id: userId } = member;
    this.#stage(`members:${clanId}:${userId}`, member, (tx) => tx.members.set(clanId, userId, member));
  }

  deleteMember(clanId: string, userId: string): void {
    this.#stage(`members:${clanId}:${userId}`, null, (tx) => tx.members.delete(clanId, userId));
  }

  message(id: string): Promise<MezonMessageRecord | undefined> {
    return this.#read(`messages:${id}`, () => this.cache.messages.get(id));
  }

  setMessage(message: MezonMessageRecord): void {
    // Bound to its clan too: `messages.forGuild(clanId)` finds it and the clan's deletion takes it along,
    // even in a thread the cache never held.
    const relations = {
      channelId: message.channel_id,
      authorId: message.sender_id,
      ...(message.clan_id !== undefined && { guildId: message.clan_id }),
    };
    this.#stage(`messages:${message.id}`, message, (tx) => tx.messages.set(message.id, message, relations));
  }

  deleteMessage(id: string): void {
    this.#stage(`messages:${id}`, null, (tx) => tx.messages.delete(id));
  }

  voiceState(clanId: string, userId: string): Promise<MezonVoiceStateRecord | undefined> {
    return this.#read(`voiceStates:${clanId}:${userId}`, () => this.cache.voiceStates.get(clanId, userId));
  }

  setVoiceState(state: MezonVoiceStateRecord): void {
    const { clan_id: clanId, user_id: userId } = state;
    this.#stage(`voiceStates:${clanId}:${userId}`, state, (tx) =>
      tx.voiceStates.set(clanId, userId, state, { channelId: state.voice_channel_id }),
    );
  }

  deleteVoiceState(clanId: string, userId: string): void {
    this.#stage(`voiceStates:${clanId}:${userId}`, null, (tx) => tx.voiceStates.delete(clanId, userId));
  }

  /** Applies every staged write as one store batch; nothing is written when none were staged. */
  async commit(): Promise<void> {
    const steps = this.#steps.splice(0);
    this.#staged.clear();
    if (steps.length === 0) return;
    await this.cache.transaction((tx) => {
      for (const step of steps) step(tx);
    });
  }

  async #read<V>(key: string, load: () => Promise<object | undefined>): Promise<V | undefined> {
    if (this.#staged.has(key)) return (this.#staged.get(key) ?? undefined) as V | undefined;
    return (await load()) as V | undefined;
  }

  #stage(key: string, value: Staged, step: Step): void {
    this.#staged.set(key, value);
    this.#steps.push(step);
  }
}
