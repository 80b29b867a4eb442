/** The fake gateway speaks enough of gateway v10 for the real @discordjs/ws WebSocketManager. */
import { REST } from '@discordjs/rest';
import { WebSocketManager, WebSocketShardEvents } from '@discordjs/ws';
import { GatewayDispatchEvents, type GatewayDispatchPayload, GatewayIntentBits } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type FakeDiscord,
  guildCreate,
  snowflake,
  startFakeDiscord,
  user,
  waitFor,
} from '../support/discord/index.js';

const BOT = user(snowflake(9, 1), 'botcache-bot');

describe('fake Discord gateway with the real WebSocketManager', () => {
  let fake: FakeDiscord | undefined;
  let manager: WebSocketManager | undefined;
  afterEach(async () => {
    await manager?.destroy();
    await fake?.stop();
  });

  it('identifies, receives READY, GUILD_CREATEs and sequenced dispatches, then resumes after op 7', async () => {
    fake = await startFakeDiscord({ user: BOT, guilds: [guildCreate({ id: snowflake(5, 1), members: 3 })] });
    const rest = new REST({ api: fake.apiUrl }).setToken('test-token');
    manager = new WebSocketManager({ token: 'test-token', intents: GatewayIntentBits.Guilds, rest });
    const seen: GatewayDispatchPayload[] = [];
    manager.on(WebSocketShardEvents.Dispatch, (payload) => {
      seen.push(payload);
    });
    await manager.connect();

    expect(fake.gateway.identifies).toHaveLength(1);
    expect(fake.gateway.identifies[0]).toMatchObject({
      token: 'test-token',
      intents: GatewayIntentBits.Guilds,
    });
    await waitFor(() => seen.length >= 2, 'READY + GUILD_CREATE');
    expect(seen.map((p) => p.t)).toEqual([GatewayDispatchEvents.Ready, GatewayDispatchEvents.GuildCreate]);
    expect(seen.map((p) => p.s)).toEqual([1, 2]);

    fake.gateway.dispatch('USER_UPDATE', { ...BOT, username: 'renamed' });
    await waitFor(() => seen.length >= 3, 'USER_UPDATE');
    expect(seen[2]).toMatchObject({ t: 'USER_UPDATE', s: 3, d: { username: 'renamed' } });

    // op 7: the client closes, reconnects to resume_gateway_url and sends RESUME with its last sequence.
    const resumed = new Promise((resolve) =>
      fake?.gateway.once('resumed', (_id, replayed) => resolve(replayed)),
    );
    fake.gateway.requestReconnect();
    fake.gateway.dispatch('USER_UPDATE', { ...BOT, username: 'while-away' });
    expect(await resumed).toBe(1);
    expect(fake.gateway.resumes[0]).toMatchObject({ seq: 3, session_id: 'session-1' });
    await waitFor(() => seen.find((p) => p.t === 'RESUMED'), 'RESUMED');
    expect(seen.slice(3).map((p) => [p.t, p.s])).toEqual([
      ['USER_UPDATE', 4],
      ['RESUMED', 5],
    ]);
    expect(fake.gateway.identifies).toHaveLength(1);
  });

  it('answers /gateway/bot and unknown routes like Discord', async () => {
    fake = await startFakeDiscord({ user: BOT, guilds: [] });
    const rest = new REST({ api: fake.apiUrl, retries: 0 }).setToken('t');
    const info = (await rest.get('/gateway/bot')) as { url: string };
    expect(info.url).toBe(fake.gatewayUrl);
    await expect(rest.get('/guilds/123')).rejects.toMatchObject({ status: 404, code: 10004 });
    fake.rest.routes.set('/users/5', user('5'));
    await expect(rest.get('/users/5')).resolves.toMatchObject({ id: '5' });
  });
});
