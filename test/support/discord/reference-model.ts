/**
 * An independent reference model of what Discord's gateway dispatches do to a cache, written from
 * discord-api-docs (Gateway Events) and discord.js's actions (src/client/actions/*.js), not from
 * botcache's adapter. Plain Maps, one dispatch at a time, no batching, no stores. Its `dump()` has the
 * shape of `dumpCache()`, so a differential test compares the two with one `toEqual`.
 *
 * Value conventions of the standard (docs/discord.md): a guild is its GUILD_CREATE payload without the
 * lists that are resources of their own; channels and threads from a GUILD_CREATE get the `guild_id`
 * the list omits; members are stored without `guild_id`; presences and voice states carry `guild_id`,
 * voice states without their `member`.
 */
import { type CacheDump, canonical, type DumpEntry, type DumpLinks, type TtlClass } from '../cache-dump.js';

type Json = Record<string, unknown>;

interface Bound {
  value: Json;
  guildId: string | undefined;
}
interface MessageEntry {
  value: Json;
  channelId: string;
  guildId: string | undefined;
  authorId: string | undefined;
}
interface InviteEntry {
  value: Json;
  channelId: string;
  guildId: string | undefined;
}
interface VoiceEntry {
  value: Json;
  channelId: string | undefined;
}

export interface ReferenceModelOptions {
  /** The per-channel message cap the cache under test uses (discord.js: `MessageManager` maxSize 200). */
  readonly maxPerChannel: number;
}

const COLLECTIONS = new Set([
  'channels',
  'threads',
  'members',
  'presences',
  'voice_states',
  'roles',
  'emojis',
]);
const THREAD_TYPES = new Set([10, 11, 12]);

function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}
function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(obj).filter((v): v is Json => v !== undefined) : [];
}
const gu = (guildId: string, userId: string) => `${guildId}/${userId}`;

export class DiscordReferenceModel {
  me: Json | undefined;
  readonly guilds = new Map<string, Json>();
  readonly channels = new Map<string, Bound>();
  readonly roles = new Map<string, Bound>();
  readonly emojis = new Map<string, Bound>();
  readonly members = new Map<string, Json>();
  readonly users = new Map<string, Json>();
  /** Insertion order is per-channel age (a JS Map keeps it; re-setting a key keeps its place, as in discord.js). */
  readonly messages = new Map<string, MessageEntry>();
  readonly presences = new Map<string, Json>();
  readonly voiceStates = new Map<string, VoiceEntry>();
  readonly invites = new Map<string, InviteEntry>();
  /** Dispatches waiting for their guild's GUILD_CREATE, in arrival order. */
  readonly pending = new Map<string, [t: string, d: Json][]>();

  constructor(private readonly options: ReferenceModelOptions) {}

  /** Applies one dispatch. Unknown events and dispatches for guilds never created change nothing. */
  apply(t: string, d: Json): void {
    const guildId = str(d.guild_id);
    // A guild's events belong after its GUILD_CREATE. botcache's choice where Discord is silent: early
    // ones wait for it and are applied right after it (dropped if the bot leaves or it never comes).
    const needsGuild =
      !['READY', 'USER_UPDATE', 'GUILD_CREATE', 'GUILD_DELETE'].includes(t) && !t.startsWith('MESSAGE_');
    if (needsGuild && guildId !== undefined && !this.guilds.has(guildId)) {
      const waiting = this.pending.get(guildId) ?? [];
      waiting.push([t, d]);
      this.pending.set(guildId, waiting);
      return;
    }
    switch (t) {
      case 'READY':
        this.ready(d);
        return;
      case 'USER_UPDATE':
        this.me = d;
        this.users.set(d.id as string, d);
        return;
      case 'GUILD_CREATE':
        if (d.unavailable !== true) {
          this.guildCreate(d);
          const waiting = this.pending.get(d.id as string) ?? [];
          this.pending.delete(d.id as string);
          for (const [pt, pd] of waiting) this.apply(pt, pd);
          return;
        }
        this.markUnavailable(d.id as string);
        return;
      case 'GUILD_UPDATE':
        this.guildUpdate(d);
        return;
      case 'GUILD_DELETE':
        // Docs: `unavailable` set means an outage; not set means the bot was removed from the guild.
        if (d.unavailable === true) this.markUnavailable(d.id as string);
        else this.deleteGuild(d.id as string);
        return;
      case 'CHANNEL_CREATE':
      case 'CHANNEL_UPDATE':
      case 'THREAD_CREATE':
      case 'THREAD_UPDATE':
        this.channels.set(d.id as string, { value: d, guildId });
        return;
      case 'CHANNEL_DELETE':
      case 'THREAD_DELETE':
        this.deleteChannel(d.id as string);
        return;
      case 'GUILD_ROLE_CREATE':
      case 'GUILD_ROLE_UPDATE': {
        const role = obj(d.role) as Json;
        this.roles.set(role.id as string, { value: role, guildId });
        return;
      }
      case 'GUILD_ROLE_DELETE':
        this.roleDelete(guildId as string, d.role_id as string);
        return;
      case 'GUILD_EMOJIS_UPDATE':
        this.replaceBound(this.emojis, guildId as string, list(d.emojis));
        return;
      case 'GUILD_MEMBER_ADD':
      case 'GUILD_MEMBER_UPDATE':
        this.memberUpsert(guildId as string, d, t === 'GUILD_MEMBER_UPDATE');
        return;
      case 'GUILD_MEMBER_REMOVE':
        this.memberRemove(guildId as string, d);
        return;
      case 'GUILD_MEMBERS_CHUNK':
        for (const member of list(d.members)) this.memberUpsert(guildId as string, member, false);
        return;
      case 'PRESENCE_UPDATE':
        this.presenceUpdate(guildId as string, d);
        return;
      case 'VOICE_STATE_UPDATE':
        this.voiceStateUpdate(d);
        return;
      case 'MESSAGE_CREATE':
        this.messageCreate(d);
        return;
      case 'MESSAGE_UPDATE':
        this.messageUpdate(d);
        return;
      case 'MESSAGE_DELETE':
        this.messages.delete(d.id as string);
        return;
      case 'MESSAGE_DELETE_BULK':
        for (const id of d.ids as string[]) this.messages.delete(id);
        return;
      case 'INVITE_CREATE':
        this.inviteCreate(d);
        return;
      case 'INVITE_DELETE':
        this.invites.delete(d.code as string);
        return;
      default:
        return; // MESSAGE_REACTION_*, TYPING_START…: not kept by the standard.
    }
  }

