/** useDiscordLoaders through the real @discordjs/rest against the fake Discord REST endpoint. */
import { REST } from '@discordjs/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCache } from '../../src/index.js';
import {
  type DiscordValueTypes,
  discordLoaders,
  useDiscordLoaders,
} from '../../src/platforms/discord/index.js';
import {
  type FakeDiscord,
  guildCreate,
  member,
  role,
  snowflake,
  startFakeDiscord,
  textChannel,
  user,
} from '../support/discord/index.js';

const G = snowflake(5, 2);
const U = snowflake(1, 2);
const C = snowflake(2, 2);

describe('useDiscordLoaders', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await startFakeDiscord({ user: user(snowflake(9, 2)), guilds: [] });
    const {
      channels: _c,
      members: _m,
      presences: _p,
      voice_states: _v,
      threads: _t,
      ...guild
    } = guildCreate({
      id: G,
    });
    fake.rest.routes.set(`/guilds/${G}`, { ...guild, roles: [role(G, '@everyone', 0)], emojis: [] });
    fake.rest.routes.set(`/guilds/${G}/members/${U}`, member(user(U)));
    fake.rest.routes.set(`/users/${U}`, user(U, 'someone'));
    fake.rest.routes.set(`/channels/${C}`, textChannel(C, G, 'general'));
  });
  afterAll(() => fake?.stop());

  it('makes fetch load guilds, channels, members and users through REST once, then answer from the cache', async () => {
    await using cache = createCache<DiscordValueTypes>();
    useDiscordLoaders(cache, new REST({ api: fake.apiUrl, retries: 0 }).setToken('token'));
    // The loaders fit the resources' types: tsc (npm run typecheck) refuses this line otherwise.
    createCache<DiscordValueTypes>({
      fetch: { guilds: { loader: discordLoaders(new REST()).guild } },
    });
    const guild = await cache.guilds.fetch(G);
    expect(guild).toMatchObject({ id: G });
    // roles and emojis live in their own resources, not inside the cached guild
    expect(guild).not.toHaveProperty('roles');
    expect(guild).not.toHaveProperty('emojis');
    expect(await cache.channels.fetch(C)).toMatchObject({ id: C, name: 'general' });
    expect(await cache.users.fetch(U)).toMatchObject({ id: U, username: 'someone' });
    expect(await cache.members.fetch(G, U)).toMatchObject({ user: { id: U } });
    const calls = fake.rest.requests.length;
    await cache.users.fetch(U);
    await cache.guilds.fetch(G);
    expect(fake.rest.requests.length).toBe(calls);
  });
});
