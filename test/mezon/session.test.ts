/**
 * Sessions with the real mezon-sdk against the local Mezon server: real socket drops (a server-side
 * close, muted pings, a restart with new tokens), the refresh each login runs, and loaders that must
 * tell a real absence from a failure. The SDK spaces REST calls ≥ 1024 ms apart process-wide and
 * reconnects 5 s after a drop, so this file is slow by nature; its waits are generous.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EntryNotFound } from '../../src/errors/index.js';
import { LoaderError } from '../../src/fetch/index.js';
import {
  attachMezon,
  createMezonCache,
  type MezonAttachment,
  type MezonCache,
} from '../../src/platforms/mezon/index.js';
import { type FakeMezonServer, startFakeMezonServer } from '../support/mezon/fake-mezon-server.js';
import { BOT_ID, createMezonTestClient, type MezonTestClient } from '../support/mezon/mezon-test-client.js';
import { addClanUser, CHANNEL, CLAN, channelMessage, OTHER_USER, USER } from '../support/mezon/payloads.js';
import { toEnvelope } from '../support/mezon-wire.js';

const SECOND_CHANNEL = '1840000000000000201';
const MISSING = '1840000000000000299';

let server: FakeMezonServer;
let sdk: MezonTestClient;
let cache: MezonCache;
let attachment: MezonAttachment;
const errors: string[] = [];

async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  ms = 90_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  server = await startFakeMezonServer(
    {
      clans: [{ clan_id: CLAN, clan_name: 'Test clan' }],
      channels: [
        { channel_id: CHANNEL, clan_id: CLAN, channel_label: 'general', type: 1, channel_private: 0 },
        { channel_id: SECOND_CHANNEL, clan_id: CLAN, channel_label: 'second', type: 1, channel_private: 0 },
      ],
      roles: {},
    },
    BOT_ID,
  );
  sdk = createMezonTestClient(BOT_ID, server);
  cache = createMezonCache();
  attachment = attachMezon(cache, sdk.client, {
    onError: (error) => errors.push(`${error.event}: ${error.message}`),
    refreshRetry: { initialDelay: 300, maxDelay: 2_000, attempts: 5 },
  });
  await sdk.client.login();
  await waitFor(() => attachment.stats.refreshes >= 1, 'the first refresh');
  await attachment.idle();
}, 120_000);

afterAll(async () => {
  attachment?.detach();
  await cache?.close();
  sdk?.dispose();
  await server?.close();
});

describe('Mezon sessions with the real SDK', () => {
  it('the first login lists the clan and its channels into the cache', async () => {
    expect(await cache.clans.get(CLAN)).toMatchObject({ id: CLAN, clan_name: 'Test clan' });
    expect(await cache.channels.forGuild(CLAN).count()).toBe(2);
  });

  it('loaders: a timeout, a 500 and a reset connection are load errors, not remembered; a 404 is', async () => {
    server.fault(
      /^\/v2\/channeldesc\/\d+$/,
      { kind: 'delay', ms: 9_000 },
      { kind: 'status', status: 500 },
      { kind: 'reset' },
    );
    const missingFromSdk = () => sdk.client.channels.cache.delete(CHANNEL);
    await cache.channels.delete(CHANNEL);
    for (let attempt = 0; attempt < 3; attempt++) {
      missingFromSdk();
      const error = await cache.channels.fetch(CHANNEL).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LoaderError);
      expect(error).not.toBeInstanceOf(EntryNotFound);
    }
    expect(cache.channels.fetchStats().negativeHits).toBe(0);
    // Nothing was remembered: the next fetch asks again and finds the channel.
    missingFromSdk();
    expect(await cache.channels.fetch(CHANNEL)).toMatchObject({ channel_label: 'general', clan_id: CLAN });
    // Only the server's 404 is an absence.
    await expect(cache.channels.fetch(MISSING)).rejects.toBeInstanceOf(EntryNotFound);
    await expect(cache.channels.fetch(MISSING)).rejects.toBeInstanceOf(EntryNotFound);
    expect(server.count('GET', `/v2/channeldesc/${MISSING}`)).toBe(1);
  }, 60_000);

  it('a refresh lists channels without holding events back, and a failed listing is retried', async () => {
    server.fault(/^\/v2\/channeldesc$/, { kind: 'delay', ms: 3_000 });
    const refreshed = attachment.refresh();
    // While the listing is slow, an event goes through at once.
    await new Promise((resolve) => setTimeout(resolve, 200));
    server.push({ add_clan_user_event: addClanUser(USER, 'ann') as never });
    await waitFor(
      async () => (await cache.members.get(CLAN, USER)) !== undefined,
      'the event during the refresh',
      2_500,
    );
    await refreshed;

    // A listing that fails is retried from a fresh listing, with backoff.
    const before = attachment.stats.refreshFailures;
    await cache.channels.delete(SECOND_CHANNEL);
    server.fault(/^\/v2\/channeldesc$/, { kind: 'status', status: 500 });
    await attachment.refresh();
    await waitFor(
      async () => (await cache.channels.get(SECOND_CHANNEL)) !== undefined,
      'the retried listing',
      30_000,
    );
    expect(attachment.stats.refreshFailures).toBe(before + 1);
  }, 60_000);

  it('a server-side close: the SDK reconnects, the refresh runs, members become unconfirmed until seen', async () => {
    server.push({ add_clan_user_event: addClanUser(OTHER_USER, 'bob') as never });
    await waitFor(async () => (await cache.members.get(CLAN, OTHER_USER)) !== undefined, 'bob joining');
    const refreshes = attachment.stats.refreshes;
    server.dropSockets();
    await waitFor(() => attachment.stats.refreshes > refreshes, 'the refresh after the reconnect');
    await attachment.idle();
    expect(await cache.members.get(CLAN, OTHER_USER)).toMatchObject({ unconfirmed: true });
    // A user seen before the reconnect is still served (the SDK's own users list started empty again).
    expect(await cache.users.fetch(OTHER_USER)).toMatchObject({ username: 'bob' });
    server.push(
      toEnvelope({
        name: 'channel_message',
        payload: channelMessage({ sender_id: OTHER_USER, username: 'bob', content: { t: 'back' } }),
      }),
    );
    await waitFor(
      async () => (await cache.members.get(CLAN, OTHER_USER))?.unconfirmed === undefined,
      'bob seen again',
    );
  }, 120_000);

  it('a restart with new tokens and muted pings: the SDK logs in again and the refresh uses the new session', async () => {
    const refreshes = attachment.stats.refreshes;
    server.rotateTokens();
    server.mutePings(true);
    // The SDK notices the silence after its 10 s heartbeat and closes the socket.
    await waitFor(() => server.connections === 0, 'the heartbeat timeout', 60_000);
    server.mutePings(false);
    await waitFor(() => attachment.stats.refreshes > refreshes, 'the refresh after the new login', 90_000);
    await attachment.idle();
    expect(await cache.channels.forGuild(CLAN).count()).toBe(2);
    expect(errors.filter((line) => line.includes('401'))).toEqual([]);
  }, 180_000);

  it('when the SDK gives up logging in, connectionLost is emitted and the clans are marked stale', async () => {
    // mezon-sdk gives up after 10 attempts (about 435 s) by rejecting login() with
    // Error(JSON.stringify(error)) and closing the socket. Waiting that long is not a test, so a second
    // real client's login() rejects that way at once; the attachment only hears that rejection.
    const other = createMezonTestClient();
    const stale = createMezonCache();
    await stale.clans.set(CLAN, { id: CLAN, clan_name: 'Test clan' });
    other.client.login = async () => {
      throw new Error(JSON.stringify({ message: 'Max attempts reached.' }));
    };
    const watched = attachMezon(stale, other.client, { refreshOnReady: false, loaders: false });
    const lost: unknown[] = [];
    watched.on('connectionLost', (error) => lost.push(error));
    await expect(other.client.login()).rejects.toThrow(/Max attempts/);
    await watched.idle();
    expect(lost).toHaveLength(1);
    expect(watched.stats.connectionsLost).toBe(1);
    expect(await stale.clans.get(CLAN)).toMatchObject({ stale: true });
    // detach() gives the client its own login back.
    const wrapped = other.client.login;
    watched.detach();
    expect(other.client.login).not.toBe(wrapped);
    await stale.close();
    other.dispose();
  });
});
