/**
 * The Mezon loaders end to end: a real mezon-sdk MezonClient logs in against a local fake Mezon server
 * (REST + protobuf socket) and `cache.X.fetch(...)` goes through the SDK's own REST calls.
 * The SDK spaces every REST call ≥1024 ms apart (a process-wide limiter), so this file makes few calls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EntryNotFound } from '../../src/errors/index.js';
import { LoaderError } from '../../src/fetch/index.js';
import {
  attachMezon,
  createMezonCache,
  fetchClanRoles,
  type MezonCache,
  MezonCannotLookUp,
  type MezonLoaders,
  MezonNotReady,
  useMezonLoaders,
} from '../../src/platforms/mezon/index.js';
import { type FakeMezonServer, startFakeMezonServer } from '../support/mezon/fake-mezon-server.js';
import { BOT_ID, createMezonTestClient, type MezonTestClient } from '../support/mezon/mezon-test-client.js';
import { addClanUser, CHANNEL, CLAN, OTHER_USER, ROLE } from '../support/mezon/payloads.js';

const MISSING_CHANNEL = '1840000000000000299';
const UNKNOWN_CLAN = '1840000000000000199';
const SECOND_ROLE = '1840000000000000401';

let server: FakeMezonServer;
let sdk: MezonTestClient;
let cache: MezonCache;
let loaders: MezonLoaders;

beforeAll(async () => {
  server = await startFakeMezonServer(
    {
      clans: [{ clan_id: CLAN, clan_name: 'Test clan', welcome_channel_id: CHANNEL }],
      channels: [
        { channel_id: CHANNEL, clan_id: CLAN, channel_label: 'general', type: 1, channel_private: 0 },
      ],
      roles: {
        [CLAN]: [
          {
            id: ROLE,
            clan_id: CLAN,
            title: 'Moderator',
            role_user_list: { role_users: [{ id: OTHER_USER }] },
          },
          { id: SECOND_ROLE, clan_id: CLAN, title: 'Member' },
        ],
      },
    },
    BOT_ID,
  );
  sdk = createMezonTestClient(BOT_ID, server);
  await sdk.client.login();
  cache = createMezonCache();
  loaders = useMezonLoaders(cache, sdk.client);
}, 30_000);

afterAll(async () => {
  await cache?.close();
  sdk?.dispose();
  await server?.close();
});

describe('Mezon loaders through the real SDK and a fake Mezon server', () => {
  it('the SDK logged in over REST and the socket', () => {
    expect(server.count('POST', '/v2/apps/authenticate/token')).toBe(1);
    expect(server.count('GET', '/v2/clandesc')).toBe(1);
    expect(server.socketRequests).toContain('clan_join');
    expect(sdk.client.clans.get(CLAN)?.name).toBe('Test clan');
  });

  it('clans: from the SDK login listing, an unknown clan is not found and remembered', async () => {
    const restBefore = server.requests.length;
    expect(await cache.clans.fetch(CLAN)).toEqual({
      id: CLAN,
      name: 'Test clan',
      clan_name: 'Test clan',
      welcome_channel_id: CHANNEL,
    });
    expect(await cache.clans.get(CLAN)).toBeDefined();
    await expect(cache.clans.fetch(UNKNOWN_CLAN)).rejects.toBeInstanceOf(EntryNotFound);
    await expect(cache.clans.fetch(UNKNOWN_CLAN)).rejects.toBeInstanceOf(EntryNotFound);
    expect(cache.clans.fetchStats()).toMatchObject({ loads: 2, negativeHits: 1 });
    // Clans never cost a REST call: the SDK listed them at login.
    expect(server.requests.length).toBe(restBefore);
  });

  it('channels: concurrent fetches make one REST call, then the cache answers', async () => {
    const [a, b, c] = await Promise.all([
      cache.channels.fetch(CHANNEL),
      cache.channels.fetch(CHANNEL),
      cache.channels.fetch(CHANNEL),
    ]);
    expect(a).toMatchObject({ channel_id: CHANNEL, clan_id: CLAN, channel_label: 'general' });
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(server.count('GET', `/v2/channeldesc/${CHANNEL}`)).toBe(1);
    // Written with its clan relation, read off the loaded record.
    expect(await cache.channels.forGuild(CLAN).count()).toBe(1);
    expect(await cache.channels.fetch(CHANNEL)).toEqual(a);
    expect(cache.channels.fetchStats()).toMatchObject({ loads: 1, coalesced: 2, hits: 1 });
  });

  it('channels: "Can not find channel" becomes EntryNotFound and is not retried', async () => {
    const error = await cache.channels.fetch(MISSING_CHANNEL).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntryNotFound);
    await expect(cache.channels.fetch(MISSING_CHANNEL)).rejects.toBeInstanceOf(EntryNotFound);
    expect(server.count('GET', `/v2/channeldesc/${MISSING_CHANNEL}`)).toBe(1);
    expect(cache.channels.fetchStats().negativeHits).toBe(1);
  });

  it('roles: one listRoles for concurrent callers, stored per clan without user lists', async () => {
    const [first, second] = await Promise.all([
      fetchClanRoles(cache, loaders, CLAN),
      fetchClanRoles(cache, loaders, CLAN),
    ]);
    expect(server.count('GET', '/v2/roles')).toBe(1);
    expect(server.requests).toContain(`GET /v2/roles?clan_id=${CLAN}&`);
    expect(first.map((role) => role.title).sort()).toEqual(['Member', 'Moderator']);
    expect(second).toHaveLength(2);
    expect(await cache.roles.get(ROLE)).not.toHaveProperty('role_user_list');
    expect(await cache.roles.forGuild(CLAN).count()).toBe(2);
    // Listed once: later calls answer from the cache.
    expect(await fetchClanRoles(cache, loaders, CLAN)).toHaveLength(2);
    expect(server.count('GET', '/v2/roles')).toBe(1);
    // A clan the bot is not in costs no REST call and is remembered as absent.
    await expect(fetchClanRoles(cache, loaders, UNKNOWN_CLAN)).rejects.toBeInstanceOf(EntryNotFound);
    expect(server.count('GET', '/v2/roles')).toBe(1);
  });

  it('users: a user the SDK saw (add clan user, through its own listener) loads; others are load errors, never remembered', async () => {
    sdk.deliver('add_clan_user_event', addClanUser(OTHER_USER, 'bob'));
    expect(await cache.users.fetch(OTHER_USER)).toEqual({
      id: OTHER_USER,
      username: 'bob',
      display_name: 'BOB',
      avatar: 'a/bob',
    });
    // Mezon has no profile lookup: an SDK miss proves nothing, so it is not remembered as an absence.
    const missing = await cache.users.fetch('1840000000000000999').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(LoaderError);
    expect((missing as LoaderError).cause).toBeInstanceOf(MezonCannotLookUp);
    expect(cache.users.fetchStats().negativeHits).toBe(0);
  });

  it('attachMezon sets the loaders unless told not to', async () => {
    const wired = createMezonCache();
    const attachment = attachMezon(wired, sdk.client, { refreshOnReady: false });
    // The SDK already holds this channel, so no REST call is needed.
    expect(await wired.channels.fetch(CHANNEL)).toMatchObject({ channel_label: 'general' });
    expect(await attachment.fetchClanRoles(CLAN)).toHaveLength(2);
    attachment.detach();

    const plain = createMezonCache();
    const unwired = attachMezon(plain, sdk.client, { refreshOnReady: false, loaders: false });
    await expect(plain.channels.fetch(CHANNEL)).rejects.toThrow(/has no loader/);
    unwired.detach();
    await wired.close();
    await plain.close();
  });
});

describe('Mezon loaders before login', () => {
  it('fail as load errors (not "not found"), so nothing is remembered', async () => {
    const offline = createMezonTestClient();
    const early = createMezonCache();
    useMezonLoaders(early, offline.client);
    const error = await early.channels.fetch(CHANNEL).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoaderError);
    expect((error as LoaderError).cause).toBeInstanceOf(MezonNotReady);
    await expect(early.channels.fetch(CHANNEL)).rejects.toBeInstanceOf(LoaderError);
    expect(early.channels.fetchStats()).toMatchObject({ loads: 2, negativeHits: 0 });
    await early.close();
    offline.dispose();
  });
});
