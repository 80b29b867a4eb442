import { afterAll, describe, expect, it } from 'vitest';
import {
  type RedisClusterHandle,
  type RedisServer,
  startRedis,
  startRedisCluster,
} from '../support/redis-server.js';

describe('test harness: redis-server processes', () => {
  const started: (RedisServer | RedisClusterHandle)[] = [];
  afterAll(async () => {
    await Promise.all(started.map((s) => s.stop()));
  });

  it('starts a standalone server on a free port, kills it and restarts it on the same port', async () => {
    const server = await startRedis();
    started.push(server);
    expect(server.port).not.toBe(6379);
    expect((await server.cli('ping')).trim()).toBe('PONG');
    await server.cli('set', 'k', 'v');
    await server.kill();
    await expect(server.cli('ping')).rejects.toThrow();
    await server.restart();
    expect((await server.cli('ping')).trim()).toBe('PONG');
    // no persistence: a crash loses the data
    expect((await server.cli('exists', 'k')).trim()).toBe('0');
  });

  it('starts a password-protected server and a TLS server', async () => {
    const secured = await startRedis({ password: 's3cret' });
    const tls = await startRedis({ tls: true });
    started.push(secured, tls);
    expect((await secured.cli('ping')).trim()).toBe('PONG');
    expect(tls.url.startsWith('rediss://')).toBe(true);
    expect((await tls.cli('ping')).trim()).toBe('PONG');
  });

  it('creates a local cluster whose every node reports cluster_state:ok', async () => {
    const cluster = await startRedisCluster({ masters: 3 });
    started.push(cluster);
    expect(cluster.nodes).toHaveLength(3);
    for (let i = 0; i < 3; i++)
      expect(await cluster.node(i).cli('cluster', 'info')).toContain('cluster_state:ok');
  });
});
