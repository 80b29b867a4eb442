import type { ChannelCache } from './channel-cache.js';
import type { GuildBoundCache } from './guild-bound-cache.js';
import type { GuildCache } from './guild-cache.js';
import type { GuildUserCache } from './guild-user-cache.js';
import type { InviteCache } from './invite-cache.js';
import type { MeCache } from './me-cache.js';
import type { MemberCache } from './member-cache.js';
import type { MessageCache } from './message-cache.js';
import type { UserCache } from './user-cache.js';
import type { ResourceValueTypes, ValueOf } from './value-types.js';
import type { VoiceStateCache } from './voice-state-cache.js';

/** One typed cache per resource of the standard. */
export interface ResourceCaches<T extends ResourceValueTypes> {
  readonly guilds: GuildCache<ValueOf<T, 'guilds'>>;
  readonly channels: ChannelCache<ValueOf<T, 'channels'>>;
  readonly roles: GuildBoundCache<ValueOf<T, 'roles'>>;
  readonly emojis: GuildBoundCache<ValueOf<T, 'emojis'>>;
  readonly members: MemberCache<ValueOf<T, 'members'>>;
  readonly users: UserCache<ValueOf<T, 'users'>>;
  readonly messages: MessageCache<ValueOf<T, 'messages'>>;
  readonly presences: GuildUserCache<ValueOf<T, 'presences'>>;
  readonly voiceStates: VoiceStateCache<ValueOf<T, 'voiceStates'>>;
  readonly invites: InviteCache<ValueOf<T, 'invites'>>;
  readonly me: MeCache<ValueOf<T, 'me'>>;
}
