/**
 * Issue 12, first bullet: a real redis-server killed and restarted while dispatches stream in through
 * the REAL @discordjs/ws WebSocketManager on the fake gateway. Failed writes are counted and reported,
 * their guilds marked stale and, once Redis answers again, re-synced over REST (discordResync through
 * a real @discordjs/rest client on the fake REST): the cache converges to the gateway's state.
 */
import { REST } from '@discordjs/rest';
import { WebSocketManager } from '@discordjs/ws';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendError } from '../../src/errors/index.js';
import {
  attachDiscordWs,
  type DiscordAttachment,
  type DiscordCache,
  type DiscordDispatchError,
  type DiscordValueTypes,
  discordResync,
  requiredIntents,
} from '../../src/platforms/discord/index.js';
import { createCache } from '../../src/resources/index.js';
import { RedisStore } from '../../src/store/redis/index.js';
import {
  type FakeDiscord,
  guildCreate,
  guildIds,
  member,
  role,
  snowflake,
  startFakeDiscord,
  user,
  waitFor,
} from '../support/discord/index.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';

const BOT = user(snowflake(9, 1), 'botcache-bot');
const SHAPES = [1, 2, 3].map((n) => ({ id: snowflake(5, 40 + n), members: 200, withPresence: 20 }));
const [A, B, C] = SHAPES.map((shape) => guildIds(shape)) as [
  ReturnType<typeof guildIds>,
  ReturnType<typeof guildIds>,
  ReturnType<typeof guildIds>,
];

async function sortedKeys(view: { keys(): AsyncIterable<string> }): Promise<string[]> {
  const out: string[] = [];
  for await (const key of view.keys()) out.push(key);
  return out.sort();
}

interface Bot {
  readonly server: RedisServer;
  readonly fake: FakeDiscord;
  readonly cache: DiscordCache;
  readonly attachment: DiscordAttachment;
  readonly errors: DiscordDispatchError[];
  readonly unhandled: unknown[];
  stop(): Promise<void>;
}

async function startBot(persistent: boolean): Promise<Bot> {
  // With an fsync'ed append-only file, a SIGKILLed Redis keeps every acknowledged write; without it,
  // it restarts empty.
  const server = await startRedis({
    args: persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : [],
  });
  const store = new RedisStore({
    url: server.url,
    commandTimeout: 15_000,
    reconnect: { initialDelay: 20, maxDelay: 200 },
  });
  store.on('error', () => {}); // the failing calls report it; the event itself is expected here
  const cache = createCache<DiscordValueTypes>({ store, namespacePrefix: 'outage' });
  await cache.open();
  const fake = await startFakeDiscord({ user: BOT, guilds: SHAPES.map((shape) => guildCreate(shape)) });
  const rest = new REST({ api: fake.apiUrl, retries: 0 }).setToken('token');
  const manager = new WebSocketManager({ token: 'token', intents: requiredIntents(), rest });
  const attachment = attachDiscordWs(cache, manager, { resync: discordResync(rest), resyncDelay: 100 });
  const errors: DiscordDispatchError[] = [];
  attachment.events.on('error', (error) => errors.push(error));
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  await manager.connect();
  return {
    server,
    fake,
    cache,
    attachment,
    errors,
    unhandled,
    async stop() {
      process.off('unhandledRejection', onUnhandled);
      attachment.detach();
      attachment.events.close();
      await manager.destroy();
      await fake.stop();
      await cache.close();
      await store.close();
      await server.stop();
    },
  };
}

/** Every dispatch sent so far went through the manager and was applied (or reported as failed). */
async function settle(bot: Bot): Promise<void> {
  await waitFor(
    () => bot.attachment.events.stats.received >= bot.fake.gateway.sequence,
    'dispatches to arrive',
    30_000,
  );
  await bot.attachment.events.idle();
}

/** Member churn in A, a role deleted in B: what the store misses while it is down. */
function churn(fake: FakeDiscord, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    fake.send('GUILD_MEMBER_REMOVE', { guild_id: A.guild, user: user(A.user(i)) });
    fake.send('GUILD_MEMBER_ADD', { ...member(user(A.user(5000 + i))), guild_id: A.guild });
  }
}

