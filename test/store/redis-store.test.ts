import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect } from '../../src/conformance/index.js';
import { BackendError, ClosedClient, InvalidDataFound } from '../../src/errors/index.js';
import { RedisStore } from '../../src/store/redis/index.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';

/** Connection options, prefixes, databases, corrupt data: everything but faults, on real servers. */
describe('RedisStore connections and layout', () => {
  let server: RedisServer;
  let acl: RedisServer;
  let tls: RedisServer;
  beforeAll(async () => {
    [server, acl, tls] = await Promise.all([
      startRedis({ unixSocket: true }),
      startRedis({ args: ['--user', 'bot', 'on', '>bot-pass-123', '~*', '+@all'], password: 'admin-pass' }),
      startRedis({ tls: true }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([server.stop(), acl.stop(), tls.stop()]);
  });

  it('stores values as plain versioned JSON under <prefix>:<ns>:v:<key>, readable by redis-cli', async () => {
    const store = new RedisStore({ url: server.url, prefix: 'layout' });
    await store.set('members', '{g1}:u1', { id: 'u1' }, { indexes: [{ by: 'guild', parent: 'g1' }] });
    await store.set('users', 'u1', { name: 'Nelly' });
    expect((await server.cli('GET', 'layout:users:v:{u1}')).trim()).toBe('{"v":1,"d":{"name":"Nelly"}}');
    expect((await server.cli('GET', 'layout:members:v:#{g1}:u1')).trim()).toBe('{"v":1,"d":{"id":"u1"}}');
    expect((await server.cli('ZRANGE', 'layout:members:i:guild:{g1}', '0', '-1')).trim()).toBe('{g1}:u1');
    // the entry and its guild's index share one Cluster slot
    const slot = async (key: string) => (await server.cli('CLUSTER', 'KEYSLOT', key)).trim();
    expect(await slot('layout:members:v:#{g1}:u1')).toBe(await slot('layout:members:i:guild:{g1}'));
    await store.close();
  });

  it('two prefixes on one server never see each other, and clear touches only its own', async () => {
    const a = new RedisStore({ url: server.url, prefix: 'bot-a' });
    const b = new RedisStore({ url: server.url, prefix: 'bot-b' });
    await a.setMany('users', [
      ['1', 'a1'],
      ['2', 'a2'],
    ]);
    await b.set('users', '1', 'b1');
    expect(await a.get('users', '1')).toBe('a1');
    expect(await b.get('users', '1')).toBe('b1');
    expect(await b.count('users')).toBe(1);
    await a.clear('users');
    expect(await a.count('users')).toBe(0);
    expect(await b.get('users', '1')).toBe('b1');
    await Promise.all([a.close(), b.close()]);
  });

  it('refuses a prefix with hash-tag braces', () => {
    expect(() => new RedisStore({ url: server.url, prefix: 'a{b}' })).toThrow(/prefix/);
  });

  it('keeps a namespace in its own database on standalone', async () => {
    const store = new RedisStore({ url: server.url, prefix: 'dbs', databases: { sessions: 3 } });
    await store.set('sessions', 's', { ok: true });
    await store.set('users', 'u', 1);
    expect((await server.cli('-n', '3', 'EXISTS', 'dbs:sessions:v:{s}')).trim()).toBe('1');
    expect((await server.cli('EXISTS', 'dbs:sessions:v:{s}')).trim()).toBe('0');
    expect(await store.get('sessions', 's')).toEqual({ ok: true });
    await store.close();
  });

  it('refuses a database override on Cluster', () => {
    expect(
      () => new RedisStore({ cluster: { rootNodes: [server.url] }, databases: { sessions: 1 } }),
    ).toThrow(/not available on Redis Cluster/);
  });

  it('connects through a unix socket', async () => {
    const store = new RedisStore({ url: `unix://${server.socketPath}`, prefix: 'unix' });
    await store.set('users', 'u', 'via socket');
    expect(await store.get('users', 'u')).toBe('via socket');
    await store.close();
  });

  it('uses an existing node-redis client without closing it', async () => {
    const client = createClient({ url: server.url });
    client.on('error', () => {});
    await client.connect();
    const store = new RedisStore({ client, prefix: 'borrowed' });
    await store.set('users', 'u', 1);
    await store.close();
    expect(client.isReady).toBe(true);
    expect(await client.get('borrowed:users:v:{u}')).toBe('{"v":1,"d":1}');
    await expect(store.get('users', 'u')).rejects.toThrow(ClosedClient);
    client.destroy();
  });

  it('authenticates as an ACL user, given separately or in the URL', async () => {
    const separate = new RedisStore({
      url: acl.url,
      username: 'bot',
      password: 'bot-pass-123',
      prefix: 'acl',
    });
    await separate.set('users', 'u', 'acl');
    const inUrl = new RedisStore({ url: `redis://bot:bot-pass-123@${acl.host}:${acl.port}`, prefix: 'acl' });
    expect(await inUrl.get('users', 'u')).toBe('acl');
    await Promise.all([separate.close(), inUrl.close()]);
  });

  it('a wrong password fails with BackendError and never shows the password', async () => {
    const store = new RedisStore({
      url: `redis://bot:wrong-secret-xyz@${acl.host}:${acl.port}`,
      connectTimeout: 1500,
      reconnect: { initialDelay: 200, maxDelay: 500 },
    });
    const error = await store.open().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BackendError);
    expect(String((error as Error).message)).not.toContain('wrong-secret-xyz');
    await store.close();
  });

  it('connects over TLS with a CA', async () => {
    const store = new RedisStore({ url: tls.url, tls: { ca: tls.tls?.ca }, prefix: 'tls' });
    await store.set('users', 'u', 'encrypted');
    expect(await store.get('users', 'u')).toBe('encrypted');
    await store.close();
  });

  it('a corrupt value raises InvalidDataFound naming its key; iteration skips it and reports it', async () => {
    const store = new RedisStore({ url: server.url, prefix: 'corrupt' });
    await store.setMany('users', [
      ['good', 1],
      ['bad', 2],
    ]);
    await server.cli('SET', 'corrupt:users:v:{bad}', 'not json {');
    const error = await store.get('users', 'bad').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidDataFound);
    expect((error as InvalidDataFound).key).toBe('corrupt:users:v:{bad}');
    const reported: Error[] = [];
    store.on('invalidData', (e) => reported.push(e));
    expect(await collect(store.entries('users'))).toEqual([['good', 1]]);
    expect(reported).toHaveLength(1);
    expect(reported[0]).toBeInstanceOf(InvalidDataFound);
    await store.close();
  });
});
