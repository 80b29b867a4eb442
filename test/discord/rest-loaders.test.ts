/** The REST loaders through the real @discordjs/rest against the fake Discord REST endpoint. */
import { REST } from '@discordjs/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discordLoaders } from '../../src/platforms/discord/index.js';
import {
  type FakeDiscord,
  guildCreate,
  member,
  message,
  role,
  snowflake,
  startFakeDiscord,
  textChannel,
  user,
} from '../support/discord/index.js';

const G = snowflake(5, 1);
const U = snowflake(1, 1);
const C = snowflake(2, 1);
const M = snowflake(6, 1);
const context = () => ({ signal: new AbortController().signal });

describe('Discord REST loaders', () => {
  let fake: FakeDiscord;
  let loaders: ReturnType<typeof discordLoaders>;

  beforeAll(async () => {
    fake = await startFakeDiscord({ user: user(snowflake(9, 1)), guilds: [] });
    const {
      channels: _c,
      members: _m,
      presences: _p,
      voice_states: _v,
      threads: _t,
      ...guild
    } = guildCreate({ id: G });
    fake.rest.routes.set(`/guilds/${G}`, guild);
    fake.rest.routes.set(`/guilds/${G}/members/${U}`, member(user(U)));
    fake.rest.routes.set(`/guilds/${G}/roles`, [role(G, '@everyone', 0), role(snowflake(3, 1), 'mods')]);
    fake.rest.routes.set(`/users/${U}`, user(U, 'someone'));
    fake.rest.routes.set(`/channels/${C}`, textChannel(C, G, 'general'));
    fake.rest.routes.set(`/channels/${C}/messages/${M}`, message(M, C, user(U), 'hello', G));
    fake.rest.failing.add(`/users/${snowflake(1, 500)}`);
    loaders = discordLoaders(new REST({ api: fake.apiUrl, retries: 0 }).setToken('token'));
  });
  afterAll(() => fake?.stop());

  it('load each entity through one REST call', async () => {
    expect(await loaders.guild(G, context())).toMatchObject({ id: G });
    expect(await loaders.channel(C, context())).toMatchObject({ id: C, name: 'general' });
    expect(await loaders.member(G, U, context())).toMatchObject({ user: { id: U } });
    expect((await loaders.roles(G, context()))?.map((r) => r.name)).toEqual(['@everyone', 'mods']);
    expect(await loaders.user(U, context())).toMatchObject({ username: 'someone' });
    expect(await loaders.message(C, M, context())).toMatchObject({ content: 'hello' });
    expect(fake.rest.requests).toContain(`/guilds/${G}/members/${U}`);
  });

  it('resolve undefined on Discord\'s "Unknown X" 404 answers', async () => {
    const missing = snowflake(7, 404);
    expect(await loaders.guild(missing, context())).toBeUndefined();
    expect(await loaders.member(G, missing, context())).toBeUndefined();
    expect(await loaders.message(C, missing, context())).toBeUndefined();
    expect(await loaders.user(missing, context())).toBeUndefined();
  });

  it('reject on other failures, on abort, and on bad ids', async () => {
    await expect(loaders.user(snowflake(1, 500), context())).rejects.toMatchObject({ status: 500 });
    const aborted = new AbortController();
    aborted.abort();
    await expect(loaders.user(U, { signal: aborted.signal })).rejects.toThrow();
    await expect(loaders.guild('not-a-snowflake', context())).rejects.toThrow(TypeError);
    expect(() => discordLoaders({} as never)).toThrow(TypeError);
  });
});
