import type { BotCache } from '../../resources/index.js';
import type { GatewayEvent } from './gateway-events.js';
import type { DemoResourceTypes } from './mezon-shapes.js';

/**
 * Applies one simulated socket event to the cache, the way a platform adapter does: a clan arriving
 * is one transaction (no reader sees half a clan), everything else is one resource call.
 */
export async function applyEvent(cache: BotCache<DemoResourceTypes>, event: GatewayEvent): Promise<void> {
  switch (event.type) {
    case 'clan_joined':
      await cache.transaction((tx) => {
        tx.guilds.set(event.clan.clan_id, event.clan);
        for (const channel of event.channels)
          tx.channels.set(channel.channel_id, channel, { guildId: channel.clan_id });
        for (const role of event.roles) tx.roles.set(role.id, role, { guildId: role.clan_id });
        for (const { user, member } of event.members) {
          tx.users.set(user.id, user);
          tx.members.set(member.clan_id, user.id, member);
        }
      });
      return;
    case 'add_clan_user':
      await cache.transaction((tx) => {
        tx.users.set(event.user.id, event.user);
        tx.members.set(event.member.clan_id, event.user.id, event.member);
      });
      return;
    case 'user_clan_removed':
      await cache.members.delete(event.clanId, event.userId);
      return;
    case 'role_updated':
      await cache.roles.patch(event.role.id, { color: event.role.color });
      return;
    case 'channel_message': {
      const { message } = event;
      await cache.messages.set(message.message_id, message, {
        channelId: message.channel_id,
        authorId: message.sender_id,
        guildId: message.clan_id,
      });
      return;
    }
  }
}
