/**
 * A Mezon bot on botcache: the cache follows the socket's events, commands answer from it.
 *   MEZON_BOT_ID=... MEZON_BOT_TOKEN=... npx tsx examples/mezon-bot/bot.ts
 * Commands: !hi, !roles (the clan's roles, loaded once through clan.listRoles()), !whois @user.
 */
import { MezonClient } from 'mezon-sdk';
import {
  attachMezon,
  type ChannelMessage,
  createMezonCache,
  fetchClanRoles,
  type MezonCache,
  mezonAdapter,
  mezonLoaders,
} from '../../src/platforms/mezon/index.js';
import { type Plugin, PluginManager } from '../../src/plugins/index.js';

type BotPlugin = Plugin<ChannelMessage, MezonClient, MezonCache>;

const botId = process.env.MEZON_BOT_ID;
const token = process.env.MEZON_BOT_TOKEN;
if (!botId || !token) {
  console.error('Set MEZON_BOT_ID and MEZON_BOT_TOKEN.');
  process.exit(1);
}

const client = new MezonClient({ botId, token });
const cache = createMezonCache();
const loaders = mezonLoaders(client);
const attachment = attachMezon(cache, client);
attachment.on('error', (error) => console.warn(`[botcache] ${error.message}`));

const greeting: BotPlugin = {
  name: 'greeting',
  commands: { hi: (ctx) => ctx.reply('Hello!') },
};

const roles: BotPlugin = {
  name: 'roles',
  commands: {
    roles: async (ctx) => {
      if (!ctx.guildId) return ctx.reply('Roles exist in clans only.');
      const list = await fetchClanRoles(ctx.cache, loaders, ctx.guildId);
      const names = list.map((role) => role.title).filter(Boolean);
      return ctx.reply(names.length > 0 ? `Roles: ${names.join(', ')}` : 'This clan has no roles.');
    },
  },
};

const whois: BotPlugin = {
  name: 'whois',
  commands: {
    whois: async (ctx) => {
      if (!ctx.guildId) return ctx.reply('Ask in a clan channel.');
      const userId = ctx.message.mentions?.[0]?.user_id ?? ctx.authorId;
      const member = await ctx.cache.members.get(ctx.guildId, userId);
      if (!member) return ctx.reply('I have not seen that member yet.');
      const user = await ctx.cache.users.get(userId);
      const name = member.clan_nick ?? member.display_name ?? user?.display_name ?? member.username ?? userId;
      const roleNames: string[] = [];
      for (const roleId of member.role_ids) {
        const role = await ctx.cache.roles.get(roleId);
        if (role?.title) roleNames.push(role.title);
      }
      return ctx.reply(`${name} (${user?.username ?? 'unknown'}), roles: ${roleNames.join(', ') || 'none'}`);
    },
  },
};

const plugins = new PluginManager({ adapter: mezonAdapter(client), client, cache, concurrency: 8 });
plugins.register(greeting).register(roles).register(whois);
plugins.on('error', (error) => console.error(`[plugin ${error.plugin}]`, error.cause));
client.onChannelMessage(plugins.listener());

async function shutdown(): Promise<void> {
  attachment.detach();
  await plugins.close();
  await cache.close();
  client.closeSocket();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());

await cache.open();
await client.login();
console.log('Mezon bot ready');
