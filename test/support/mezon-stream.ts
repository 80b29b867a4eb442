/**
 * A seeded generator of Mezon socket events, in the SDK's payload shapes: clans the bot joins and leaves,
 * members joining and leaving, role churn (with statuses outside Mezon's enum now and then), new, edited
 * and deleted messages (profile fields sometimes cleared to ""), reactions (some delivered twice, as two
 * live sockets would), channel churn and channel member lists, voice joins and leaves, and about 1% of
 * events naming ids nothing has seen. The generator tracks what it has created only to pick plausible
 * ids; it knows nothing of the cache's rules.
 */
import {
  addClanUser,
  channelCreated,
  channelMessage,
  channelUpdated,
  profile,
  reaction,
  role,
} from './mezon/payloads.js';

export interface MezonStreamEvent {
  readonly name: string;
  readonly payload: object;
}

/** mulberry32: small, fast, and the same sequence for a seed on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE = 1_850_000_000_000_000_000n;
const id = (n: number) => String(BASE + BigInt(n));

export interface MezonStreamOptions {
  readonly seed: number;
  readonly events: number;
  readonly botId: string;
  readonly clans?: number;
  readonly users?: number;
}

export function generateMezonStream(options: MezonStreamOptions): MezonStreamEvent[] {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const chance = (p: number) => random() < p;
  const clanCount = options.clans ?? 6;
  const userIds = Array.from({ length: options.users ?? 40 }, (_, i) => id(1_000 + i));
  const clans = Array.from({ length: clanCount }, (_, i) => id(100 + i));
  let next = 100_000;
  const fresh = () => id(next++);
  const unknown = () => id(900_000_000 + Math.floor(random() * 1_000_000));

  // What the generator has produced, to aim most events at live ids.
  const channelsOf = new Map<string, string[]>(clans.map((clan) => [clan, []]));
  const rolesOf = new Map<string, string[]>(clans.map((clan) => [clan, []]));
  const messagesOf = new Map<string, { id: string; clan: string; channel: string; sender: string }[]>();
  const voiceOf = (clan: string) => id(50_000 + clans.indexOf(clan));
  const reactionIds: string[] = [];

  const out: MezonStreamEvent[] = [];
  const emit = (name: string, payload: object) => out.push({ name, payload });
  const name = (user: string) => `u${user.slice(-4)}`;

  // The bot starts in every clan, each with a text channel.
  for (const clan of clans) {
    emit('add_clan_user_event', { ...addClanUser(options.botId, 'bot'), clan_id: clan });
    const channel = fresh();
    channelsOf.get(clan)?.push(channel);
    emit(
      'channel_created_event',
      channelCreated({ clan_id: clan, channel_id: channel, clan_name: `clan ${clan.slice(-3)}` }),
    );
  }

  while (out.length < options.events) {
    const clan = pick(clans);
    const channels = channelsOf.get(clan) ?? [];
    const roles = rolesOf.get(clan) ?? [];
    const user = pick(userIds);
    const roll = random();
    if (roll < 0.28) {
      // A new message (in a DM now and then).
      const dm = chance(0.03);
      const channel = dm ? fresh() : channels.length > 0 && !chance(0.05) ? pick(channels) : fresh();
      const message = fresh();
      const list = messagesOf.get(clan) ?? [];
      list.push({ id: message, clan, channel, sender: user });
      if (list.length > 300) list.shift();
      messagesOf.set(clan, list);
      emit(
        'channel_message',
        channelMessage({
          id: message,
          message_id: message,
          clan_id: dm ? '0' : clan,
          channel_id: channel,
          sender_id: user,
          username: name(user),
          display_name: chance(0.1) ? '' : `${name(user)} ${Math.floor(random() * 3)}`,
          clan_nick: chance(0.15) ? '' : `nick${Math.floor(random() * 4)}`,
          clan_avatar: chance(0.2) ? '' : `https://cdn.example/${user}.png`,
          avatar: chance(0.1) ? '' : `https://cdn.example/a${user}.png`,
          content: { t: `m${message.slice(-5)}` },
        }),
      );
    } else if (roll < 0.36) {
      // An edit, or (rarely) an edit of a message nobody saw.
      const list = messagesOf.get(clan) ?? [];
      const target = list.length > 0 && !chance(0.03) ? pick(list) : undefined;
      const messageId = target?.id ?? unknown();
      emit(
        'channel_message',
        channelMessage({
          id: messageId,
          message_id: messageId,
          clan_id: clan,
          channel_id: target?.channel ?? pick(channels.length > 0 ? channels : [fresh()]),
          sender_id: target?.sender ?? user,
          code: 1,
          content: { t: `edit${Math.floor(random() * 100)}` },
          mentions: [],
          reactions: [],
          hide_editted: chance(0.5),
          update_time: `2025-01-02T00:00:${String(Math.floor(random() * 60)).padStart(2, '0')}Z`,
          clan_nick: 'edit-nick',
        }),
      );
    } else if (roll < 0.41) {
      const list = messagesOf.get(clan) ?? [];
      const index = list.length > 0 && !chance(0.05) ? Math.floor(random() * list.length) : -1;
      const target = index >= 0 ? list.splice(index, 1)[0] : undefined;
      const messageId = target?.id ?? unknown();
      emit(
        'channel_message',
        channelMessage({
          id: messageId,
          message_id: messageId,
          clan_id: clan,
          channel_id: target?.channel ?? pick(channels.length > 0 ? channels : [fresh()]),
          sender_id: target?.sender ?? user,
          code: 2,
        }),
      );
    } else if (roll < 0.55) {
      // A reaction; some are delivered twice with their id, as two live sockets would.
      const list = messagesOf.get(clan) ?? [];
      const target = list.length > 0 && !chance(0.03) ? pick(list) : undefined;
      const duplicate = reactionIds.length > 0 && chance(0.05);
      const reactionId = duplicate ? (reactionIds.at(-1) as string) : fresh();
      if (!duplicate) reactionIds.push(reactionId);
      const last = duplicate ? out.findLast((event) => event.name === 'message_reaction_event') : undefined;
      if (last) {
        emit(last.name, last.payload);
        continue;
      }
      emit(
        'message_reaction_event',
        reaction(chance(0.25), {
          id: reactionId,
          message_id: target?.id ?? unknown(),
          channel_id: target?.channel ?? '',
          clan_id: clan,
          sender_id: user,
          emoji_id: id(70 + Math.floor(random() * 3)),
          count: 1 + Math.floor(random() * 2),
        }),
      );
    } else if (roll < 0.61) {
      emit('add_clan_user_event', { ...addClanUser(user, name(user)), clan_id: clan });
    } else if (roll < 0.65) {
      emit('user_clan_removed_event', { clan_id: clan, user_ids: chance(0.05) ? [unknown()] : [user] });
    } else if (roll < 0.7) {
      // Role churn: create, update, delete, and now and then a status Mezon does not define.
      const status = chance(0.05) ? pick([0, 4, 5]) : roles.length === 0 ? 1 : pick([1, 2, 2, 3]);
      const roleId = status === 1 ? fresh() : roles.length > 0 && !chance(0.05) ? pick(roles) : unknown();
      if (status === 1) roles.push(roleId);
      if (status === 3) roles.splice(roles.indexOf(roleId), roles.includes(roleId) ? 1 : 0);
      emit('role_event', {
        role: role({ id: roleId, clan_id: clan, title: `role${Math.floor(random() * 9)}` }),
        status,
        user_id: user,
        user_add_ids: chance(0.5) ? [pick(userIds)] : [],
        user_remove_ids: chance(0.3) ? [pick(userIds)] : [],
        active_permission_ids: [],
        remove_permission_ids: [],
      });
    } else if (roll < 0.75) {
      if (roles.length === 0) continue;
      emit('role_assign_event', {
        ClanId: clan,
        role_id: pick(roles),
        user_ids_assigned: chance(0.7) ? [pick(userIds), pick(userIds)] : [],
        user_ids_removed: chance(0.4) ? [pick(userIds)] : [],
      });
    } else if (roll < 0.79) {
      const kind = random();
      if (kind < 0.4 || channels.length === 0) {
        const channel = fresh();
        channels.push(channel);
        emit(
          'channel_created_event',
          channelCreated({ clan_id: clan, channel_id: channel, channel_label: `c${channel.slice(-4)}` }),
        );
      } else if (kind < 0.8) {
        emit(
          'channel_updated_event',
          channelUpdated({
            clan_id: clan,
            channel_id: pick(channels),
            channel_label: `r${Math.floor(random() * 50)}`,
            channel_private: false,
          }),
        );
      } else {
        const index = chance(0.05) ? -1 : Math.floor(random() * channels.length);
        const channel = index >= 0 ? (channels.splice(index, 1)[0] as string) : unknown();
        emit('channel_deleted_event', {
          clan_id: clan,
          category_id: '',
          parent_id: '',
          channel_id: channel,
          deletor: user,
        });
      }
    } else if (roll < 0.84) {
      if (channels.length === 0) continue;
      const channel = pick(channels);
      if (chance(0.6)) {
        const added = [pick(userIds), pick(userIds)];
        emit('user_channel_added_event', {
          channel_desc: {
            clan_id: clan,
            channel_id: channel,
            type: 1,
            channel_label: '',
            category_id: '',
            category_name: '',
            channel_private: 0,
          },
          // What the socket's UserProfileRedis carries (it has no mezon_id or about_me field).
          users: added.map((userId) => {
            const { mezon_id: _id, about_me: _about, ...wire } = profile(userId, name(userId));
            return wire;
          }),
          status: '',
          clan_id: clan,
          caller: undefined,
          create_time_second: 0,
          active: 1,
        });
      } else {
        emit('user_channel_removed_event', {
          channel_id: channel,
          user_ids: [pick(userIds)],
          channel_type: 1,
          clan_id: clan,
        });
      }
    } else if (roll < 0.992) {
      if (chance(0.55)) {
        emit('voice_joined_event', {
          clan_id: clan,
          clan_name: '',
          id: fresh(),
          participant: name(user),
          user_id: user,
          voice_channel_label: 'voice',
          voice_channel_id: chance(0.5) ? voiceOf(clan) : id(60_000 + clans.indexOf(clan)),
          last_screenshot: '',
        });
      } else {
        emit('voice_leaved_event', {
          id: '',
          clan_id: clan,
          voice_channel_id: chance(0.5) ? voiceOf(clan) : id(60_000 + clans.indexOf(clan)),
          voice_user_id: chance(0.03) ? unknown() : user,
        });
      }
    } else if (roll < 0.996) {
      // The bot leaves a clan and comes back later.
      emit('user_clan_removed_event', { clan_id: clan, user_ids: [options.botId] });
      channelsOf.set(clan, []);
      rolesOf.set(clan, []);
      messagesOf.set(clan, []);
    } else {
      emit('add_clan_user_event', { ...addClanUser(options.botId, 'bot'), clan_id: clan });
    }
  }
  return out;
}
