/**
 * An independent model of what Mezon's events mean for a cache, written from Mezon's sources and from
 * the choices docs/mezon.md states where Mezon is silent, not from the adapter's code. It keeps only
 * the facts a rule decides (who is in which clan, which roles a member holds, a message's text and
 * reaction counts…), and `project(dump)` reduces a botcache dump to the same facts so the two compare.
 *
 * Sources: role statuses are mezonai/mezon's EEventAction (CREATED 1, UPDATE 2, DELETE 3); an edit
 * changes content, mentions, attachments, hide_editted and update_time (mezonai/mezon
 * libs/store/src/lib/messages/messages.slice.ts, TypeMessage.ChatUpdate); codes 2 and 15 delete,
 * 1 and 14 edit, every other code is a new message; clan "0" is a direct message (mezon-sdk).
 */
import type { CacheDump } from './cache-dump.js';
import type { MezonStreamEvent } from './mezon-stream.js';

type P = Record<string, unknown>;

export interface ModelState {
  clans: Record<string, { clan_name?: string }>;
  channels: Record<string, { clan?: string; label?: string; members?: string[] }>;
  roles: Record<string, { clan: string; title?: string }>;
  members: Record<string, { role_ids: string[]; clan_nick?: string; display_name?: string }>;
  users: Record<string, { username?: string; display_name?: string; avatar?: string }>;
  messages: Record<
    string,
    { channel: string; clan?: string; t?: string; hide?: boolean; reactions: string[] }
  >;
  voiceStates: Record<string, string>;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const nonEmpty = (value: unknown): string | undefined => {
  const s = str(value);
  return s === undefined || s.length === 0 ? undefined : s;
};
const clanOf = (value: unknown): string | undefined => {
  const s = nonEmpty(value);
  return s === undefined || s === '0' ? undefined : s;
};
const ids = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v) => typeof v === 'string') : [];
const textOf = (content: unknown): string | undefined => {
  if (typeof content === 'string') {
    try {
      return textOf(JSON.parse(content));
    } catch {
      return undefined;
    }
  }
  return typeof content === 'object' && content !== null ? str((content as P).t) : undefined;
};

export class MezonReferenceModel {
  readonly #botId: string;
  readonly #clans = new Map<string, { clan_name?: string }>();
  readonly #channels = new Map<string, { clan?: string; label?: string; members?: string[] }>();
  readonly #roles = new Map<string, { clan: string; title?: string }>();
  readonly #members = new Map<string, { roles: Set<string>; clan_nick?: string; display_name?: string }>();
  readonly #users = new Map<string, { username?: string; display_name?: string; avatar?: string }>();
  readonly #messages = new Map<
    string,
    { channel: string; clan?: string; t?: string; hide?: boolean; reactions: Map<string, number> }
  >();
  readonly #voice = new Map<string, string>();
  readonly #reactionIds = new Set<string>();

  constructor(botId: string) {
    this.#botId = botId;
  }

  apply(event: MezonStreamEvent): void {
    this.#dispatch(event);
  }

