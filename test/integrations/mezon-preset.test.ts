/**
 * mezonPreset with a real mezon-sdk MezonClient logged in to a local fake Mezon server; events arrive
 * over the real protobuf socket. The SDK's managers stay bounded, misses are answered from botcache
 * (no REST, no DM channel opened), the SQLite message file stops growing, and `client.channels.fetch`,
 * `channel.send` and `message.reply` keep working.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMezonCache,
  type MezonCache,
  type MezonPreset,
  mezonPreset,
} from '../../src/platforms/mezon/index.js';
import {
  type IntegrationMezonServer,
  startIntegrationMezonServer,
} from '../support/integrations-mezon-server.js';
import {
  PRESET_CLAN,
  presetChannelId,
  presetMessageId,
  presetUserId,
  presetWorld,
  socketMessage,
} from '../support/integrations-mezon-session.js';
import { eventually as waitFor } from '../support/integrations-wait.js';
import { BOT_ID, createMezonTestClient, type MezonTestClient } from '../support/mezon/mezon-test-client.js';

const opened: Array<{
  sdk: MezonTestClient;
  server: IntegrationMezonServer;
  cache: MezonCache;
  preset: MezonPreset;
}> = [];

afterEach(async () => {
  for (const { sdk, server, cache, preset } of opened.splice(0)) {
    preset.detach();
    sdk.dispose();
    await cache.close();
    await server.close();
  }
});

async function loggedIn(options: Parameters<typeof mezonPreset>[2], channels = 4) {
  const server = await startIntegrationMezonServer(presetWorld(channels), BOT_ID);
  const sdk = createMezonTestClient(BOT_ID, server);
  const cache = createMezonCache();
  const preset = mezonPreset(cache, sdk.client, options);
  opened.push({ sdk, server, cache, preset });
  await sdk.client.login();
  await server.connected();
  await preset.attachment.idle();
  return { server, sdk, cache, preset, client: sdk.client };
}

function rowsIn(dir: string): number {
  const file = join(dir, 'mezon-cache', 'mezon-messages-cache.db');
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM messages_v2').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

// Each login goes through mezon-sdk's process-wide REST queue (one call per ≥ 1 s) and its retry backoff.
describe('mezonPreset', { timeout: 90_000 }, () => {
  it('bounds the SDK managers and answers their misses from botcache', async () => {
    const { server, cache, preset, client, sdk } = await loggedIn({
      sdkLimits: { channels: 2, users: 2, messagesPerChannel: 2 },
    });
    // The ready refresh listed 4 channels into botcache; the SDK keeps 2.
    await waitFor(async () => (await cache.channels.get(presetChannelId(3))) !== undefined);
    expect(client.channels.size).toBeLessThanOrEqual(2);

    for (let i = 0; i < 12; i += 1) server.push(socketMessage(i, i % 2, i % 4));
    await waitFor(async () => (await cache.messages.get(presetMessageId(11))) !== undefined);
    await preset.attachment.idle();
    expect(client.users.size).toBeLessThanOrEqual(2);
    const channel0 = await client.channels.fetch(presetChannelId(0));
    expect(channel0.messages.size).toBeLessThanOrEqual(2);

    // A channel the SDK dropped comes back from botcache, without a REST call.
    const evicted = [0, 1, 2, 3].map(presetChannelId).find((id) => client.channels.get(id) === undefined);
    expect(evicted).toBeDefined();
    const restBefore = server.count('GET', `/v2/channeldesc/${evicted}`);
    const channel = await client.channels.fetch(evicted as string);
    expect(channel.id).toBe(evicted);
    expect(channel.clan.id).toBe(PRESET_CLAN);
    expect(server.count('GET', `/v2/channeldesc/${evicted}`)).toBe(restBefore);

    // channel.send goes out on the socket as the SDK writes it.
    await channel.send({ t: 'hello from the preset' });
    const sent = server.envelopes.find((e) => e.channel_message_send?.channel_id === evicted);
    expect(JSON.parse(sent?.channel_message_send?.content ?? '{}')).toEqual({ t: 'hello from the preset' });

    // An old message the SDK dropped from channel.messages is read from botcache, and reply works:
    // its sender (dropped from client.users) also comes from botcache, so no DM channel is opened.
    const old = await channel0.messages.fetch(presetMessageId(0));
    expect(old.content).toEqual({ t: 'message 0 with some ordinary chat text in it' });
    expect(client.users.get(presetUserId(0))).toBeUndefined();
    await old.reply({ t: 'a reply' });
    const reply = server.envelopes.find(
      (e) => e.channel_message_send?.content === JSON.stringify({ t: 'a reply' }),
    );
    const references = reply?.channel_message_send?.references ?? [];
    expect(references[0]).toMatchObject({
      message_ref_id: presetMessageId(0),
      message_sender_id: presetUserId(0),
      message_sender_username: 'User 0',
    });
    expect(server.count('POST', '/v2/channeldesc')).toBe(0);
    expect(preset.stats.fromBotcache).toBeGreaterThanOrEqual(3);

    // The SDK wrote none of the 12 messages into its SQLite file.
    expect(existsSync(join(sdk.dir, 'mezon-cache', 'mezon-messages-cache.db'))).toBe(true);
    expect(rowsIn(sdk.dir)).toBe(0);
  });

  it('bounds the managers the SDK rebuilds on the next login', async () => {
    const { client } = await loggedIn({ sdkLimits: { users: 3 } });
    const first = client.users;
    client.initManager(`http://${client.host}:${client.port}`);
    expect(client.users).not.toBe(first);
    const user = first.get(presetUserId(0)) ?? first.first();
    for (let i = 0; i < 10; i += 1) {
      client.users.set(presetUserId(i), user ?? (undefined as never));
    }
    expect(client.users.size).toBe(3);
  });

  it("prunes the SDK's message file to the newest rows per channel (messageFile: 'prune')", async () => {
    const { server, cache, preset, sdk } = await loggedIn({ messageFile: 'prune', keepPerChannel: 5 });
    for (let i = 0; i < 40; i += 1) server.push(socketMessage(i, i % 2, i % 3));
    await waitFor(async () => (await cache.messages.get(presetMessageId(39))) !== undefined);
    await waitFor(() => rowsIn(sdk.dir) === 40);
    expect(preset.pruneMessageFile()).toBe(30);
    expect(rowsIn(sdk.dir)).toBe(10);
  });

  it("keeps the SDK's file untouched with messageFile: 'keep'", async () => {
    const { server, cache, sdk } = await loggedIn({ messageFile: 'keep' });
    for (let i = 0; i < 6; i += 1) server.push(socketMessage(i, 0, 0));
    await waitFor(async () => (await cache.messages.get(presetMessageId(5))) !== undefined);
    await waitFor(() => rowsIn(sdk.dir) === 6);
  });

  it('rejects what is not a MezonClient and an unknown file mode', async () => {
    const cache = createMezonCache();
    expect(() => mezonPreset(cache, {} as never)).toThrow(TypeError);
    const sdk = createMezonTestClient();
    expect(() => mezonPreset(cache, sdk.client, { messageFile: 'drop' as never })).toThrow(/messageFile/);
    sdk.dispose();
    await cache.close();
  });
});
