/** `botcache inspect --watch`: the report again every interval, with what changed, until SIGINT. */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCache } from '../../src/resources/index.js';
import { RedisStore } from '../../src/store/redis/index.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';
import { MAIN, ROOT, runCli } from './run-cli.js';

const RULE = '-'.repeat(72);
let server: RedisServer;

beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server?.stop();
});

describe('botcache inspect --watch', () => {
  it('redraws the report with the change of each namespace, and exits 0 on SIGINT', async () => {
    const cache = createCache({ store: new RedisStore({ url: server.url, prefix: 'watched' }) });
    for (let i = 0; i < 20; i++) await cache.users.set(`u${i}`, { id: `u${i}` });
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', MAIN, 'inspect', server.url, '--prefix', 'watched', '--watch', '--every', '500ms'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } },
    );
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    const reports = (n: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setInterval(() => {
          if (out.split(RULE).length > n) {
            clearInterval(timer);
            resolve();
          }
        }, 50);
        child.once('exit', (code) => {
          clearInterval(timer);
          reject(new Error(`inspect exited with ${code}: ${out}`));
        });
      });
    await reports(1);
    for (let i = 20; i < 35; i++) await cache.users.set(`u${i}`, { id: `u${i}` });
    const seen = out.split(RULE).length - 1;
    await reports(seen + 1);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const frames = out.split(RULE).filter((f) => f.trim().length > 0);
    expect(frames[0]).toContain('botcache inspect --watch');
    expect(frames[0]).not.toContain('change since');
    const last = frames[frames.length - 1] as string;
    expect(last).toMatch(/change since \d+\.\d s ago/);
    expect(last).toMatch(/users\s+35\s+\+15/);
    await cache.close();
    await cache.store.close();
  }, 60_000);

  it('refuses --watch with --json, and --every without --watch', async () => {
    const both = await runCli(['inspect', server.url, '--watch', '--json']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--watch draws a screen/);
    const every = await runCli(['inspect', server.url, '--every', '1s']);
    expect(every.code).toBe(2);
    expect(every.stderr).toMatch(/--every needs --watch/);
  }, 60_000);
});
