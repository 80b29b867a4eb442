/**
 * What the fake Discord knows to be true: each guild's current state, kept up to date by the
 * dispatches a test sends through {@link FakeDiscord.send}, and served over REST (guild, channels,
 * active threads, members page by page), so a re-sync can be checked against the gateway's truth.
 */
import type { APIGuildMember, APIRole, GatewayGuildCreateDispatchData } from 'discord-api-types/v10';

type Guild = GatewayGuildCreateDispatchData;
type Data = Record<string, unknown>;

const COLLECTIONS = new Set(['channels', 'threads', 'members', 'presences', 'voice_states']);

export class FakeWorld {
  readonly guilds = new Map<string, Guild>();

  constructor(guilds: readonly Guild[]) {
    for (const guild of guilds) this.guilds.set(guild.id, structuredClone(guild));
  }

  /** Member user ids of a guild, sorted (empty for an unknown guild). */
  memberIds(guildId: string): string[] {
    return (this.guilds.get(guildId)?.members ?? []).map((m) => m.user!.id).sort();
  }

  roleIds(guildId: string): string[] {
    return (this.guilds.get(guildId)?.roles ?? []).map((r) => r.id).sort();
  }

  /** Applies a dispatch to the truth (the events scenarios send; others change nothing here). */
  apply(t: string, d: Data): void {
    const guild = this.guilds.get(String(d.guild_id ?? d.id));
    if (t === 'GUILD_CREATE') {
      this.guilds.set(String(d.id), structuredClone(d) as unknown as Guild);
      return;
    }
    if (!guild) return;
    const userId = (d.user as { id?: string } | undefined)?.id;
    switch (t) {
      case 'GUILD_DELETE':
        if (d.unavailable !== true) this.guilds.delete(guild.id);
        break;
      case 'GUILD_MEMBER_ADD':
      case 'GUILD_MEMBER_UPDATE': {
        const { guild_id: _guildId, ...value } = d;
        const index = guild.members.findIndex((m) => m.user?.id === userId);
        const merged = { ...guild.members[index], ...value } as APIGuildMember;
        if (index >= 0) guild.members[index] = merged;
        else guild.members.push(merged);
        break;
      }
      case 'GUILD_MEMBER_REMOVE':
        guild.members = guild.members.filter((m) => m.user?.id !== userId);
        break;
      case 'GUILD_ROLE_CREATE':
      case 'GUILD_ROLE_UPDATE': {
        const role = d.role as APIRole;
        guild.roles = [...guild.roles.filter((r) => r.id !== role.id), role];
        break;
      }
      case 'GUILD_ROLE_DELETE':
        guild.roles = guild.roles.filter((r) => r.id !== d.role_id);
        for (const m of guild.members) m.roles = m.roles.filter((id) => id !== d.role_id);
        break;
      case 'CHANNEL_CREATE':
      case 'CHANNEL_UPDATE':
        guild.channels = [
          ...guild.channels.filter((c) => c.id !== d.id),
          d as unknown as Guild['channels'][number],
        ];
        break;
      case 'CHANNEL_DELETE':
        guild.channels = guild.channels.filter((c) => c.id !== d.id);
        break;
      default:
        break;
    }
  }

  /** The REST answer for a route (relative to `/api/v10`), or undefined when this world has none. */
  rest(route: string, query: URLSearchParams): unknown {
    const match = /^\/guilds\/(\d+)(\/channels|\/threads\/active|\/members)?$/.exec(route);
    const guild = match ? this.guilds.get(match[1]!) : undefined;
    if (!guild) return undefined;
    switch (match![2]) {
      case undefined: {
        const out: Data = {};
        for (const [field, value] of Object.entries(guild)) if (!COLLECTIONS.has(field)) out[field] = value;
        return out;
      }
      case '/channels':
        return guild.channels;
      case '/threads/active':
        return { threads: guild.threads, members: [] };
      default: {
        // Discord's paging: members with a user id above `after`, in id order, at most `limit`.
        const after = BigInt(query.get('after') ?? '0');
        const limit = Number(query.get('limit') ?? '1');
        return [...guild.members]
          .filter((m) => BigInt(m.user!.id) > after)
          .sort((a, b) => (BigInt(a.user!.id) < BigInt(b.user!.id) ? -1 : 1))
          .slice(0, limit);
      }
    }
  }
}