  /** Returns nothing of use: `unknown` lets each case end in `return this.#rule(…)`. */
  #dispatch(event: MezonStreamEvent): unknown {
    const p = event.payload as P;
    switch (event.name) {
      case 'channel_created_event':
      case 'channel_updated_event':
        return this.#channelUpsert(
          str(p.channel_id) as string,
          clanOf(p.clan_id),
          nonEmpty(p.channel_label),
          nonEmpty(p.clan_name),
        );
      case 'channel_deleted_event':
        return this.#deleteChannel(str(p.channel_id) as string);
      case 'user_channel_added_event': {
        const desc = p.channel_desc as P;
        const clan = clanOf(p.clan_id) ?? clanOf(desc.clan_id);
        const users = (p.users as P[]).map((u) => u);
        const channelId = str(desc.channel_id) as string;
        const known = this.#channels.get(channelId);
        const members = [
          ...new Set([...(known?.members ?? []), ...users.map((u) => str(u.user_id) as string)]),
        ];
        this.#channelUpsert(channelId, clan, nonEmpty(desc.channel_label), undefined);
        (this.#channels.get(channelId) as { members?: string[] }).members = members;
        for (const u of users) {
          const userId = str(u.user_id) as string;
          this.#user(userId, {
            username: nonEmpty(u.username),
            display_name: nonEmpty(u.display_name),
            avatar: nonEmpty(u.avatar),
          });
          if (clan !== undefined) this.#member(clan, userId, { display_name: nonEmpty(u.display_name) });
        }
        return;
      }
      case 'user_channel_removed_event': {
        const channelId = str(p.channel_id) as string;
        const removed = new Set(ids(p.user_ids));
        if (removed.has(this.#botId)) return this.#deleteChannel(channelId);
        const channel = this.#channels.get(channelId);
        if (channel?.members) channel.members = channel.members.filter((id) => !removed.has(id));
        return;
      }
      case 'add_clan_user_event': {
        const clan = clanOf(p.clan_id) as string;
        const user = p.user as P;
        const userId = str(user.user_id) as string;
        this.#user(userId, {
          username: nonEmpty(user.username),
          display_name: nonEmpty(user.display_name),
          avatar: nonEmpty(user.avatar),
        });
        this.#member(clan, userId, { display_name: nonEmpty(user.display_name) });
        return;
      }
      case 'user_clan_removed_event': {
        const clan = clanOf(p.clan_id) as string;
        const leaving = new Set(ids(p.user_ids));
        if (leaving.has(this.#botId)) return this.#deleteClan(clan);
        for (const userId of leaving) {
          this.#members.delete(`${clan}/${userId}`);
          this.#voice.delete(`${clan}/${userId}`);
        }
        for (const channel of this.#channels.values()) {
          if (channel.clan === clan && channel.members?.some((id) => leaving.has(id)))
            channel.members = channel.members.filter((id) => !leaving.has(id));
        }
        return;
      }
      case 'role_event': {
        const role = p.role as P;
        const roleId = str(role.id) as string;
        const clan = clanOf(role.clan_id) as string;
        if (p.status === 3) {
          this.#roles.delete(roleId);
          for (const [key, member] of this.#members)
            if (key.startsWith(`${clan}/`)) member.roles.delete(roleId);
          return;
        }
        if (p.status !== 1 && p.status !== 2) return;
        this.#recordClan(clan);
        this.#roles.set(roleId, { clan, title: str(role.title) ?? this.#roles.get(roleId)?.title });
        this.#changeRoles(clan, roleId, ids(p.user_add_ids), ids(p.user_remove_ids));
        return;
      }
      case 'role_assign_event':
        return this.#changeRoles(
          clanOf(p.ClanId) as string,
          str(p.role_id) as string,
          ids(p.user_ids_assigned),
          ids(p.user_ids_removed),
        );
      case 'channel_message':
        return this.#message(p);
      case 'message_reaction_event': {
        const reactionId = nonEmpty(p.id);
        if (reactionId !== undefined && this.#reactionIds.has(reactionId)) return;
        const message = this.#messages.get(str(p.message_id) as string);
        if (!message) return;
        const key = `${str(p.emoji_id)}|${str(p.sender_id)}`;
        if (p.action === true) message.reactions.delete(key);
        else
          message.reactions.set(key, (message.reactions.get(key) ?? 0) + Math.max(1, Number(p.count) || 1));
        if (reactionId !== undefined) this.#reactionIds.add(reactionId);
        return;
      }
      case 'voice_joined_event': {
        const clan = clanOf(p.clan_id) as string;
        this.#recordClan(clan, nonEmpty(p.clan_name));
        this.#voice.set(`${clan}/${str(p.user_id)}`, str(p.voice_channel_id) as string);
        return;
      }
      case 'voice_leaved_event': {
        const key = `${clanOf(p.clan_id)}/${str(p.voice_user_id)}`;
        const channel = nonEmpty(p.voice_channel_id);
        const known = this.#voice.get(key);
        if (known !== undefined && (channel === undefined || channel === known)) this.#voice.delete(key);
        return;
      }
    }
  }

  state(): ModelState {
    const sorted = <V>(map: Map<string, V>, f: (v: V) => unknown) =>
      Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, f(v)]));
    return {
      clans: sorted(this.#clans, (c) => clean({ clan_name: c.clan_name })),
      channels: sorted(this.#channels, (c) =>
        clean({ clan: c.clan, label: c.label, members: c.members ? [...c.members].sort() : undefined }),
      ),
      roles: sorted(this.#roles, (r) => clean({ clan: r.clan, title: r.title })),
      members: sorted(this.#members, (m) =>
        clean({ role_ids: [...m.roles].sort(), clan_nick: m.clan_nick, display_name: m.display_name }),
      ),
      users: sorted(this.#users, (u) => clean({ ...u })),
      messages: sorted(this.#messages, (m) =>
        clean({
          channel: m.channel,
          clan: m.clan,
          t: m.t,
          hide: m.hide,
          reactions: [...m.reactions].map(([k, n]) => `${k}x${n}`).sort(),
        }),
      ),
      voiceStates: sorted(this.#voice, (channel) => channel),
    } as ModelState;
  }

  #recordClan(clan: string, name?: string): void {
    const known = this.#clans.get(clan);
    if (!known) this.#clans.set(clan, { clan_name: name });
    else if (name !== undefined) known.clan_name = name;
  }

  #channelUpsert(
    channelId: string,
    clan: string | undefined,
    label: string | undefined,
    clanName: string | undefined,
  ): void {
    if (clan !== undefined) this.#recordClan(clan, clanName);
    const channel = this.#channels.get(channelId) ?? {};
    if (clan !== undefined) channel.clan = clan;
    if (label !== undefined) channel.label = label;
    this.#channels.set(channelId, channel);
  }

  #deleteChannel(channelId: string): void {
    this.#channels.delete(channelId);
    for (const [id, message] of this.#messages) if (message.channel === channelId) this.#messages.delete(id);
    for (const [key, channel] of this.#voice) if (channel === channelId) this.#voice.delete(key);
  }

  #deleteClan(clan: string): void {
    this.#clans.delete(clan);
    for (const [id, channel] of this.#channels) if (channel.clan === clan) this.#deleteChannel(id);
    for (const [id, role] of this.#roles) if (role.clan === clan) this.#roles.delete(id);
    for (const key of [...this.#members.keys()]) if (key.startsWith(`${clan}/`)) this.#members.delete(key);
    for (const key of [...this.#voice.keys()]) if (key.startsWith(`${clan}/`)) this.#voice.delete(key);
    for (const [id, message] of this.#messages) if (message.clan === clan) this.#messages.delete(id);
  }

  #user(userId: string, fields: { username?: string; display_name?: string; avatar?: string }): void {
    const user = this.#users.get(userId) ?? {};
    for (const [field, value] of Object.entries(fields)) if (value !== undefined) (user as P)[field] = value;
    this.#users.set(userId, user);
  }

  #member(clan: string, userId: string, fields: { clan_nick?: string; display_name?: string }): void {
    this.#recordClan(clan);
    const key = `${clan}/${userId}`;
    const member = this.#members.get(key) ?? { roles: new Set<string>() };
    if (fields.clan_nick !== undefined) member.clan_nick = fields.clan_nick;
    if (fields.display_name !== undefined) member.display_name = fields.display_name;
    this.#members.set(key, member);
  }

  #changeRoles(clan: string, roleId: string, added: string[], removed: string[]): void {
    for (const userId of added) {
      this.#member(clan, userId, {});
      this.#members.get(`${clan}/${userId}`)?.roles.add(roleId);
    }
    for (const userId of removed) this.#members.get(`${clan}/${userId}`)?.roles.delete(roleId);
  }

  #message(p: P): void {
    const messageId = nonEmpty(p.id) ?? (str(p.message_id) as string);
    const code = typeof p.code === 'number' ? p.code : 0;
    if (code === 2 || code === 15) {
      this.#messages.delete(messageId);
      return;
    }
    const known = this.#messages.get(messageId);
    if (code === 1 || code === 14) {
      if (!known) return;
      const t = textOf(p.content);
      if (t !== undefined) known.t = t;
      if (typeof p.hide_editted === 'boolean') known.hide = p.hide_editted;
      return;
    }
    if (known) return;
    const clan = clanOf(p.clan_id);
    if (clan !== undefined) this.#recordClan(clan);
    this.#messages.set(messageId, {
      channel: str(p.channel_id) as string,
      clan,
      t: textOf(p.content),
      reactions: new Map(),
    });
    const sender = str(p.sender_id) as string;
    if (sender === '0') return;
    this.#user(sender, {
      username: nonEmpty(p.username),
      display_name: str(p.display_name),
      avatar: str(p.avatar),
    });
    if (clan !== undefined)
      this.#member(clan, sender, { clan_nick: str(p.clan_nick), display_name: str(p.display_name) });
  }
}

