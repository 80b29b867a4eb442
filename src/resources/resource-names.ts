/** The built-in resources of the standard (DESIGN table), in cascade-friendly order. */
export const RESOURCE_NAMES = [
  'guilds',
  'channels',
  'roles',
  'emojis',
  'members',
  'users',
  'messages',
  'presences',
  'voiceStates',
  'invites',
  'me',
] as const;

export type ResourceName = (typeof RESOURCE_NAMES)[number];

/** Index names used by the resource namespaces (the `by` of an IndexLink). */
export const BY_GUILD = 'guild';
export const BY_CHANNEL = 'channel';
export const BY_AUTHOR = 'author';
export const BY_USER = 'user';
