import type { Plugin } from '../../plugins/index.js';
import type { BotCache } from '../../resources/index.js';
import type { DemoResourceTypes, MezonChannelMessage, MezonUser } from './mezon-shapes.js';

/** What the demo's plugins are handed as their "client": user lookups that go through the cache. */
export interface DemoClient {
  /** Cache first, the (simulated) Mezon API on a miss; concurrent misses share one call. */
  fetchUser(userId: string): Promise<MezonUser | undefined>;
}

export type DemoPlugin = Plugin<MezonChannelMessage, DemoClient, BotCache<DemoResourceTypes>>;

/**
 * The plugins a small Mezon bot runs. Each answers from the cache: `get` for what the gateway keeps
 * true (clans, roles, members), `fetch` for users, which may be missing and then load once.
 */
export const DEMO_PLUGINS: readonly DemoPlugin[] = [
  {
    name: 'profiles',
    commands: {
      async whois(ctx) {
        const user = ctx.args[0] ? await ctx.client.fetchUser(ctx.args[0]) : undefined;
        await ctx.reply(user ? `${user.display_name} (@${user.username})` : 'no such user');
      },
    },
    // Every message shows its author's display name: the cache answers, the API is never asked.
    async onMessage(ctx) {
      await ctx.client.fetchUser(ctx.authorId);
    },
  },
  {
    name: 'clan-info',
    commands: {
      async clan(ctx) {
        if (ctx.guildId === undefined) return;
        const clan = await ctx.cache.guilds.get(ctx.guildId);
        const members = await ctx.cache.members.forGuild(ctx.guildId).count();
        await ctx.reply(`${clan?.clan_name ?? 'unknown clan'}: ${members} members`);
      },
      async roles(ctx) {
        if (ctx.guildId === undefined) return;
        const member = await ctx.cache.members.get(ctx.guildId, ctx.authorId);
        const roles = await ctx.cache.roles.getMany([...(member?.role_id ?? [])]);
        await ctx.reply(roles.map((role) => role?.title ?? '?').join(', ') || 'no roles');
      },
    },
  },
];
