/** A botcache cache typed with Mezon's records, where `clans` names the guild resource. */
import { BotCache, type CreateCacheOptions } from '../../resources/index.js';
import type {
  MezonChannelRecord,
  MezonClanRecord,
  MezonMemberRecord,
  MezonMessageRecord,
  MezonRoleRecord,
  MezonUserRecord,
  MezonVoiceStateRecord,
} from './records.js';

/** The value types of each resource when the cache serves a Mezon bot. */
export interface MezonResourceTypes {
  guilds: MezonClanRecord;
  channels: MezonChannelRecord;
  roles: MezonRoleRecord;
  members: MezonMemberRecord;
  users: MezonUserRecord;
  messages: MezonMessageRecord;
  voiceStates: MezonVoiceStateRecord;
}

/** A cache in Mezon's words: `cache.clans` is the guild resource (`cache.guilds`), the same object. */
export type MezonCache = BotCache<MezonResourceTypes> & {
  readonly clans: BotCache<MezonResourceTypes>['guilds'];
};

/** Adds the `clans` alias to a cache created elsewhere (idempotent). */
export function withClans<C extends BotCache<MezonResourceTypes>>(
  cache: C,
): C & { readonly clans: C['guilds'] } {
  if (!Object.hasOwn(cache, 'clans')) {
    Object.defineProperty(cache, 'clans', { get: () => cache.guilds, enumerable: false });
  }
  return cache as C & { readonly clans: C['guilds'] };
}

export function createMezonCache(options: CreateCacheOptions<MezonResourceTypes> = {}): MezonCache {
  return withClans(new BotCache<MezonResourceTypes>(options));
}
