import type { GatewayEvent } from './gateway-events.js';
import type { MezonChannel, MezonClanUser, MezonRole, MezonUser } from './mezon-shapes.js';

/** How big a simulated session is. */
export interface SessionSize {
  readonly guilds: number;
  /** Members per clan at login. */
  readonly members: number;
  /** Messages over the whole session. */
  readonly messages: number;
}

const CHANNELS_PER_CLAN = 6;
const ROLES_PER_CLAN = 5;
/** One message in this many is followed by a member joining or leaving a clan. */
const CHURN_EVERY = 10;
/** One message in this many is followed by a role edit. */
const ROLE_EDIT_EVERY = 50;
/** Share of messages that are bot commands (the rest is chat the plugins also see). */
const COMMAND_SHARE = 0.25;

/**
 * A deterministic Mezon bot session: clans arrive at login, then messages flow with member churn and
 * role edits mixed in. It also plays the Mezon REST API: `lookupUser` is the source of truth a cache
 * miss falls back to, and it counts every call, so the demo can show how many the cache avoided.
 */
export class SessionSimulator {
  readonly botId = '1840000000000000001';
  /** Every user the API knows, including people in no clan the bot sees (a `!whois` may name them). */
  readonly #users = new Map<string, MezonUser>();
  readonly #userIds: string[] = [];
  readonly #clanIds: string[] = [];
  readonly #clanMembers = new Map<string, string[]>();
  readonly #clanChannels = new Map<string, MezonChannel[]>();
  readonly #clanRoles = new Map<string, MezonRole[]>();
  #nextId = 1_850_000_000_000_000_000n;
  #seed = 7;
  apiCalls = 0;

  constructor(readonly size: SessionSize) {
    // Strangers: users the API knows that the bot has never seen, so some lookups miss.
    for (let i = 0; i < Math.max(10, size.members); i++) this.#newUser();
  }

  /** Events a full run produces, for the progress bar. */
  get totalEvents(): number {
    const { guilds, messages } = this.size;
    return guilds + messages + Math.floor(messages / CHURN_EVERY) + Math.floor(messages / ROLE_EDIT_EVERY);
  }

  /** The simulated REST call `GET /v2/user/{id}`: counted, so avoided calls can be reported. */
  async lookupUser(userId: string): Promise<MezonUser | undefined> {
    this.apiCalls++;
    return this.#users.get(userId);
  }

  /** A random user id the API knows (cached or not): what `!whois` asks about. */
  anyUserId(): string {
    return this.#userIds[this.#random(this.#userIds.length)] as string;
  }

  *events(): Generator<GatewayEvent> {
    const { guilds, messages } = this.size;
    const clanIds: string[] = [];
    for (let g = 0; g < guilds; g++) {
      const event = this.#clanJoined(g);
      clanIds.push(event.clan.clan_id);
      yield event;
    }
    this.#clanIds.push(...clanIds);
    yield* this.traffic(messages);
  }

  /**
   * Messages with churn and role edits mixed in, over the clans already joined; `Infinity` for a
   * stream that never ends (the dashboard's live bot).
   */
  *traffic(messages: number): Generator<GatewayEvent> {
    const clanIds = this.#clanIds;
    if (clanIds.length === 0) return;
    for (let m = 1; m <= messages; m++) {
      const clanId = clanIds[this.#random(clanIds.length)] as string;
      const message = this.#message(clanId);
      if (message) yield message;
      if (m % CHURN_EVERY === 0) yield this.#churn(clanIds[this.#random(clanIds.length)] as string);
      if (m % ROLE_EDIT_EVERY === 0) yield this.#roleEdit(clanIds[this.#random(clanIds.length)] as string);
    }
  }

  #clanJoined(index: number): Extract<GatewayEvent, { type: 'clan_joined' }> {
    const clanId = this.#id();
    const channels = Array.from({ length: CHANNELS_PER_CLAN }, (_, c) => ({
      channel_id: this.#id(),
      clan_id: clanId,
      channel_label: ['general', 'random', 'help', 'dev', 'off-topic', 'announcements'][c] ?? `channel-${c}`,
      type: 1,
    }));
    const roles = Array.from({ length: ROLES_PER_CLAN }, (_, r) => ({
      id: this.#id(),
      clan_id: clanId,
      title: ['Admin', 'Moderator', 'Member', 'Bot', 'Guest'][r] ?? `role-${r}`,
      color: '#5865f2',
      max_level_permission: ROLES_PER_CLAN - r,
    }));
    const members = Array.from({ length: this.size.members }, () => {
      const user = this.#newUser();
      return { user, member: this.#member(clanId, user, roles) };
    });
    this.#clanChannels.set(clanId, channels);
    this.#clanRoles.set(clanId, roles);
    this.#clanMembers.set(
      clanId,
      members.map((m) => m.user.id),
    );
    const clan = { clan_id: clanId, clan_name: `demo clan ${index + 1}`, creator_id: this.botId, logo: '' };
    return { type: 'clan_joined', clan, channels, roles, members };
  }

