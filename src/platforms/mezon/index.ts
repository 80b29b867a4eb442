/** `botcache/mezon`: keeps a botcache cache true from a mezon-sdk MezonClient, plus SDK loaders. */
export {
  type AttachMezonOptions,
  attachMezon,
  type MezonAttachment,
  type MezonAttachmentEventMap,
  type MezonAttachmentStats,
  type MezonClientLike,
} from './attach-mezon.js';
export type {
  GuildBoundResource,
  GuildUserResource,
  IdResource,
  LoadableGroup,
  LoaderSlot,
  MessageResource,
  MezonCacheTarget,
  MezonTransaction,
  ParentView,
  VoiceStateResource,
} from './cache-target.js';
export {
  type FetchClanRolesOptions,
  fetchClanRoles,
  invalidateClanRoles,
  type MezonRoleListRecord,
  ROLE_LISTS_GROUP,
} from './clan-roles.js';
export {
  MezonCannotLookUp,
  type MezonLoaderClient,
  type MezonLoaders,
  MezonNotReady,
  mezonLoaders,
} from './loaders.js';
export { mezonAdapter, readMezonMessage } from './mezon-adapter.js';
export { createMezonCache, type MezonCache, type MezonResourceTypes, withClans } from './mezon-cache.js';
export { MezonEventError, type MezonEventErrorOptions } from './mezon-event-error.js';
export {
  type MezonPreset,
  type MezonPresetOptions,
  type MezonPresetStats,
  type MezonSdkLimits,
  mezonPreset,
} from './mezon-preset.js';
export type {
  MezonChannelRecord,
  MezonClanRecord,
  MezonMemberRecord,
  MezonMessageRecord,
  MezonReactionRecord,
  MezonRoleRecord,
  MezonUserRecord,
  MezonVoiceStateRecord,
} from './records.js';
export type {
  MezonChannelMessage as ChannelMessage,
  MezonChannelMessage,
  MezonMessageAttachment,
  MezonMessageContent,
  MezonMessageMention,
  MezonMessageReaction,
  MezonMessageRef,
  MezonRole,
  MezonRoleListResponse,
  MezonSdkChannel,
  MezonSdkClan,
  MezonSdkManager,
  MezonSdkUser,
} from './sdk-shapes.js';
export { MESSAGE_CODE, MEZON_EVENTS, ROLE_STATUS } from './sdk-types.js';
export { useMezonLoaders } from './use-mezon-loaders.js';