  private fullUser(user: unknown): Json | undefined {
    const u = obj(user);
    // Partial users (`{ id }` in presences) carry no username: discord.js's User#_patch keeps the old fields.
    return u && typeof u.username === 'string' ? u : undefined;
  }

  private ready(d: Json): void {
    const user = obj(d.user) as Json;
    this.me = user;
    this.users.set(user.id as string, user);
    // The guilds READY lists are the bot's guilds now: a cached guild it no longer lists was left while away.
    const listed = new Set(list(d.guilds).map((g) => g.id as string));
    for (const id of [...this.guilds.keys()]) if (!listed.has(id)) this.deleteGuild(id);
  }

  private markUnavailable(guildId: string): void {
    const guild = this.guilds.get(guildId);
    if (guild) this.guilds.set(guildId, { ...guild, unavailable: true });
  }

  private guildValue(d: Json): Json {
    return Object.fromEntries(Object.entries(d).filter(([field]) => !COLLECTIONS.has(field)));
  }

  /** A GUILD_CREATE is the guild's whole state: what it does not list is gone (discord.js GuildCreate → _patch). */
  private guildCreate(d: Json): void {
    const guildId = d.id as string;
    this.guilds.set(guildId, this.guildValue(d));
    const channels = [...list(d.channels), ...list(d.threads)].map(
      (c): Json => ({ ...c, guild_id: guildId }),
    );
    const keep = new Set(channels.map((c) => c.id as string));
    for (const [id, channel] of [...this.channels])
      if (channel.guildId === guildId && !keep.has(id)) this.deleteChannel(id);
    for (const channel of channels) this.channels.set(channel.id as string, { value: channel, guildId });
    this.replaceBound(this.roles, guildId, list(d.roles));
    this.replaceBound(this.emojis, guildId, list(d.emojis));
    const members = list(d.members);
    const memberIds = new Set(members.map((m) => (obj(m.user) as Json).id as string));
    for (const key of [...this.members.keys()]) {
      const [g, u] = key.split('/') as [string, string];
      if (g === guildId && !memberIds.has(u)) this.members.delete(key);
    }
    for (const member of members) this.memberUpsert(guildId, member, false);
    this.replaceGuildUser(
      this.presences,
      guildId,
      list(d.presences).map((p) => [(obj(p.user) as Json).id as string, { ...p, guild_id: guildId }]),
    );
    const voice = list(d.voice_states).map((v): [string, VoiceEntry] => [
      v.user_id as string,
      { value: { ...v, guild_id: guildId }, channelId: str(v.channel_id) },
    ]);
    this.replaceGuildUser(this.voiceStates, guildId, voice);
  }

  private guildUpdate(d: Json): void {
    const guildId = d.id as string;
    this.guilds.set(guildId, { ...this.guilds.get(guildId), ...this.guildValue(d) });
    if ('roles' in d) this.replaceBound(this.roles, guildId, list(d.roles));
    if ('emojis' in d) this.replaceBound(this.emojis, guildId, list(d.emojis));
  }

