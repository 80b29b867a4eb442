/**
 * One duration type everywhere: every option that is a span of time takes `'5m'`-style strings as well
 * as milliseconds. Each case gives a string and checks what it does; a bad string is refused with a
 * RangeError that names the option.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendError } from '../../src/errors/index.js';
import { KeyvStore } from '../../src/keyv/index.js';
import {
  DiscordEventManager,
  type DiscordValueTypes,
  startIngestWorker,
} from '../../src/platforms/discord/index.js';
import { attachMezon, createMezonCache } from '../../src/platforms/mezon/index.js';
import {
  type PlatformAdapter,
  type PluginError,
  PluginManager,
  PluginTimeoutError,
} from '../../src/plugins/index.js';
import { createCache, verifyCache } from '../../src/resources/index.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { RedisStore } from '../../src/store/redis/index.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import { TieredStore } from '../../src/store/tiered/index.js';
import type { Duration } from '../../src/util/duration.js';
import { member, snowflake, user } from '../support/discord/index.js';
import { createMezonTestClient } from '../support/mezon/mezon-test-client.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';

/** A string the type refuses, given anyway, as a JavaScript caller or a config file could. */
const bad = (text: string) => text as unknown as Duration;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Milliseconds `work` took to settle (from its call: SQLite waits before the promise exists), and its error. */
async function timed(work: () => Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const started = performance.now();
  try {
    await work();
    return { ms: performance.now() - started, error: undefined };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}

describe('store limits: namespaces.ttl, defaults.ttl, configure(ns, { ttl })', () => {
  it('MemoryStore: limitsOf() reports ms and entries expire by them', async () => {
    await using store = new MemoryStore({ defaults: { ttl: '1h' }, namespaces: { users: { ttl: '5m' } } });
    expect(store.limitsOf('users').ttl).toBe(300_000);
    expect(store.limitsOf('guilds').ttl).toBe(3_600_000);
    store.configure('messages', { ttl: '1.5s', max: 10 });
    expect(store.limitsOf('messages')).toMatchObject({ ttl: 1500, max: 10 });

    const before = Date.now();
    await store.set('users', 'u', 1);
    const expiresAt = (await store.getEntry('users', 'u'))?.expiresAt as number;
    expect(expiresAt - before).toBeGreaterThanOrEqual(299_000);
    expect(expiresAt - before).toBeLessThanOrEqual(301_000);

    store.configure('short', { ttl: '40ms' });
    await store.set('short', 'k', 1);
    expect(await store.get('short', 'k')).toBe(1);
    await sleep(120);
    expect(await store.get('short', 'k')).toBeUndefined();
  });

  it('a bad ttl string is refused with the option named', async () => {
    expect(() => new MemoryStore({ namespaces: { users: { ttl: bad('5 minutes') } } })).toThrow(
      /namespaces\.users\.ttl/,
    );
    expect(() => new MemoryStore({ defaults: { ttl: bad('5 minutes') } })).toThrow(RangeError);
    expect(() => new MemoryStore({ defaults: { ttl: bad('-5m') } })).toThrow(/defaults\.ttl/);
    await using store = new MemoryStore();
    expect(() => store.configure('users', { ttl: bad('soon') })).toThrow(RangeError);
    expect(() => store.configure('users', { ttl: bad('soon') })).toThrow(/limits\.ttl.*'soon'/);
  });

  it('SqliteStore: limitsOf() in ms, an entry expiry from a string ttl', async () => {
    await using store = new SqliteStore({ namespaces: { users: { ttl: '5m' } } });
    store.configure('guilds', { ttl: '2h' });
    expect(store.limitsOf('users').ttl).toBe(300_000);
    expect(store.limitsOf('guilds').ttl).toBe(7_200_000);
    const before = Date.now();
    await store.set('guilds', 'g', 1);
    const expiresAt = (await store.getEntry('guilds', 'g'))?.expiresAt as number;
    expect(expiresAt - before).toBeGreaterThanOrEqual(7_199_000);
    expect(expiresAt - before).toBeLessThanOrEqual(7_201_000);
    expect(() => new SqliteStore({ defaults: { ttl: bad('2 hours') } })).toThrow(/defaults\.ttl/);
  });

  it('KeyvStore: limitsOf() in ms', async () => {
    const { Keyv } = await import('keyv');
    await using store = new KeyvStore({
      keyv: (ns) => new Keyv({ namespace: ns }),
      defaults: { ttl: '30s' },
    });
    store.configure('users', { ttl: '5m' });
    expect(store.limitsOf('users').ttl).toBe(300_000);
    expect(store.limitsOf('other').ttl).toBe(30_000);
    expect(() => store.configure('users', { ttl: bad('5 m') })).toThrow(/limits\.ttl/);
  });
});

describe('verifyCache expirySlack', () => {
  it('takes a string, and a bad one is refused by name', async () => {
    await using cache = createCache();
    await cache.users.set('1', { id: '1' });
    expect(await verifyCache(cache, { expirySlack: '2s' })).toEqual([]);
    await expect(verifyCache(cache, { expirySlack: bad('2 s') })).rejects.toThrow(/expirySlack/);
  });
});

describe('timer options of the stores', () => {
  it('MemoryStore sweepInterval: expired entries are purged at that pace without a read', async () => {
    await using store = new MemoryStore({ sweepInterval: '50ms' });
    await store.set('users', 'u', 1, { ttl: 20 });
    await sleep(250);
    expect(store.stats('users').expirations).toBe(1);
    expect(() => new MemoryStore({ sweepInterval: bad('often') })).toThrow(/sweepInterval/);
  });

  describe('SqliteStore', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'botcache-durations-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('busyTimeout: a write waits that long for another connection holding the write lock', async () => {
      const path = join(dir, 'busy.db');
      await using store = new SqliteStore({ path, busyTimeout: '200ms', sweepInterval: '1m' });
      await store.set('users', 'warm', 1);
      const holder = new Database(path);
      try {
        holder.exec('BEGIN IMMEDIATE');
        const { ms, error } = await timed(() => store.set('users', 'u', 2));
        expect(error).toBeInstanceOf(BackendError);
        expect(ms).toBeGreaterThanOrEqual(150);
        expect(ms).toBeLessThan(2_500); // the default would wait 5 s
      } finally {
        holder.exec('ROLLBACK');
        holder.close();
      }
      await store.set('users', 'u', 3);
      expect(await store.get('users', 'u')).toBe(3);
    });

    it('bad strings are refused with the option named', () => {
      expect(() => new SqliteStore({ busyTimeout: bad('a while') })).toThrow(/busyTimeout/);
      expect(() => new SqliteStore({ sweepInterval: bad('30 s') })).toThrow(/sweepInterval/);
    });
  });

  describe('RedisStore and TieredStore (real redis-server)', () => {
    let server: RedisServer;
    beforeAll(async () => {
      server = await startRedis();
    }, 30_000);
    afterAll(async () => {
      await server?.stop();
    });

    it('RedisStore namespaces.ttl: limitsOf() in ms and the entry PTTL from it', async () => {
      await using store = new RedisStore({
        url: server.url,
        prefix: 'dur-ttl',
        namespaces: { users: { ttl: '5m' } },
      });
      expect(store.limitsOf('users').ttl).toBe(300_000);
      const before = Date.now();
      await store.set('users', 'u', 1);
      const expiresAt = (await store.getEntry('users', 'u'))?.expiresAt as number;
      expect(expiresAt - before).toBeGreaterThanOrEqual(299_000);
      expect(expiresAt - before).toBeLessThanOrEqual(301_000);
    });

    it('RedisStore commandTimeout: a call to a frozen server fails after that long', async () => {
      await using store = new RedisStore({
        url: server.url,
        prefix: 'dur-timeout',
        commandTimeout: '150ms',
        reconnect: { initialDelay: '20ms', maxDelay: '0.2s' },
      });
      store.on('error', () => {});
      await store.set('users', 'u', 1);
      server.freeze();
      try {
        const { ms, error } = await timed(() => store.get('users', 'u'));
        expect(error).toBeInstanceOf(BackendError);
        expect(ms).toBeLessThan(800); // the default is 1000 ms
      } finally {
        server.thaw();
      }
    });

    it('RedisStore: bad strings are refused with the option named', () => {
      expect(() => new RedisStore({ url: server.url, commandTimeout: bad('1 second') })).toThrow(
        /commandTimeout/,
      );
      expect(() => new RedisStore({ url: server.url, connectTimeout: bad('5') })).toThrow(/connectTimeout/);
      expect(() => new RedisStore({ url: server.url, reconnect: { maxDelay: bad('2x') } })).toThrow(
        /reconnect\.maxDelay/,
      );
      expect(() => new RedisStore({ url: server.url, commandTimeout: '30d' })).toThrow(
        /commandTimeout.*24\.8 days/,
      );
    });

    it('TieredStore near.maxAge: a near copy whose invalidation was lost is dropped after that long', async () => {
      await using tiered = new TieredStore({
        far: new RedisStore({ url: server.url, prefix: 'dur-tiered', namespaces: { users: { ttl: '10m' } } }),
        invalidation: { url: server.url, publishTimeout: '1s', connectTimeout: '5s' },
        near: { maxAge: '200ms', sweepInterval: '1s' },
      });
      await using direct = new RedisStore({ url: server.url, prefix: 'dur-tiered' });
      expect(tiered.limitsOf('users').ttl).toBe(600_000);
      await tiered.set('users', 'u', 'old');
      expect(await tiered.get('users', 'u')).toBe('old'); // now in the near copy
      await direct.set('users', 'u', 'new'); // a plain far write announces nothing
      expect(await tiered.get('users', 'u')).toBe('old');
      await sleep(400);
      expect(await tiered.get('users', 'u')).toBe('new'); // the default maxAge would keep 'old' 30 s
    });

    it('Discord ingest worker leaseTtl and blockTimeout: a bad string is refused by name', async () => {
      const { Redis } = await import('ioredis');
      const redis = new Redis({ host: server.host, port: server.port, lazyConnect: true });
      try {
        await using cache = createCache<DiscordValueTypes>();
        const base = { redis, decode: (data: Buffer) => data, cache, slot: 0, slots: 1 };
        await expect(startIngestWorker({ ...base, leaseTtl: bad('10 s') })).rejects.toThrow(/leaseTtl/);
        await expect(startIngestWorker({ ...base, leaseTtl: '50ms' })).rejects.toThrow(/leaseTtl must be/);
        await expect(startIngestWorker({ ...base, blockTimeout: bad('1 s') })).rejects.toThrow(
          /blockTimeout/,
        );
      } finally {
        redis.disconnect();
      }
    });

    it('TieredStore: bad strings are refused with the option named', () => {
      const far = () => new RedisStore({ url: server.url, prefix: 'dur-bad' });
      const invalidation = { url: server.url };
      expect(() => new TieredStore({ far: far(), invalidation, near: { maxAge: bad('long') } })).toThrow(
        /near\.maxAge/,
      );
      expect(
        () => new TieredStore({ far: far(), invalidation: { ...invalidation, publishTimeout: bad('1 s') } }),
      ).toThrow(/invalidation\.publishTimeout/);
    });
  });
});

