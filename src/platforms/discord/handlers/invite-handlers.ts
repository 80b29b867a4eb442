/** INVITE_CREATE / INVITE_DELETE. Invites expire with the invite (`created_at + max_age`). */
import type { APIUser, GatewayInviteCreateDispatchData } from 'discord-api-types/v10';
import { idOf, isFullUser, isObject, objectOf, optionalIdOf } from '../payload-checks.js';
import { writeHandler } from './handler-types.js';

function codeOf(data: Record<string, unknown>, what: string): string {
  if (typeof data.code !== 'string' || data.code.length === 0)
    throw new TypeError(`${what}.code must be a string`);
  return data.code;
}

export const inviteCreate = writeHandler(true, (tx, data, ctx) => {
  const what = 'INVITE_CREATE';
  const invite = objectOf(data, what);
  const code = codeOf(invite, what);
  const channelId = idOf(invite, 'channel_id', what);
  const guildId = optionalIdOf(invite, 'guild_id', what);
  const created = typeof invite.created_at === 'string' ? Date.parse(invite.created_at) : Number.NaN;
  const maxAge = typeof invite.max_age === 'number' ? invite.max_age : 0;
  const expiresAt = maxAge > 0 && Number.isFinite(created) ? created + maxAge * 1000 : undefined;
  for (const field of ['inviter', 'target_user']) {
    const user = invite[field];
    if (ctx.keeps('users') && isObject(user) && typeof user.id === 'string' && isFullUser(user)) {
      tx.users.set(user.id, user as unknown as APIUser);
    }
  }
  if (!ctx.keeps('invites')) return;
  tx.invites.set(code, invite as unknown as GatewayInviteCreateDispatchData, {
    channelId,
    ...(guildId === undefined ? {} : { guildId }),
    ...(expiresAt === undefined ? {} : { expiresAt }),
  });
});

export const inviteDelete = writeHandler(true, (tx, data, ctx) => {
  const what = 'INVITE_DELETE';
  const invite = objectOf(data, what);
  const code = codeOf(invite, what);
  if (ctx.keeps('invites')) tx.invites.delete(code);
});
