/** role_event (create / update / delete, users added / removed) and role_assign_event → roles, members. */
import type { EventBatch } from './event-batch.js';
import {
  asPayload,
  clanScope,
  IgnoredPayload,
  idList,
  type Payload,
  requireClan,
  requireId,
} from './payload.js';
import type { MezonMemberRecord, MezonRoleRecord } from './records.js';
import { type MezonRole, ROLE_STATUS, type RoleAssignedEvent, type RoleEvent } from './sdk-types.js';
import { changeMemberRoles, ensureClan, type MezonEventContext } from './upserts.js';

/** A role without its embedded user and permission lists (members carry role ids instead). */
export function toRoleRecord(role: {
  readonly id: string;
  readonly clan_id: string;
  readonly role_user_list?: unknown;
  readonly permission_list?: unknown;
}): MezonRoleRecord {
  const { role_user_list: _users, permission_list: _permissions, ...rest } = role;
  // The socket's Role and the REST ApiRole carry the same scalar fields.
  return rest as MezonRoleRecord;
}

export async function onRoleEvent(
  _context: MezonEventContext,
  event: RoleEvent,
  batch: EventBatch,
): Promise<void> {
  const payload = asPayload(event, 'role_event');
  const role = asPayload(payload.role, 'role');
  const roleId = requireId(role, 'id');
  const clanId = requireClan(role, 'clan_id');
  const status = payload.status;
  const added = idList(payload, 'user_add_ids');
  const removed = idList(payload, 'user_remove_ids');

  if (status === ROLE_STATUS.deleted) {
    batch.deleteRole(roleId);
    await dropRoleFromMembers(batch, clanId, roleId);
    return;
  }
  if (status !== ROLE_STATUS.created && status !== ROLE_STATUS.updated) {
    // Not one of Mezon's EEventAction values: acting on it (say, as a create) would invent a role.
    throw new IgnoredPayload(`role_event status ${String(status)} is not 1, 2 or 3`);
  }
  await ensureClan(batch, clanId);
  const known = await batch.role(roleId);
  batch.setRole(toRoleRecord({ ...known, ...(role as Partial<MezonRole>), id: roleId, clan_id: clanId }));
  await changeMemberRoles(batch, clanId, [...added, ...roleUserIds(role)], roleId, 'add');
  await changeMemberRoles(batch, clanId, removed, roleId, 'remove');
}

export async function onRoleAssign(
  _context: MezonEventContext,
  event: RoleAssignedEvent,
  batch: EventBatch,
): Promise<void> {
  const payload = asPayload(event, 'role_assign_event');
  // The SDK's type spells it `ClanId`; accept the protobuf-JSON spelling too.
  const clanId = clanScope(payload, 'ClanId') ?? requireClan(payload, 'clan_id');
  const roleId = requireId(payload, 'role_id');
  await changeMemberRoles(batch, clanId, idList(payload, 'user_ids_assigned'), roleId, 'add');
  await changeMemberRoles(batch, clanId, idList(payload, 'user_ids_removed'), roleId, 'remove');
}

/** Users the role event lists as holding the role (present on creation). */
function roleUserIds(role: Payload): string[] {
  const list = role.role_user_list;
  if (typeof list !== 'object' || list === null) return [];
  const users = (list as Payload).role_users;
  if (!Array.isArray(users)) return [];
  return users.map((user) => requireId(asPayload(user, 'role_users[]'), 'id'));
}

async function dropRoleFromMembers(batch: EventBatch, clanId: string, roleId: string): Promise<void> {
  const holders: string[] = [];
  for await (const [, value] of batch.cache.members.forGuild(clanId)) {
    const member = value as MezonMemberRecord;
    if (member.role_ids.includes(roleId)) holders.push(member.user_id);
  }
  await changeMemberRoles(batch, clanId, holders, roleId, 'remove');
}
