/**
 * Events win over loads through a real platform adapter: the Discord event manager applies
 * CHANNEL_UPDATE / CHANNEL_DELETE while `channels.fetch` waits for its REST answer.
 */
import { describe, expect, it } from 'vitest';
import {
  type DiscordCache,
  DiscordEventManager,
  type DiscordValueTypes,
} from '../../src/platforms/discord/index.js';
import { createCache } from '../../src/resources/index.js';
import { guildCreate, snowflake, textChannel, user } from '../support/discord/index.js';

const BOT = user(snowflake(9, 1), 'bot');
const G = snowflake(5, 1);

async function gatewayCache() {
  let answer: (value: unknown) => void = () => {};
  let started: () => void = () => {};
  const loading = new Promise<void>((resolve) => {
    started = resolve;
  });
  const cache: DiscordCache = createCache<DiscordValueTypes>();
  cache.channels.setLoader(() => {
    started();
    return new Promise((resolve) => {
      answer = resolve as (value: unknown) => void;
    });
  });
  const events = new DiscordEventManager(cache, { bufferTimeout: 200 });
  const send = (t: string, d: unknown) => events.apply({ op: 0, t, d, s: null });
  await send('READY', {
    v: 10,
    user: BOT,
    guilds: [{ id: G, unavailable: true }],
    session_id: 's',
    resume_gateway_url: 'ws://x',
    application: { id: '1', flags: 0 },
  });
  await send('GUILD_CREATE', guildCreate({ id: G, members: 1 }));
  return { cache, send, loading, answer: (value: unknown) => answer(value) };
}

describe('gateway events during a REST load (Discord event manager)', () => {
  it('CHANNEL_UPDATE during channels.fetch: the update stays', async () => {
    const { cache, send, loading, answer } = await gatewayCache();
    const id = snowflake(7, 1);
    const pending = cache.channels.fetch(id);
    await loading;
    await send('CHANNEL_CREATE', textChannel(id, G, 'renamed-by-gateway'));
    answer(textChannel(id, G, 'old-rest-answer'));
    expect(await pending).toMatchObject({ name: 'renamed-by-gateway' });
    expect(await cache.channels.get(id)).toMatchObject({ name: 'renamed-by-gateway' });
    await cache.close();
  });

  it('CHANNEL_DELETE during channels.fetch: the channel does not come back', async () => {
    const { cache, send, loading, answer } = await gatewayCache();
    const id = snowflake(7, 2);
    const channelsBefore = await cache.channels.forGuild(G).count();
    await send('CHANNEL_CREATE', textChannel(id, G, 'doomed'));
    const pending = cache.channels.fetch(id, { force: true });
    await loading;
    await send('CHANNEL_DELETE', textChannel(id, G, 'doomed'));
    answer(textChannel(id, G, 'doomed'));
    await pending;
    expect(await cache.channels.get(id)).toBeUndefined();
    expect(await cache.channels.forGuild(G).count()).toBe(channelsBefore);
    await cache.close();
  });
});
