import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InspectReport } from '../../src/cli/inspect/inspect-redis.js';
import { createCache } from '../../src/resources/index.js';
import { RedisStore } from '../../src/store/redis/index.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';
import { runCli } from './run-cli.js';

describe('botcache inspect states its sample size', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis();
    await using store = new RedisStore({ url: server.url, prefix: 'smp' });
    const cache = createCache({ store });
    await cache.transaction((tx) => {
      for (let i = 0; i < 10; i++) tx.users.set(`2000${i}`, { id: `2000${i}`, username: `u${i}` });
    });
    await cache.close();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('as sampleSize in --json and per namespace as the keys it sampled', async () => {
    const result = await runCli(['inspect', server.url, '--prefix', 'smp', '--sample', '3', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as InspectReport;
    expect(report.sampleSize).toBe(3);
    expect(report.namespaces.find((ns) => ns.namespace === 'users')?.memorySampled).toBe(3);
  });

  it('in the text report', async () => {
    const result = await runCli(['inspect', server.url, '--prefix', 'smp', '--sample', '4']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('estimated from a sample of up to 4 keys per namespace');
    expect(result.stdout).toMatch(/sampled keys/);
  });
});
