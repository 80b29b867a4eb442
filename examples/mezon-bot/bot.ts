/**
 * A Mezon bot on botcache: the cache follows the socket's events, commands answer from it through
 * `fetch` (cache first, one SDK call on a miss, unknown ids remembered).
 *   MEZON_BOT_ID=... MEZON_BOT_TOKEN=... npx tsx examples/mezon-bot/bot.ts
 * Commands: !hi, !roles (the clan's roles, listed once through clan.listRoles()), !whois @user,
 * !channel (this channel, through cache.channels.fetch).
 */
import { MezonClient } from 'mezon-sdk';
import { EntryNotFound } from '../../src/errors/index.js';
import {
  attachMezon,
  type ChannelMessage,
  createMezonCache,
  type MezonCache,
  mezonAdapter,
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
// Policies per resource; attachMezon sets the SDK loaders on clans, channels and users.
const cache = createMezonCache({
  fetch: {
    channels: { negativeTtl: '1m', timeout: '15s' },
    users: { negativeTtl: '30s' },
  },
});
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
      const list = await attachment.fetchClanRoles(ctx.guildId).catch((error: unknown) => {
        if (error instanceof EntryNotFound) return undefined;
        throw error;
      });
      if (!list) return ctx.reply('I am not in this clan.');
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
      const user = await ctx.cache.users.fetch(userId).catch(() => undefined);
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

const channel: BotPlugin = {
  name: 'channel',
  commands: {
    channel: async (ctx) => {
      // Cached after the first call; a channel the SDK cannot find is remembered for a minute.
      const info = await ctx.cache.channels.fetch(ctx.channelId);
      const kind = info.channel_private ? 'private' : 'public';
      return ctx.reply(`#${info.channel_label ?? ctx.channelId} (${kind}, clan ${info.clan_id ?? 'none'})`);
    },
  },
};

const plugins = new PluginManager({ adapter: mezonAdapter(client), client, cache, concurrency: 8 });
plugins.register(greeting).register(roles).register(whois).register(channel);
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
