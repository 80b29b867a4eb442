/** botcache/metrics scraped through a real prom-client registry after real traffic. */
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCacheMetrics } from '../../src/metrics/index.js';
import { DiscordEventManager, type DiscordValueTypes } from '../../src/platforms/discord/index.js';
import { createCache } from '../../src/resources/index.js';
import { RedisStore } from '../../src/store/redis/index.js';
import { guildCreate, snowflake, user } from '../support/discord/index.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';

/** The value of one sample line of the text format, e.g. `botcache_cache_hits_total{resource="users"}`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[3] ?? '').matchAll(/([a-zA-Z_]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[4]);
  }
  return undefined;
}

describe('registerCacheMetrics over MemoryStore', () => {
  it('reports the cache, fetch and store-call counters the traffic produced', async () => {
    const cache = createCache();
    const registry = new Registry();
    const metrics = registerCacheMetrics(cache, { registry, countEntries: true });
    let loads = 0;
    cache.users.setLoader(async (id) => {
      loads++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { id, username: `u${id}` };
    });
    for (let i = 0; i < 10; i++) await cache.users.set(String(i), { id: String(i), username: `u${i}` });
    for (let i = 0; i < 15; i++) await cache.users.get(String(i)); // 10 hits, 5 misses
    await Promise.all([cache.users.fetch('100'), cache.users.fetch('100'), cache.users.fetch('100')]);
    await cache.users.delete('1');

    const text = await registry.metrics();
    const stats = cache.store.stats(cache.users.ns);
    expect(sample(text, 'botcache_cache_hits_total', { resource: 'users' })).toBe(stats.hits);
    expect(sample(text, 'botcache_cache_misses_total', { resource: 'users' })).toBe(stats.misses);
    expect(stats.hits).toBeGreaterThanOrEqual(10);
    expect(sample(text, 'botcache_cache_sets_total', { resource: 'users' })).toBe(stats.sets);
    expect(sample(text, 'botcache_cache_deletes_total', { resource: 'users' })).toBe(1);
    expect(sample(text, 'botcache_cache_entries', { resource: 'users' })).toBe(10);
    expect(sample(text, 'botcache_fetch_loads_total', { resource: 'users' })).toBe(loads);
    expect(loads).toBe(1);
    expect(
      sample(text, 'botcache_fetch_load_duration_seconds_count', { resource: 'users', outcome: 'value' }),
    ).toBe(1);
    expect(
      sample(text, 'botcache_fetch_load_duration_seconds_sum', { resource: 'users', outcome: 'value' }),
    ).toBeGreaterThan(0.015);
    expect(sample(text, 'botcache_fetch_coalesced_total', { resource: 'users' })).toBe(2);
    expect(sample(text, 'botcache_store_in_flight_commands', { store: 'memory' })).toBe(0);
    const gets = sample(text, 'botcache_store_command_duration_seconds_count', {
      store: 'memory',
      command: 'get',
    });
    expect(gets).toBeGreaterThanOrEqual(15);
    expect(text).toContain('# TYPE botcache_store_command_duration_seconds histogram');

    metrics.unregister();
    expect(await registry.metrics()).not.toContain('botcache_');
    expect(cache.store.get).toBe(Object.getPrototypeOf(cache.store).get); // the timer is gone
    await cache.close();
  });

  it('refuses a registry that is not one, and a prefix Prometheus cannot take', () => {
    const cache = createCache();
    expect(() => registerCacheMetrics(cache, { registry: {} as Registry })).toThrow(/options.registry/);
    expect(() => registerCacheMetrics(cache, { registry: new Registry(), prefix: 'my-bot' })).toThrow(
      /options.prefix/,
    );
  });

  it('reports a Discord event manager: events by outcome, queue depth and ingest lag', async () => {
    const cache = createCache<DiscordValueTypes>();
    const registry = new Registry();
    const metrics = registerCacheMetrics(cache, { registry, prefix: 'bot_' });
    const events = new DiscordEventManager(cache);
    const errors: Error[] = [];
    events.on('error', (error) => errors.push(error));
    metrics.observeDiscord(events);
    const G = snowflake(5, 1);
    // READY is awaited: it reconciles the shard's guilds and must not race the GUILD_CREATE.
    await events.apply({
      op: 0,
      t: 'READY',
      d: { v: 10, user: user(snowflake(9, 1), 'bot'), guilds: [], session_id: 's' },
      s: 1,
    });
    events.handle({ op: 0, t: 'GUILD_CREATE', d: guildCreate({ id: G, members: 5 }), s: 2 });
    events.handle({ op: 0, t: 'TYPING_START', d: {}, s: 3 });
    events.handle({ op: 0, t: 'GUILD_MEMBER_ADD', d: { nonsense: true }, s: 4 });
    await events.idle();
    await new Promise((resolve) => setTimeout(resolve, 10));

    const text = await registry.metrics();
    expect(sample(text, 'bot_ingest_events_total', { adapter: 'discord', outcome: 'received' })).toBe(4);
    expect(sample(text, 'bot_ingest_lag_seconds_count', { adapter: 'discord' })).toBe(3); // handle()d ones
    expect(sample(text, 'bot_ingest_events_total', { adapter: 'discord', outcome: 'applied' })).toBe(
      events.stats.applied,
    );
    expect(sample(text, 'bot_ingest_events_total', { adapter: 'discord', outcome: 'failed' })).toBe(
      events.stats.failed,
    );
    expect(events.stats.failed).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'bot_ingest_queue_depth', { adapter: 'discord' })).toBe(0);
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('GUILD_MEMBER_ADD')]);
    expect(await cache.guilds.has(G)).toBe(true);
    metrics.unregister();
    expect(events.handle).toBe(DiscordEventManager.prototype.handle);
    await cache.close();
  });
});

describe('registerCacheMetrics over RedisStore', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('counts store command errors and reconnects while the server is down', async () => {
    const store = new RedisStore({ url: server.url, prefix: 'metrics', commandTimeout: 300 });
    store.on('error', () => {});
    const cache = createCache({ store });
    const registry = new Registry();
    const metrics = registerCacheMetrics(cache, { registry });
    await cache.guilds.set('1', { id: '1' });
    expect(await cache.guilds.get('1')).toEqual({ id: '1' });
    await server.stop();
    const failures = await Promise.allSettled([cache.guilds.get('1'), cache.guilds.set('2', { id: '2' })]);
    expect(failures.every((r) => r.status === 'rejected')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));

    const text = await registry.metrics();
    expect(sample(text, 'botcache_store_command_errors_total', { store: 'redis', command: 'get' })).toBe(1);
    expect(
      sample(text, 'botcache_store_command_duration_seconds_count', { store: 'redis', command: 'get' }),
    ).toBe(2);
    expect(sample(text, 'botcache_store_reconnects_total', { store: 'redis' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'botcache_store_in_flight_commands', { store: 'redis' })).toBe(0);
    metrics.unregister();
    await cache.close();
    server = await startRedis(); // afterAll stops a live server
  });
});