/** Waits until no guild is stale and nothing is queued (a late failure may mark a guild again). */
async function recovered(bot: Bot): Promise<void> {
  const { events } = bot.attachment;
  do {
    await waitFor(() => events.staleGuilds.size === 0, 'the stale guilds to be re-synced', 30_000);
    await settle(bot);
  } while (events.staleGuilds.size > 0);
}

async function expectConverged(bot: Bot, guilds: readonly string[]): Promise<void> {
  const { cache, fake } = bot;
  for (const guildId of guilds) {
    expect(await sortedKeys(cache.members.forGuild(guildId))).toEqual(fake.world.memberIds(guildId));
    expect(await sortedKeys(cache.roles.forGuild(guildId))).toEqual(fake.world.roleIds(guildId));
    expect(await cache.guilds.get(guildId)).toMatchObject({ id: guildId });
  }
  expect(await cache.guilds.count()).toBe(guilds.length);
}

describe('Discord cache through a Redis outage (real WebSocketManager, real redis-server)', () => {
  let bot: Bot | undefined;
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
  });

  it('counts and reports every failed write, marks those guilds stale and re-syncs them once Redis is back', async () => {
    bot = await startBot(true);
    const { fake, attachment, server, errors } = bot;
    const events = attachment.events;
    await settle(bot);
    expect(events.stats.failed).toBe(0);
    const resynced: string[] = [];
    events.on('resynced', (guildId) => resynced.push(guildId));

    churn(fake, 0, 50); // applied
    await settle(bot);
    await server.kill();
    churn(fake, 50, 100); // the store is down: these fail
    fake.send('GUILD_ROLE_DELETE', { guild_id: B.guild, role_id: B.role(0) });
    fake.send('GUILD_ROLE_CREATE', { guild_id: B.guild, role: role(snowflake(3, 990_001), 'new', 9) });
    await settle(bot);
    expect(events.stats.failed).toBeGreaterThan(0);
    expect([...events.staleGuilds].sort()).toEqual([A.guild, B.guild].sort());

    await server.restart();
    churn(fake, 100, 120); // after the restart: applied, or failed and covered by the re-sync
    await recovered(bot);

    await expectConverged(bot, [A.guild, B.guild, C.guild]);
    // Members that lost role 0 in the outage no longer list it; the new role is there.
    expect((await bot.cache.members.get(B.guild, B.user(0)))?.roles).toEqual([]);
    expect(await bot.cache.roles.get(snowflake(3, 990_001))).toMatchObject({ name: 'new' });
    // Only the stale guilds were fetched again; C missed nothing.
    expect([...new Set(resynced)].sort()).toEqual([A.guild, B.guild].sort());
    expect(fake.rest.requests.some((route) => route.startsWith(`/guilds/${C.guild}`))).toBe(false);
    // Every failure was counted once, reported once, and came from the store.
    const dispatchErrors = errors.filter((error) => error.event !== 'RESYNC');
    expect(dispatchErrors).toHaveLength(events.stats.failed);
    for (const error of dispatchErrors) expect(error.cause).toBeInstanceOf(BackendError);
    expect(events.stats.applied + events.stats.failed + events.stats.ignored).toBe(events.stats.received);
    expect(bot.unhandled).toEqual([]);
  });

  it('after a restart that lost every key, the guilds the manager knew are re-synced too', async () => {
    bot = await startBot(false);
    const { fake, attachment, server } = bot;
    const events = attachment.events;
    await settle(bot);
    await server.kill();
    churn(fake, 0, 20); // only A misses writes
    await settle(bot);
    expect([...events.staleGuilds]).toEqual([A.guild]);
    await server.restart(); // comes back empty
    await waitFor(() => events.stats.resynced >= 3, 'the known guilds to be re-synced', 30_000);
    await recovered(bot);
    await expectConverged(bot, [A.guild, B.guild, C.guild]);
    expect(await bot.cache.channels.forGuild(C.guild).count()).toBe(5);
    expect(bot.unhandled).toEqual([]);
  });
});
