import { Clan } from 'mezon-sdk/dist/cjs/mezon-client/structures/Clan.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelMessage } from '../../src/platforms/mezon/index.js';
import { attachMezon, createMezonCache, mezonAdapter } from '../../src/platforms/mezon/index.js';
import type { PluginContext } from '../../src/plugins/index.js';
import { PluginManager } from '../../src/plugins/index.js';
import { BOT_ID, createMezonTestClient, type MezonTestClient } from '../support/mezon/mezon-test-client.js';
import { CHANNEL, CLAN, channelCreated, channelMessage } from '../support/mezon/payloads.js';

const OTHER_CLAN = '1840000000000000110';
const NEW_CLAN = '1840000000000000120';

let sdk: MezonTestClient;
beforeAll(() => {
  sdk = createMezonTestClient();
});
afterAll(() => sdk.dispose());

/** What login() does: fresh managers (the SDK replaces them on every login), then the clan list, then 'ready'. */
function simulateLogin(clanIds: string[]): void {
  const client = sdk.client;
  client.initManager('http://127.0.0.1:9');
  const internals = client as unknown as Record<string, unknown>;
  for (const id of ['0', ...clanIds]) {
    const clan = new Clan(
      { id, name: `clan ${id}`, welcome_channel_id: '', clan_name: `Clan ${id}` },
      client,
      internals.apiClient as never,
      internals.socketManager as never,
      'session-token',
      internals.messageQueue as never,
      internals.messageDB as never,
    );
    client.clans.set(id, clan);
  }
  client.emit('ready');
}

describe('attachMezon across logins', () => {
  it('refreshes clans on every ready without a cold start', async () => {
    const cache = createMezonCache();
    const attachment = attachMezon(cache, sdk.client, { loadChannels: false });
    simulateLogin([CLAN, OTHER_CLAN]);
    await attachment.idle();
    expect(await cache.clans.get(CLAN)).toEqual({
      id: CLAN,
      name: `clan ${CLAN}`,
      clan_name: `Clan ${CLAN}`,
    });
    expect(await cache.clans.get('0')).toBeUndefined();

    sdk.deliver('channel_created_event', channelCreated());
    await attachment.idle();

    // Reconnect: the SDK rebuilt its managers; the bot has since left OTHER_CLAN and joined NEW_CLAN.
    simulateLogin([CLAN, NEW_CLAN]);
    await attachment.idle();
    expect(attachment.stats.refreshes).toBe(2);
    expect(await cache.clans.get(NEW_CLAN)).toBeDefined();
    expect(await cache.clans.get(OTHER_CLAN)).toBeUndefined();
    // Data of the clan that stayed survived the reconnect.
    expect(await cache.channels.get(CHANNEL)).toMatchObject({ channel_label: 'general' });
    attachment.detach();
    await cache.close();
  });
});

describe('mezonAdapter with PluginManager', () => {
  it('routes commands from the real client emitter and ignores the bot itself', async () => {
    // A client that never logged in: the SDK's own message listeners (which call REST) stay unbound.
    const sdk = createMezonTestClient();
    const cache = createMezonCache();
    const seen: string[] = [];
    const plugins = new PluginManager({ adapter: mezonAdapter(sdk.client), client: sdk.client, cache });
    plugins.register({
      name: 'probe',
      commands: {
        whois: (ctx: PluginContext<ChannelMessage>) => {
          seen.push(`${ctx.args[0]}@${ctx.guildId}:${ctx.channelId}`);
        },
      },
    });
    const listener = plugins.listener();
    sdk.client.onChannelMessage(listener);
    sdk.deliver('channel_message', channelMessage({ content: { t: '!whois ann' } }));
    sdk.deliver(
      'channel_message',
      channelMessage({ id: '2', content: { t: '!whois me' }, sender_id: BOT_ID }),
    );
    sdk.deliver('channel_message', channelMessage({ id: '3', content: { t: '!whois dm' }, clan_id: '0' }));
    await plugins.idle();
    expect(seen).toEqual([`ann@${CLAN}:${CHANNEL}`, `dm@undefined:${CHANNEL}`]);
    sdk.client.off('channel_message', listener);
    await plugins.close();
    sdk.dispose();
  });
});