function clean<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The same facts, read off a botcache dump of a Mezon cache. */
export function project(dump: CacheDump): ModelState {
  const map = <V>(resource: Record<string, { value: unknown }>, f: (v: P, key: string) => V) =>
    Object.fromEntries(Object.entries(resource).map(([key, entry]) => [key, f(entry.value as P, key)]));
  return {
    clans: map(dump.guilds, (v) => clean({ clan_name: str(v.clan_name) })),
    channels: map(dump.channels, (v) =>
      clean({
        clan: str(v.clan_id),
        label: str(v.channel_label),
        members: Array.isArray(v.member_ids) ? [...(v.member_ids as string[])].sort() : undefined,
      }),
    ),
    roles: map(dump.roles, (v) => clean({ clan: str(v.clan_id) as string, title: str(v.title) })),
    members: map(dump.members, (v) =>
      clean({
        role_ids: [...((v.role_ids as string[]) ?? [])].sort(),
        clan_nick: str(v.clan_nick),
        display_name: str(v.display_name),
      }),
    ),
    users: map(dump.users, (v) =>
      clean({ username: str(v.username), display_name: str(v.display_name), avatar: str(v.avatar) }),
    ),
    messages: map(dump.messages, (v) =>
      clean({
        channel: str(v.channel_id) as string,
        clan: str(v.clan_id),
        t: textOf(v.content),
        hide: typeof v.hide_editted === 'boolean' ? v.hide_editted : undefined,
        reactions: ((v.reactions as P[] | undefined) ?? [])
          .map((r) => `${str(r.emoji_id)}|${str(r.sender_id)}x${r.count}`)
          .sort(),
      }),
    ),
    voiceStates: map(dump.voiceStates, (v) => str(v.voice_channel_id) as string),
  };
}