  private replaceBound(map: Map<string, Bound>, guildId: string, items: Json[]): void {
    const keep = new Set(items.map((i) => i.id as string));
    for (const [id, entry] of [...map]) if (entry.guildId === guildId && !keep.has(id)) map.delete(id);
    for (const item of items) map.set(item.id as string, { value: item, guildId });
  }

  private replaceGuildUser<V>(map: Map<string, V>, guildId: string, items: [string, V][]): void {
    const keep = new Set(items.map(([userId]) => userId));
    for (const key of [...map.keys()]) {
      const [g, u] = key.split('/') as [string, string];
      if (g === guildId && !keep.has(u)) map.delete(key);
    }
    for (const [userId, value] of items) map.set(gu(guildId, userId), value);
  }

  /** Removed from the guild: everything bound to it goes (discord.js GuildDelete → client.guilds.cache.delete). */
  private deleteGuild(guildId: string): void {
    this.guilds.delete(guildId);
    this.pending.delete(guildId);
    for (const [id, channel] of [...this.channels]) if (channel.guildId === guildId) this.deleteChannel(id);
    for (const map of [this.roles, this.emojis])
      for (const [id, e] of [...map]) if (e.guildId === guildId) map.delete(id);
    for (const map of [this.members, this.presences, this.voiceStates] as Map<string, unknown>[])
      for (const key of [...map.keys()]) if (key.startsWith(`${guildId}/`)) map.delete(key);
    for (const [code, invite] of [...this.invites]) if (invite.guildId === guildId) this.invites.delete(code);
    for (const [id, message] of [...this.messages]) if (message.guildId === guildId) this.messages.delete(id);
  }

  /** A channel's messages and invites go with it (discord.js ChannelDelete), and the voice states in it. */
  private deleteChannel(channelId: string): void {
    this.channels.delete(channelId);
    for (const [id, message] of [...this.messages])
      if (message.channelId === channelId) this.messages.delete(id);
    for (const [code, invite] of [...this.invites])
      if (invite.channelId === channelId) this.invites.delete(code);
    for (const [key, voice] of [...this.voiceStates])
      if (voice.channelId === channelId) this.voiceStates.delete(key);
  }

  /** discord.js GuildRoleDelete: the role leaves the guild, so no member holds it any more. */
  private roleDelete(guildId: string, roleId: string): void {
    this.roles.delete(roleId);
    for (const [key, member] of this.members) {
      if (key.startsWith(`${guildId}/`) && Array.isArray(member.roles) && member.roles.includes(roleId))
        this.members.set(key, { ...member, roles: member.roles.filter((id) => id !== roleId) });
    }
  }

  /** GUILD_MEMBER_UPDATE may omit fields (deaf, mute): merged over the cached member (discord.js GuildMember#_patch). */
  private memberUpsert(guildId: string, d: Json, merge: boolean): void {
    const user = obj(d.user) as Json;
    const userId = user.id as string;
    const { guild_id: _g, ...member } = d;
    const full = this.fullUser(user);
    if (full) this.users.set(userId, full);
    const key = gu(guildId, userId);
    this.members.set(key, merge ? { ...this.members.get(key), ...member } : member);
  }

  /** discord.js GuildMemberRemove: the member, its presence and its voice state go; the user stays. */
  private memberRemove(guildId: string, d: Json): void {
    const user = obj(d.user) as Json;
    const full = this.fullUser(user);
    if (full) this.users.set(user.id as string, full);
    const key = gu(guildId, user.id as string);
    this.members.delete(key);
    this.presences.delete(key);
    this.voiceStates.delete(key);
  }

  /** Docs: an offline user's presence is not sent in GUILD_CREATE, so offline means "no presence". */
  private presenceUpdate(guildId: string, d: Json): void {
    const user = obj(d.user) as Json;
    const full = this.fullUser(user);
    if (full) this.users.set(user.id as string, full);
    const key = gu(guildId, user.id as string);
    if (d.status === 'offline') this.presences.delete(key);
    else this.presences.set(key, d);
  }

  /** `channel_id: null` means the user left voice (docs: Voice State Update). */
  private voiceStateUpdate(d: Json): void {
    const guildId = str(d.guild_id);
    if (guildId === undefined) return;
    const userId = d.user_id as string;
    const member = obj(d.member);
    if (member) {
      const user = obj(member.user) as Json;
      this.users.set(user.id as string, user);
      this.members.set(gu(guildId, user.id as string), member);
    }
    const channelId = str(d.channel_id);
    const key = gu(guildId, userId);
    if (channelId === undefined) {
      this.voiceStates.delete(key);
      return;
    }
    const { member: _m, ...value } = d;
    this.voiceStates.set(key, { value, channelId });
  }

