/** The ids an SDK event names, for error reports: which clan, channel, message, user or role it was about. */

/** Payload fields holding ids, as the SDK's event types spell them. */
const ID_FIELDS = [
  'clan_id',
  'ClanId',
  'channel_id',
  'message_id',
  'sender_id',
  'user_id',
  'voice_user_id',
  'voice_channel_id',
  'role_id',
  'emoji_id',
] as const;

/** The non-empty id fields of `payload` (and of its `role`, `user` and `channel_desc`), by field name. */
export function eventIds(payload: unknown): Readonly<Record<string, string>> {
  const ids: Record<string, string> = {};
  if (typeof payload !== 'object' || payload === null) return ids;
  const read = (source: unknown, prefix: string): void => {
    if (typeof source !== 'object' || source === null) return;
    const fields = source as Record<string, unknown>;
    for (const field of ID_FIELDS) {
      const value = fields[field];
      if (typeof value === 'string' && value.length > 0) ids[`${prefix}${field}`] = value;
    }
  };
  read(payload, '');
  const nested = payload as Record<string, unknown>;
  read(nested.user, 'user.');
  read(nested.channel_desc, 'channel_desc.');
  const role = nested.role;
  if (typeof role === 'object' && role !== null) {
    const id = (role as Record<string, unknown>).id;
    if (typeof id === 'string' && id.length > 0) ids['role.id'] = id;
    read(role, 'role.');
  }
  const messageId = nested.id;
  if (ids.message_id === undefined && typeof messageId === 'string' && messageId.length > 0)
    ids.id = messageId;
  return ids;
}

/** `clan_id=1 channel_id=2`, for messages. */
export function describeIds(ids: Readonly<Record<string, string>>): string {
  return Object.entries(ids)
    .map(([field, id]) => `${field}=${id}`)
    .join(' ');
}
