import { EntryNotFound } from '../../errors/index.js';
import { type PlatformAdapter, PluginManager } from '../../plugins/index.js';
import { type BotCache, createCache } from '../../resources/index.js';
import type { Store } from '../../store/types.js';
import { applyEvent } from './apply-event.js';
import { DEMO_PLUGINS, type DemoClient } from './demo-plugins.js';
import type { GatewayEvent } from './gateway-events.js';
import type { DemoResourceTypes, MezonChannelMessage } from './mezon-shapes.js';
import type { SessionSimulator } from './session-simulator.js';

/** What the bot did, beyond what the store counts. */
export interface BotActivity {
  events: number;
  messagesDispatched: number;
  commandsAnswered: number;
  pluginFailures: number;
}

/**
 * A simulated Mezon bot: a cache over a store, a fetcher for users (cache-aside over the simulated
 * API), and a PluginManager that sees every message after the gateway wrote it into the cache.
 */
export class DemoBot {
  readonly cache: BotCache<DemoResourceTypes>;
  readonly plugins: PluginManager<MezonChannelMessage, DemoClient, BotCache<DemoResourceTypes>>;
  readonly activity: BotActivity = {
    events: 0,
    messagesDispatched: 0,
    commandsAnswered: 0,
    pluginFailures: 0,
  };

  constructor(
    store: Store,
    readonly session: SessionSimulator,
  ) {
    // A namespace prefix keeps the demo's data apart from a real bot's on a shared Redis.
    this.cache = createCache<DemoResourceTypes>({ store, namespacePrefix: 'demo' });
    // Loaded users go through the resource's own write path, so their expiry follows their references.
    this.cache.users.setLoader(async (userId) => session.lookupUser(userId));
    const adapter: PlatformAdapter<MezonChannelMessage> = {
      platform: 'mezon',
      read: (message) => ({
        text: message.content.t,
        messageId: message.message_id,
        channelId: message.channel_id,
        authorId: message.sender_id,
        guildId: message.clan_id,
        fromBot: message.sender_id === session.botId,
      }),
      reply: async () => {
        this.activity.commandsAnswered++;
      },
    };
    const client: DemoClient = {
      fetchUser: async (userId) => {
        try {
          return await this.cache.users.fetch(userId);
        } catch (error) {
          // The API said the user does not exist: an answer, not a failure.
          if (error instanceof EntryNotFound) return undefined;
          throw error;
        }
      },
    };
    this.plugins = new PluginManager({
      adapter,
      client,
      cache: this.cache,
      onError: () => {
        this.activity.pluginFailures++;
      },
    });
    for (const plugin of DEMO_PLUGINS) this.plugins.register(plugin);
  }

  /** Applies one gateway event; a message is then dispatched to the plugins, as a bot's handler would. */
  async handle(event: GatewayEvent): Promise<void> {
    await applyEvent(this.cache, event);
    this.activity.events++;
    if (event.type === 'channel_message') {
      await this.plugins.handle(event.message);
      this.activity.messagesDispatched++;
    }
  }

  async close(): Promise<void> {
    await this.plugins.close();
    await this.cache.close();
  }
}
