import type { IndexLink } from '../store/types.js';
import { parseGuildUserKey } from './ids.js';
import type { ResourceContext } from './resource-context.js';
import { collectKeys } from './resource-core.js';
import { BY_CHANNEL, BY_GUILD, type ResourceName } from './resource-names.js';
import type { WritePlan } from './write-plan.js';

function clearIndex(ctx: ResourceContext, plan: WritePlan, resource: ResourceName, link: IndexLink): void {
  plan.push({ type: 'clearIndex', ns: ctx.namespace(resource), link, options: { deleteEntries: true } });
}

/**
 * Deletes the members linked to `link` and records, for each, that its user loses a reference. The keys
 * are read first: a member added between the read and the batch is deleted too, but keeps its user alive.
 */
export async function planMemberRelease(
  ctx: ResourceContext,
  plan: WritePlan,
  link: IndexLink,
): Promise<void> {
  const ns = ctx.namespace('members');
  for (const key of await collectKeys(ctx.store.indexKeys(ns, link))) {
    const parsed = parseGuildUserKey(key);
    if (parsed) plan.memberRemoved(parsed[1]);
  }
  clearIndex(ctx, plan, 'members', link);
}

/** What goes with a channel: its messages, its invites, the voice states in it. */
export function planChannelCascade(ctx: ResourceContext, plan: WritePlan, channelId: string): void {
  const link: IndexLink = { by: BY_CHANNEL, parent: channelId };
  clearIndex(ctx, plan, 'messages', link);
  clearIndex(ctx, plan, 'invites', link);
  clearIndex(ctx, plan, 'voiceStates', link);
}

/**
 * What goes with a guild: channels (and what goes with each), roles, emojis, members (releasing their
 * users), presences, voice states, invites, and messages linked to the guild.
 */
export async function planGuildCascade(
  ctx: ResourceContext,
  plan: WritePlan,
  guildId: string,
): Promise<void> {
  const link: IndexLink = { by: BY_GUILD, parent: guildId };
  const channels = await collectKeys(ctx.store.indexKeys(ctx.namespace('channels'), link));
  for (const channelId of channels) planChannelCascade(ctx, plan, channelId);
  for (const resource of [
    'channels',
    'roles',
    'emojis',
    'presences',
    'voiceStates',
    'invites',
    'messages',
  ] as const) {
    clearIndex(ctx, plan, resource, link);
  }
  await planMemberRelease(ctx, plan, link);
}