  #message(clanId: string): Extract<GatewayEvent, { type: 'channel_message' }> | undefined {
    const members = this.#clanMembers.get(clanId) ?? [];
    const channels = this.#clanChannels.get(clanId) ?? [];
    if (members.length === 0 || channels.length === 0) return undefined;
    const senderId = members[this.#random(members.length)] as string;
    const channel = channels[this.#random(channels.length)] as MezonChannel;
    const text = this.#randomUnit() < COMMAND_SHARE ? this.#command() : `hello from ${senderId.slice(-4)}`;
    const message = {
      message_id: this.#id(),
      clan_id: clanId,
      channel_id: channel.channel_id,
      sender_id: senderId,
      username: this.#users.get(senderId)?.username ?? 'unknown',
      content: { t: text },
      create_time: new Date(1_760_000_000_000 + Number(this.#nextId % 1_000_000n)).toISOString(),
    };
    return { type: 'channel_message', message };
  }

  #command(): string {
    const pick = this.#random(3);
    if (pick === 0) return `!whois ${this.anyUserId()}`;
    return pick === 1 ? '!roles' : '!clan';
  }

  #churn(clanId: string): GatewayEvent {
    const members = this.#clanMembers.get(clanId) ?? [];
    // Leaves and joins alternate with equal odds, so clan sizes wander but do not drain.
    if (members.length > 1 && this.#random(2) === 0) {
      const [userId] = members.splice(this.#random(members.length), 1) as [string];
      return { type: 'user_clan_removed', clanId, userId };
    }
    const user = this.#newUser();
    members.push(user.id);
    return {
      type: 'add_clan_user',
      user,
      member: this.#member(clanId, user, this.#clanRoles.get(clanId) ?? []),
    };
  }

  #roleEdit(clanId: string): GatewayEvent {
    const roles = this.#clanRoles.get(clanId) ?? [];
    const role = roles[this.#random(roles.length)] as MezonRole;
    const edited = { ...role, color: `#${this.#random(0xffffff).toString(16).padStart(6, '0')}` };
    roles[roles.indexOf(role)] = edited;
    return { type: 'role_updated', role: edited };
  }

  #newUser(): MezonUser {
    const id = this.#id();
    const user = {
      id,
      username: `user${id.slice(-6)}`,
      display_name: `User ${id.slice(-4)}`,
      avatar_url: `https://cdn.mezon.ai/avatars/${id}.png`,
    };
    this.#users.set(id, user);
    this.#userIds.push(id);
    return user;
  }

  #member(clanId: string, user: MezonUser, roles: readonly MezonRole[]): MezonClanUser {
    const role = roles[2 + this.#random(Math.max(1, roles.length - 2))];
    return {
      user_id: user.id,
      clan_id: clanId,
      clan_nick: user.display_name,
      role_id: role ? [role.id] : [],
    };
  }

  #id(): string {
    this.#nextId += 1n + BigInt(this.#random(4096));
    return String(this.#nextId);
  }

  /** A seeded LCG: every run of the same size is the same session. */
  #randomUnit(): number {
    this.#seed = (this.#seed * 1103515245 + 12345) & 0x7fffffff;
    return this.#seed / 0x80000000;
  }

  #random(below: number): number {
    return Math.floor(this.#randomUnit() * below);
  }
}
