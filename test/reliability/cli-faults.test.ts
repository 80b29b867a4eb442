import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/redis/index.js';
import { runCli } from '../cli/run-cli.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';

/** `botcache inspect` against a stopped server and bad URLs (issue 17, items 8 and 9). */
describe('botcache inspect under faults', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis();
    const store = new RedisStore({ url: server.url });
    await store.set('users', 'u1', { id: 'u1' });
    await store.close();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('exits 2 with one line when the server is stopped (SIGSTOP), instead of hanging', async () => {
    const pid = Number((await server.cli('INFO', 'server')).match(/process_id:(\d+)/)?.[1]);
    process.kill(pid, 'SIGSTOP');
    try {
      const started = Date.now();
      const result = await runCli(['inspect', server.url], { timeout: 30_000 });
      const took = Date.now() - started;
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/did not answer|timed out/);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(took).toBeLessThan(20_000);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    // Still works once the server answers.
    const ok = await runCli(['inspect', server.url, '--json']);
    expect(ok.code).toBe(0);
  }, 60_000);

  it.each([
    ['an http URL with a password', 'http://admin:cli-secret-pw@127.0.0.1:1'],
    ['a URL that does not parse', 'redis://admin:cli-secret-pw@127.0.0.1:notaport'],
    ['an unreachable server', 'redis://admin:cli-secret-pw@127.0.0.1:1'],
  ])(
    '%s: exits 2 and never prints the password',
    async (_what, url) => {
      const result = await runCli(['inspect', url], { timeout: 30_000 });
      expect(result.code).toBe(2);
      expect(`${result.stdout}${result.stderr}`).not.toContain('cli-secret-pw');
      expect(result.stderr.length).toBeGreaterThan(0);
    },
    40_000,
  );
});
