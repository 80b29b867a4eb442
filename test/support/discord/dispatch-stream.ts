/**
 * A seeded generator of Discord gateway dispatch streams, as a bot would receive them: READY, one
 * GUILD_CREATE per guild, then member joins/leaves/updates (with username churn on users shared by
 * several guilds), role churn, channel edits and deletes, messages (creates, partial edits, deletes,
 * bulk deletes), reactions, presences, voice joins/moves/leaves, invites, emoji lists, guild updates,
 * outages (GUILD_DELETE unavailable, then a returning GUILD_CREATE with the guild's new state), leaves
 * and re-joins, and about 1% dispatches naming ids nobody knows. The same seed gives the same stream.
 */

export interface GeneratedDispatch {
  readonly t: string;
  readonly s: number;
  readonly d: Record<string, unknown>;
}

export interface DispatchStreamOptions {
  readonly seed: number;
  /** Dispatches after the opening READY and GUILD_CREATEs. Default 20 000. */
  readonly events?: number;
  readonly guilds?: number;
  /** Users shared by all guilds (each guild has a subset as members). */
  readonly users?: number;
}

/** mulberry32: small, fast, good enough for test streams. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EPOCH = '2026-01-01T00:00:00.000Z';

interface WorldUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: string | null;
  bot?: boolean;
}

interface WorldGuild {
  id: string;
  name: string;
  joined: boolean;
  available: boolean;
  channels: Map<string, Record<string, unknown>>;
  roles: Map<string, Record<string, unknown>>;
  emojis: Map<string, Record<string, unknown>>;
  members: Map<string, { nick: string | null; roles: string[] }>;
  presences: Map<string, string>;
  voice: Map<string, string>;
  messages: Map<string, string[]>;
  invites: Map<string, string>;
}

export function generateDispatchStream(options: DispatchStreamOptions): GeneratedDispatch[] {
  const random = prng(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const chance = (p: number) => random() < p;
  let nextId = 1_000;
  const snowflake = (kind: number) => (BigInt(kind) * 10n ** 17n + BigInt(nextId++)).toString();
  const out: GeneratedDispatch[] = [];
  let s = 0;
  const emit = (t: string, d: Record<string, unknown>) => out.push({ t, s: ++s, d });

  const bot: WorldUser = {
    id: snowflake(9),
    username: 'bot',
    global_name: null,
    discriminator: '0',
    avatar: null,
    bot: true,
  };
  const users: WorldUser[] = [];
  for (let i = 0; i < (options.users ?? 240); i++)
    users.push({
      id: snowflake(1),
      username: `user${i}`,
      global_name: null,
      discriminator: '0',
      avatar: null,
    });
  const userById = new Map([bot, ...users].map((u) => [u.id, u]));
  const userCopy = (id: string) => ({ ...(userById.get(id) as WorldUser) });

  const channel = (guildId: string, type: number, name: string, parentId: string | null = null) => ({
    id: snowflake(2),
    type,
    guild_id: guildId,
    name,
    position: 0,
    permission_overwrites: [],
    parent_id: parentId,
    ...(type === 0 ? { topic: null, nsfw: false, last_message_id: null, rate_limit_per_user: 0 } : {}),
    ...(type === 2 ? { bitrate: 64000, user_limit: 0, rtc_region: null } : {}),
  });
  const role = (name: string, position: number) => ({
    id: snowflake(3),
    name,
    color: 0,
    hoist: false,
    position,
    permissions: '0',
    managed: false,
    mentionable: false,
    flags: 0,
  });

  const guilds: WorldGuild[] = [];
  for (let g = 0; g < (options.guilds ?? 5); g++) {
    const id = snowflake(5);
    const guild: WorldGuild = {
      id,
      name: `guild-${g}`,
      joined: true,
      available: true,
      channels: new Map(),
      roles: new Map(),
      emojis: new Map(),
      members: new Map(),
      presences: new Map(),
      voice: new Map(),
      messages: new Map(),
      invites: new Map(),
    };
    guild.roles.set(id, { ...role('@everyone', 0), id });
    for (let r = 0; r < 4; r++) {
      const value = role(`role-${r}`, r + 1);
      guild.roles.set(value.id, value);
    }
    for (let c = 0; c < 4; c++) {
      const value = channel(id, 0, `text-${c}`);
      guild.channels.set(value.id, value);
      guild.messages.set(value.id, []);
    }
    const voiceChannel = channel(id, 2, 'voice');
    guild.channels.set(voiceChannel.id, voiceChannel);
    for (let e = 0; e < 2; e++) {
      const emojiId = snowflake(4);
      guild.emojis.set(emojiId, {
        id: emojiId,
        name: `emoji${e}`,
        roles: [],
        require_colons: true,
        managed: false,
        animated: false,
        available: true,
      });
    }
    guild.members.set(bot.id, { nick: null, roles: [] });
    for (const user of users) if (chance(0.3)) guild.members.set(user.id, { nick: null, roles: [] });
    guilds.push(guild);
  }

  const memberPayload = (guild: WorldGuild, userId: string) => {
    const member = guild.members.get(userId) as { nick: string | null; roles: string[] };
    return {
      user: userCopy(userId),
      nick: member.nick,
      avatar: null,
      roles: [...member.roles],
      joined_at: EPOCH,
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0,
    };
  };
  const voiceStatePayload = (guild: WorldGuild, userId: string, channelId: string | null) => ({
    guild_id: guild.id,
    channel_id: channelId,
    user_id: userId,
    session_id: `voice-${userId}`,
    deaf: false,
    mute: false,
    self_deaf: false,
    self_mute: false,
    self_video: false,
    suppress: false,
    request_to_speak_timestamp: null,
  });
  const guildCreate = (guild: WorldGuild) => {
    const channels = [...guild.channels.values()].map(({ guild_id: _g, ...rest }) => rest);
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      owner_id: bot.id,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      features: [],
      mfa_level: 0,
      system_channel_id: null,
      premium_tier: 0,
      preferred_locale: 'en-US',
      nsfw_level: 0,
      joined_at: EPOCH,
      large: false,
      unavailable: false,
      member_count: guild.members.size,
      roles: [...guild.roles.values()],
      emojis: [...guild.emojis.values()],
      channels,
      threads: [],
      members: [...guild.members.keys()].map((userId) => memberPayload(guild, userId)),
      presences: [...guild.presences].map(([userId, status]) => ({
        user: { id: userId },
        status,
        activities: [],
        client_status: { desktop: status },
      })),
      voice_states: [...guild.voice].map(([userId, channelId]) => {
        const { guild_id: _g, ...state } = voiceStatePayload(guild, userId, channelId);
        return state;
      }),
      stickers: [],
    };
  };

  emit('READY', {
    v: 10,
    user: { ...bot },
    guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
    session_id: `session-${options.seed}`,
    resume_gateway_url: 'wss://gateway.invalid',
    shard: [0, 1],
    application: { id: '1', flags: 0 },
  });
  for (const guild of guilds) emit('GUILD_CREATE', guildCreate(guild));

  const unknownId = () => snowflake(8);
  const live = () => guilds.filter((g) => g.joined && g.available);
  const textChannels = (guild: WorldGuild) =>
    [...guild.channels.values()].filter((c) => c.type === 0).map((c) => c.id as string);
  const voiceChannels = (guild: WorldGuild) =>
    [...guild.channels.values()].filter((c) => c.type === 2).map((c) => c.id as string);
  const memberIds = (guild: WorldGuild) => [...guild.members.keys()];
  const rename = (userId: string) => {
    const user = userById.get(userId) as WorldUser;
    if (!user.bot) user.username = `${user.username.split('~')[0]}~${nextId++}`;
  };

  type Action = [weight: number, run: (guild: WorldGuild) => void];
  const actions: Action[] = [
    [
      8,
      (guild) => {
        const outside = users.filter((u) => !guild.members.has(u.id));
        if (outside.length === 0) return;
        const user = pick(outside);
        if (chance(0.2)) rename(user.id);
        guild.members.set(user.id, { nick: null, roles: [] });
        emit('GUILD_MEMBER_ADD', { ...memberPayload(guild, user.id), guild_id: guild.id });
      },
    ],
    [
      5,
      (guild) => {
        const ids = memberIds(guild).filter((id) => id !== bot.id);
        if (ids.length === 0) return;
        const userId = pick(ids);
        guild.members.delete(userId);
        guild.presences.delete(userId);
        // Discord sends the leave; the voice state goes with the member (no separate VOICE_STATE_UPDATE).
        guild.voice.delete(userId);
        emit('GUILD_MEMBER_REMOVE', { guild_id: guild.id, user: userCopy(userId) });
      },
    ],
    [
      9,
      (guild) => {
        const userId = pick(memberIds(guild));
        const member = guild.members.get(userId) as { nick: string | null; roles: string[] };
        if (chance(0.5)) member.nick = chance(0.3) ? null : `nick${nextId++}`;
        else {
          const roleIds = [...guild.roles.keys()].filter((id) => id !== guild.id);
          member.roles = roleIds.filter(() => chance(0.4));
        }
        if (chance(0.25)) rename(userId);
        // The update may omit deaf/mute (docs): merged over the cached member.
        const { deaf: _d, mute: _m, ...payload } = memberPayload(guild, userId);
        emit('GUILD_MEMBER_UPDATE', { ...payload, guild_id: guild.id });
      },
    ],
    [
      2,
      (guild) => {
        const value = role(`role-${nextId}`, guild.roles.size);
        guild.roles.set(value.id, value);
        emit('GUILD_ROLE_CREATE', { guild_id: guild.id, role: value });
      },
    ],
    [
      2,
      (guild) => {
        const value = { ...(guild.roles.get(pick([...guild.roles.keys()])) as Record<string, unknown>) };
        value.name = `renamed-${nextId++}`;
        guild.roles.set(value.id as string, value);
        emit('GUILD_ROLE_UPDATE', { guild_id: guild.id, role: value });
      },
    ],
    [
      1.5,
      (guild) => {
        const ids = [...guild.roles.keys()].filter((id) => id !== guild.id);
        if (ids.length === 0) return;
        const roleId = pick(ids);
        guild.roles.delete(roleId);
        for (const member of guild.members.values())
          member.roles = member.roles.filter((id) => id !== roleId);
        emit('GUILD_ROLE_DELETE', { guild_id: guild.id, role_id: roleId });
      },
    ],
    [
      1,
      (guild) => {
        const value = channel(guild.id, 0, `text-${nextId}`);
        guild.channels.set(value.id, value);
        guild.messages.set(value.id, []);
        emit('CHANNEL_CREATE', value);
      },
    ],
    [
      2,
      (guild) => {
        const value = {
          ...(guild.channels.get(pick([...guild.channels.keys()])) as Record<string, unknown>),
        };
        value.name = `edited-${nextId++}`;
        guild.channels.set(value.id as string, value);
        emit('CHANNEL_UPDATE', value);
      },
    ],
    [
      0.6,
      (guild) => {
        const texts = textChannels(guild);
        if (texts.length <= 2) return;
        const channelId = pick(texts);
        const value = guild.channels.get(channelId) as Record<string, unknown>;
        guild.channels.delete(channelId);
        guild.messages.delete(channelId);
        for (const [code, at] of guild.invites) if (at === channelId) guild.invites.delete(code);
        emit('CHANNEL_DELETE', value);
      },
    ],
    [
      26,
      (guild) => {
        const channelId = pick(textChannels(guild));
        const authorId = pick(memberIds(guild));
        const id = snowflake(7);
        guild.messages.get(channelId)?.push(id);
        const webhook = chance(0.03);
        emit('MESSAGE_CREATE', {
          id,
          channel_id: channelId,
          guild_id: guild.id,
          author: webhook
            ? { id: snowflake(6), username: 'hook', discriminator: '0000', avatar: null }
            : userCopy(authorId),
          ...(webhook ? { webhook_id: snowflake(6) } : {}),
          content: `message ${id}`,
          timestamp: EPOCH,
          edited_timestamp: null,
          tts: false,
          mention_everyone: false,
          mentions: [],
          mention_roles: [],
          attachments: [],
          embeds: [],
          pinned: false,
          type: 0,
          reactions: [],
        });
      },
    ],
    [
      8,
      (guild) => {
        const channelId = pick(textChannels(guild));
        const ids = guild.messages.get(channelId) ?? [];
        const id = ids.length > 0 && !chance(0.05) ? pick(ids.slice(-30)) : unknownId();
        // Partial: only what changed (docs: updates may carry a subset of the message).
        emit('MESSAGE_UPDATE', {
          id,
          channel_id: channelId,
          guild_id: guild.id,
          content: `edited ${nextId++}`,
          edited_timestamp: EPOCH,
        });
      },
    ],
    [
      5,
      (guild) => {
        const channelId = pick(textChannels(guild));
        const ids = guild.messages.get(channelId) ?? [];
        const id =
          ids.length > 0 && !chance(0.05)
            ? (ids.splice(Math.floor(random() * ids.length), 1)[0] as string)
            : unknownId();
        emit('MESSAGE_DELETE', { id, channel_id: channelId, guild_id: guild.id });
      },
    ],
    [
      0.8,
      (guild) => {
        const channelId = pick(textChannels(guild));
        const ids = guild.messages.get(channelId) ?? [];
        const gone = ids.splice(0, Math.min(ids.length, 1 + Math.floor(random() * 6)));
        emit('MESSAGE_DELETE_BULK', {
          ids: [...gone, unknownId()],
          channel_id: channelId,
          guild_id: guild.id,
        });
      },
    ],
    [
      5,
      (guild) => {
        const channelId = pick(textChannels(guild));
        const ids = guild.messages.get(channelId) ?? [];
        if (ids.length === 0) return;
        const add = chance(0.7);
        emit(add ? 'MESSAGE_REACTION_ADD' : 'MESSAGE_REACTION_REMOVE', {
          user_id: pick(memberIds(guild)),
          channel_id: channelId,
          message_id: pick(ids),
          guild_id: guild.id,
          emoji: { id: null, name: '👍' },
          burst: false,
          type: 0,
        });
      },
    ],
    [
      8,
      (guild) => {
        const userId = pick(memberIds(guild));
        const status = pick(['online', 'idle', 'dnd', 'offline']);
        if (status === 'offline') guild.presences.delete(userId);
        else guild.presences.set(userId, status);
        const full = chance(0.1);
        if (full) rename(userId);
        emit('PRESENCE_UPDATE', {
          user: full ? userCopy(userId) : { id: userId },
          guild_id: guild.id,
          status,
          activities: [],
          client_status: status === 'offline' ? {} : { desktop: status },
        });
      },
    ],
    [
      6,
      (guild) => {
        const userId = pick(memberIds(guild));
        const voices = voiceChannels(guild);
        const leaving = guild.voice.has(userId) && chance(0.4);
        const channelId = leaving || voices.length === 0 ? null : pick(voices);
        if (channelId === null) guild.voice.delete(userId);
        else guild.voice.set(userId, channelId);
        emit('VOICE_STATE_UPDATE', {
          ...voiceStatePayload(guild, userId, channelId),
          member: memberPayload(guild, userId),
        });
      },
    ],
    [
      1,
      (guild) => {
        const code = `inv${nextId++}`;
        const channelId = pick(textChannels(guild));
        guild.invites.set(code, channelId);
        emit('INVITE_CREATE', {
          channel_id: channelId,
          code,
          created_at: new Date().toISOString(),
          guild_id: guild.id,
          inviter: userCopy(pick(memberIds(guild))),
          max_age: chance(0.5) ? 0 : 86_400,
          max_uses: 0,
          temporary: false,
          uses: 0,
        });
      },
    ],
    [
      0.5,
      (guild) => {
        const codes = [...guild.invites.keys()];
        const code = codes.length > 0 ? pick(codes) : `gone${nextId++}`;
        const channelId = guild.invites.get(code) ?? pick(textChannels(guild));
        guild.invites.delete(code);
        emit('INVITE_DELETE', { channel_id: channelId, guild_id: guild.id, code });
      },
    ],
    [
      0.6,
      (guild) => {
        guild.name = `guild-${nextId++}`;
        const {
          channels: _c,
          threads: _t,
          members: _m,
          presences: _p,
          voice_states: _v,
          ...rest
        } = guildCreate(guild);
        emit('GUILD_UPDATE', rest);
      },
    ],
    [
      0.4,
      (guild) => {
        const emojiId = snowflake(4);
        if (guild.emojis.size > 3) guild.emojis.delete(pick([...guild.emojis.keys()]));
        guild.emojis.set(emojiId, {
          id: emojiId,
          name: `emoji${nextId}`,
          roles: [],
          require_colons: true,
          managed: false,
          animated: false,
          available: true,
        });
        emit('GUILD_EMOJIS_UPDATE', { guild_id: guild.id, emojis: [...guild.emojis.values()] });
      },
    ],
    [
      0.3,
      () => {
        bot.username = `bot-${nextId++}`;
        emit('USER_UPDATE', { ...bot });
      },
    ],
    [
      // An outage: the guild goes unavailable; while it is away its state changes; it comes back whole.
      0.25,
      (guild) => {
        guild.available = false;
        emit('GUILD_DELETE', { id: guild.id, unavailable: true });
      },
    ],
    [
      // The bot is removed from the guild (it re-joins later).
      0.08,
      (guild) => {
        guild.joined = false;
        guild.voice.clear();
        guild.presences.clear();
        emit('GUILD_DELETE', { id: guild.id });
      },
    ],
    [
      // ~1% of dispatches name ids nobody knows.
      1,
      (guild) => {
        const kind = Math.floor(random() * 5);
        if (kind === 0)
          emit('GUILD_MEMBER_REMOVE', {
            guild_id: guild.id,
            user: { id: unknownId(), username: 'ghost', discriminator: '0', global_name: null, avatar: null },
          });
        else if (kind === 1) emit('GUILD_ROLE_DELETE', { guild_id: guild.id, role_id: unknownId() });
        else if (kind === 2) emit('CHANNEL_DELETE', { ...channel(guild.id, 0, 'ghost'), id: unknownId() });
        else if (kind === 3) emit('GUILD_ROLE_CREATE', { guild_id: unknownId(), role: role('nowhere', 1) });
        else emit('MESSAGE_DELETE', { id: unknownId(), channel_id: unknownId() });
      },
    ],
  ];
  const total = actions.reduce((sum, [weight]) => sum + weight, 0);
  const target = options.events ?? 20_000;
  const start = out.length;
  while (out.length - start < target) {
    // Guilds away come back now and then, with what changed meanwhile.
    for (const guild of guilds) {
      if ((!guild.available || !guild.joined) && chance(0.01)) {
        if (!guild.available) {
          // Members left while it was away.
          for (const userId of memberIds(guild))
            if (userId !== bot.id && chance(0.05)) guild.members.delete(userId);
          for (const userId of [...guild.voice.keys()])
            if (!guild.members.has(userId)) guild.voice.delete(userId);
          for (const userId of [...guild.presences.keys()])
            if (!guild.members.has(userId)) guild.presences.delete(userId);
        }
        guild.available = true;
        guild.joined = true;
        // The cache keeps no messages of a guild it re-learns: Discord does not resend them.
        for (const channelId of guild.messages.keys()) guild.messages.set(channelId, []);
        emit('GUILD_CREATE', guildCreate(guild));
      }
    }
    const open = live();
    if (open.length === 0) continue;
    let roll = random() * total;
    for (const [weight, run] of actions) {
      roll -= weight;
      if (roll <= 0) {
        run(pick(open));
        break;
      }
    }
  }
  return out;
}