  private messageCreate(d: Json): void {
    const author = obj(d.author) as Json;
    const webhook = d.webhook_id !== undefined && d.webhook_id !== null;
    const full = webhook ? undefined : this.fullUser(author);
    if (full) this.users.set(author.id as string, full);
    this.putMessage(d);
  }

  /** Stores a message under the per-channel cap: discord.js's LimitedCollection drops the oldest at each set. */
  private putMessage(d: Json): void {
    const id = d.id as string;
    const channelId = d.channel_id as string;
    const webhook = d.webhook_id !== undefined && d.webhook_id !== null;
    const entry: MessageEntry = {
      value: d,
      channelId,
      guildId: str(d.guild_id),
      authorId: webhook ? undefined : ((obj(d.author) as Json).id as string),
    };
    const existing = this.messages.get(id);
    if (existing && existing.channelId === channelId) {
      this.messages.set(id, entry); // keeps its place
      return;
    }
    if (existing) this.messages.delete(id);
    const inChannel = [...this.messages].filter(([, m]) => m.channelId === channelId);
    if (inChannel.length >= this.options.maxPerChannel)
      this.messages.delete((inChannel[0] as [string, MessageEntry])[0]);
    this.messages.set(id, entry);
  }

  /**
   * MESSAGE_UPDATE may carry only the changed fields (docs: "unlike creates, message updates may contain
   * only a subset of the full message object"): merged over the cached message. An uncached message is
   * kept only when the update is a whole message (it has an author). Only a new message writes the author.
   */
  private messageUpdate(d: Json): void {
    const cached = this.messages.get(d.id as string);
    if (cached) {
      this.putMessage({ ...cached.value, ...d });
      return;
    }
    if ('author' in d) this.messageCreate(d);
  }

  private inviteCreate(d: Json): void {
    for (const field of ['inviter', 'target_user']) {
      const full = this.fullUser(d[field]);
      if (full) this.users.set(full.id as string, full);
    }
    this.invites.set(d.code as string, {
      value: d,
      channelId: d.channel_id as string,
      guildId: str(d.guild_id),
    });
  }

  /** The state in `dumpCache()`'s shape. Users are kept for ever while a member references them. */
  dump(): CacheDump {
    const entry = (value: Json, ttl: TtlClass, links: DumpLinks): DumpEntry => ({
      value: canonical(value),
      ttl,
      links,
    });
    const sorted = (entries: [string, DumpEntry][]) =>
      Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const bound = (map: Map<string, Bound>) =>
      sorted(
        [...map].map(([id, e]) => [
          id,
          entry(e.value, 'never', e.guildId && this.guilds.has(e.guildId) ? { guild: [e.guildId] } : {}),
        ]),
      );
    const guildUser = <V>(
      map: Map<string, V>,
      read: (v: V) => Json,
      links: (key: string, v: V) => DumpLinks,
    ) => sorted([...map].map(([key, v]) => [key, entry(read(v), 'never', links(key, v))]));
    const referenced = new Set([...this.members.keys()].map((key) => key.split('/')[1] as string));
    const channelLink = (channelId: string | undefined): DumpLinks =>
      channelId ? { channel: [channelId] } : {};
    return {
      guilds: sorted([...this.guilds].map(([id, v]) => [id, entry(v, 'never', {})])),
      channels: bound(this.channels),
      roles: bound(this.roles),
      emojis: bound(this.emojis),
      members: guildUser(
        this.members,
        (v) => v,
        (key) => ({ guild: [key.split('/')[0] as string], user: [key.split('/')[1] as string] }),
      ),
      users: sorted(
        [...this.users].map(([id, v]) => [id, entry(v, referenced.has(id) ? 'never' : 'expires', {})]),
      ),
      messages: sorted(
        [...this.messages].map(([id, m]) => {
          const links: DumpLinks = {};
          if (m.authorId) links.author = [m.authorId];
          links.channel = [m.channelId];
          if (m.guildId) links.guild = [m.guildId];
          return [id, entry(m.value, 'expires', links)];
        }),
      ),
      presences: guildUser(
        this.presences,
        (v) => v,
        (key) => ({ guild: [key.split('/')[0] as string] }),
      ),
      voiceStates: guildUser(
        this.voiceStates,
        (v) => v.value,
        (key, v) => ({ ...channelLink(v.channelId), guild: [key.split('/')[0] as string] }),
      ),
      invites: sorted(
        [...this.invites].map(([code, i]) => [
          code,
          entry(i.value, 'expires', { channel: [i.channelId], ...(i.guildId ? { guild: [i.guildId] } : {}) }),
        ]),
      ),
      me: canonical(this.me ?? null),
      dangling: [],
    };
  }
}

/** Threads are channels of these types (discord-api-types ChannelType 10, 11, 12). */
export function isThreadType(type: unknown): boolean {
  return THREAD_TYPES.has(type as number);
}
