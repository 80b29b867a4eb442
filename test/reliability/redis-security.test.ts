import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendError } from '../../src/errors/index.js';
import { RedisStore } from '../../src/store/redis/index.js';
import { SCRIPTS } from '../../src/store/redis/lua-scripts.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';

const ADMIN_PASS = 'admin-S3cret!';
const DASH_PASS = 'dash-S3cret!';
const BOT1_PASS = 'bot1-S3cret!';

/** ACL key patterns, TLS, secrets kept out of errors, constant Lua scripts (issue 12). */
describe('RedisStore security', () => {
  let acl: RedisServer;
  let tls: RedisServer;
  beforeAll(async () => {
    [acl, tls] = await Promise.all([
      startRedis({
        password: ADMIN_PASS,
        args: [
          // A read-only dashboard: every botcache key, read commands only (EVALSHA of a read script
          // is not a read command, so it reads with GET/MGET/ZSCAN and the like).
          ...['--user', 'dashboard', 'on', `>${DASH_PASS}`, '~botcache:*', '+@read', '+ping', '+hello'],
          // A bot confined to its own prefix.
          ...['--user', 'bot1', 'on', `>${BOT1_PASS}`, '~bot1:*', '+@all'],
        ],
      }),
      startRedis({ tls: true }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([acl.stop(), tls.stop()]);
  });

  it('a read-only dashboard user reads what the bot wrote, and a write fails with a clear BackendError', async () => {
    const writer = new RedisStore({ url: acl.url, password: ADMIN_PASS });
    await writer.set('guilds', 'g1', { name: 'Lounge' });
    const dashboard = new RedisStore({ url: acl.url, username: 'dashboard', password: DASH_PASS });
    expect(await dashboard.get('guilds', 'g1')).toEqual({ name: 'Lounge' });
    expect(await dashboard.getMany('guilds', ['g1', 'g2'])).toEqual([{ name: 'Lounge' }, undefined]);
    expect(await dashboard.count('guilds')).toBe(1);

    const error = await dashboard.set('guilds', 'g1', { name: 'hacked' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).message).toMatch(/NOPERM/);
    expect((error as Error).message).not.toContain(DASH_PASS);
    expect(await writer.get('guilds', 'g1')).toEqual({ name: 'Lounge' });
    await Promise.all([writer.close(), dashboard.close()]);
  });

  it("a bot user confined to ~bot1:* works in its prefix and cannot read another bot's", async () => {
    const admin = new RedisStore({ url: acl.url, password: ADMIN_PASS, prefix: 'bot2' });
    await admin.set('users', 'u1', { secret: true });
    const bot1 = new RedisStore({ url: acl.url, username: 'bot1', password: BOT1_PASS, prefix: 'bot1' });
    await bot1.set('users', 'u1', 'mine', { indexes: [{ by: 'guild', parent: 'g1' }] });
    expect(await bot1.get('users', 'u1')).toBe('mine');

    const snoop = new RedisStore({ url: acl.url, username: 'bot1', password: BOT1_PASS, prefix: 'bot2' });
    const error = await snoop.get('users', 'u1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).message).toMatch(/NOPERM/);
    expect((error as Error).message).not.toContain(BOT1_PASS);
    await Promise.all([admin.close(), bot1.close(), snoop.close()]);
  });

  it('connects with rediss:// and a locally generated CA, and refuses a server it cannot verify', async () => {
    const ca = tls.tls?.ca as string;
    const store = new RedisStore({ url: tls.url, tls: { ca }, prefix: 'tls' });
    await store.set('users', 'u', { over: 'tls' });
    expect(await store.get('users', 'u')).toEqual({ over: 'tls' });
    await store.close();

    const untrusted = new RedisStore({ url: tls.url, prefix: 'tls', connectTimeout: 1500 });
    untrusted.on('error', () => {});
    const error = await untrusted.open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    await untrusted.close();
  });

  it('never puts a password from the URL or the options into an error message or event', async () => {
    const secret = 'p@ss:w/rd-in-url';
    const url = `redis://dashboard:${encodeURIComponent(secret)}@127.0.0.1:${acl.port}`;
    const seen: string[] = [];
    const store = new RedisStore({
      url,
      connectTimeout: 1000,
      reconnect: { initialDelay: 20, maxDelay: 50 },
    });
    store.on('error', (e) => seen.push(`${e.message} ${String((e.cause as Error | undefined)?.message)}`));
    store.on('reconnecting', (info) => seen.push(JSON.stringify(info)));
    const error = await store.open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    seen.push((error as Error).message, String(error), (error as Error).stack ?? '');
    await store.close();

    const byOption = new RedisStore({ url: acl.url, password: secret, connectTimeout: 1000 });
    byOption.on('error', (e) => seen.push(e.message));
    const error2 = await byOption.open().catch((e: unknown) => e);
    expect(error2).toBeInstanceOf(BackendError);
    seen.push((error2 as Error).message, (error2 as Error).stack ?? '');
    await byOption.close();

    expect(seen.length).toBeGreaterThan(2);
    for (const text of seen) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(encodeURIComponent(secret));
    }
  });

  it('loads only the known, constant Lua scripts: keys and values travel as KEYS/ARGV', async () => {
    const server = await startRedis();
    try {
      const monitor = createClient({ url: server.url });
      await monitor.connect();
      const sent: string[][] = [];
      await monitor.monitor((line: string) => {
        const args = [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] as string);
        if (args[0]?.toUpperCase().startsWith('EVAL') || args[0]?.toUpperCase() === 'SCRIPT') sent.push(args);
      });
      const store = new RedisStore({ url: server.url, prefix: "inj'ect", namespaces: { msgs: { max: 2 } } });
      const hostile = `x'); redis.call('FLUSHALL'); --`;
      await store.set('msgs', hostile, { text: hostile }, { indexes: [{ by: 'channel', parent: hostile }] });
      await store.batch([
        { type: 'set', ns: 'msgs', key: 'b', value: 1 },
        { type: 'link', ns: 'msgs', key: 'b', link: { by: 'channel', parent: hostile } },
      ]);
      await store.set('msgs', 'c', 2);
      await store.getEntry('msgs', 'c');
      for await (const _ of store.indexKeys('msgs', { by: 'channel', parent: hostile })) {
        // walks the index through the VALIDATE script
      }
      await new Promise((resolve) => setTimeout(resolve, 200)); // MONITOR lines arrive asynchronously
      await monitor.close();
      await store.close();

      const shas = new Set(SCRIPTS.map((s) => s.sha));
      const sources = new Set(SCRIPTS.map((s) => s.source));
      expect(sent.length).toBeGreaterThan(3);
      for (const args of sent) {
        const verb = args[0]?.toUpperCase();
        if (verb === 'EVALSHA') expect(shas.has(args[1] as string)).toBe(true);
        else if (verb === 'EVAL')
          // MONITOR escapes newlines; compare without them.
          expect([...sources].map((s) => s.replace(/\n/g, '\\n'))).toContain(args[1]);
        else expect(verb).not.toBe('SCRIPT');
      }
      // The hostile key did its harm nowhere: it is stored as data.
      expect(Number(await server.cli('DBSIZE'))).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
  });
});
