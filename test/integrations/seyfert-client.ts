/**
 * A real Seyfert 5 Client logged in to the TLS fake Discord (seyfert-fake-discord.ts): its own
 * ShardManager, socket, event handler and Cache, configured in code (`getRC`) instead of a
 * seyfert.config file, with the cache adapter under test installed through `setServices`.
 */
import { type Adapter, ApiHandler, Client, GatewayIntentBits, Logger } from 'seyfert';
import type { TlsFakeDiscord } from './seyfert-fake-discord.js';

/** The intents of a bot that caches guilds, members, presences, voice states and messages. */
export const SEYFERT_TEST_INTENTS =
  GatewayIntentBits.Guilds |
  GatewayIntentBits.GuildMembers |
  GatewayIntentBits.GuildPresences |
  GatewayIntentBits.GuildVoiceStates |
  GatewayIntentBits.GuildMessages |
  GatewayIntentBits.MessageContent;

/** A token whose first segment is the bot id, as Seyfert reads it (`getBotIdFromToken`). */
export function tokenFor(botId: string): string {
  return `${Buffer.from(botId).toString('base64')}.fake.token`;
}

export interface StartedSeyfert {
  readonly client: Client;
  stop(): Promise<void>;
}

/** Starts a Client with `adapter` (Seyfert's default MemoryAdapter when undefined) and connects it. */
export async function startSeyfert(
  fake: Pick<TlsFakeDiscord, 'domain'>,
  botId: string,
  adapter: Adapter | undefined,
): Promise<StartedSeyfert> {
  const token = tokenFor(botId);
  const client = new Client({
    getRC: () => ({ token, intents: SEYFERT_TEST_INTENTS, locations: { base: '.' } }),
  });
  client.logger = new Logger({ name: '[Seyfert]', active: false });
  client.setServices({
    rest: new ApiHandler({ token, domain: fake.domain }),
    ...(adapter ? { cache: { adapter } } : {}),
  });
  await client.start();
  return {
    client,
    async stop() {
      client.gateway?.disconnectAll();
    },
  };
}

/** Polls an async condition until it holds (gateway dispatches cross a real socket). */
export async function until(
  condition: () => Promise<boolean>,
  what: string,
  timeout = 15_000,
): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeout) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