describe('platform and plugin options', () => {
  it('Discord bufferTimeout: a dispatch waiting for its guild is dropped after that long', async () => {
    await using cache = createCache<DiscordValueTypes>();
    const events = new DiscordEventManager(cache, { bufferTimeout: '150ms', resyncDelay: '1s' });
    const late = snowflake(5, 77);
    const started = performance.now();
    const dropped = new Promise<{ reason: string; after: number }>((resolve) => {
      events.once('dropped', ({ reason }) => resolve({ reason, after: performance.now() - started }));
    });
    const outcome = await events.apply({
      t: 'GUILD_MEMBER_ADD',
      d: { ...member(user(snowflake(1, 5))), guild_id: late },
    });
    expect(outcome).toEqual({ status: 'buffered', guildId: late });
    const { reason, after } = await dropped;
    expect(reason).toBe('expired');
    expect(after).toBeGreaterThanOrEqual(100);
    expect(after).toBeLessThan(3_000); // the default waits 10 s
  });

  it('Discord: bad strings are refused with the option named', async () => {
    await using cache = createCache<DiscordValueTypes>();
    expect(() => new DiscordEventManager(cache, { bufferTimeout: bad('10 s') })).toThrow(
      /options\.bufferTimeout/,
    );
    expect(() => new DiscordEventManager(cache, { resyncDelay: bad('1 s') })).toThrow(/options\.resyncDelay/);
  });

  it('PluginManager timeout: a hanging handler is reported after that long', async () => {
    const adapter: PlatformAdapter<string> = {
      platform: 'test',
      read: (text) => ({
        text,
        messageId: '1',
        channelId: '2',
        authorId: '3',
        guildId: undefined,
        fromBot: false,
      }),
    };
    const errors: PluginError[] = [];
    const plugins = new PluginManager({
      adapter,
      client: null,
      cache: null,
      timeout: '100ms',
      onError: (error) => errors.push(error),
    });
    plugins.register({ name: 'stuck', commands: { hang: () => new Promise(() => undefined) } });
    const { ms } = await timed(() => plugins.handle('!hang'));
    expect(errors[0]).toBeInstanceOf(PluginTimeoutError);
    expect(ms).toBeLessThan(3_000); // the default is 30 s
    expect(() => new PluginManager({ adapter, client: null, cache: null, timeout: bad('30') })).toThrow(
      /options\.timeout/,
    );
  });

  it('Mezon refreshRetry delays take strings; a bad one is refused with its name', async () => {
    const sdk = createMezonTestClient();
    try {
      await using cache = createMezonCache();
      const attachment = attachMezon(cache, sdk.client, {
        refreshOnReady: false,
        refreshRetry: { initialDelay: '500ms', maxDelay: '1m', attempts: 3 },
      });
      attachment.detach();
      expect(() => attachMezon(cache, sdk.client, { refreshRetry: { initialDelay: bad('soon') } })).toThrow(
        /refreshRetry\.initialDelay/,
      );
      expect(() => attachMezon(cache, sdk.client, { refreshRetry: { maxDelay: bad('1 min') } })).toThrow(
        /refreshRetry\.maxDelay/,
      );
    } finally {
      sdk.dispose();
    }
  });
});
