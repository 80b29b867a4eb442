import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCache, RESOURCE_NAMES } from '../../src/resources/index.js';
import { RedisStore } from '../../src/store/redis/index.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';
import { MAIN, ROOT } from './run-cli.js';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let server: RedisServer;
let dashboard: ChildProcess;
let url: string;
let browser: BrowserContext;
const dir = mkdtempSync(join(tmpdir(), 'botcache-dashboard-'));

/** Starts `botcache dashboard` and resolves with the URL it prints once the first session is in. */
function startDashboard(args: readonly string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'dashboard', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (chunk) => {
      err += chunk;
    });
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      const found = /botcache dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (found) resolve({ child, url: found[1] as string });
    });
    child.once('exit', (code) => reject(new Error(`dashboard exited with ${code}: ${err}`)));
  });
}

beforeAll(async () => {
  server = await startRedis();
  // --rate 0: after the first session the bot stops writing, so the counts on the page must be exact.
  const started = await startDashboard([
    '--store',
    'redis',
    server.url,
    '--port',
    '0',
    '--rate',
    '0',
    '--guilds',
    '2',
    '--members',
    '15',
    '--messages',
    '120',
  ]);
  dashboard = started.child;
  url = started.url;
  browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dashboard && dashboard.exitCode === null) dashboard.kill('SIGKILL');
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function toNumber(text: string | null): number {
  return Number((text ?? '').replace(/,/g, ''));
}

describe('botcache dashboard in headless Chromium', () => {
  it('shows the cache counts, refreshes live, and the numbers match the cache read on its own', async () => {
    const page = await browser.newPage();
    await page.goto(url);
    await page.locator('[data-testid=entries-members]').waitFor({ timeout: 15_000 });
    // Live: the page polls and redraws on its own.
    await page.waitForFunction(
      "Number(document.querySelector('[data-testid=samples]')?.textContent) >= 2",
      undefined,
      {
        timeout: 15_000,
      },
    );
    const screenshot = join(dir, 'dashboard.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(readFileSync(screenshot).subarray(1, 4).toString()).toBe('PNG');

    const store = new RedisStore({ url: server.url, prefix: 'botcache' });
    const cache = createCache({ store, namespacePrefix: 'demo' });
    try {
      const shown: Record<string, number> = {};
      const actual: Record<string, number> = {};
      for (const resource of RESOURCE_NAMES) {
        shown[resource] = toNumber(await page.locator(`[data-testid=entries-${resource}]`).textContent());
        actual[resource] = await cache[resource].count();
      }
      expect(shown).toEqual(actual);
      expect(shown.guilds).toBe(2);
      expect(shown.channels).toBe(12);
      expect(shown.messages).toBe(120);
      const total = Object.values(actual).reduce((a, b) => a + b, 0);
      expect(toNumber(await page.locator('[data-testid=total-entries]').textContent())).toBe(total);
    } finally {
      await cache.close();
      await store.close();
    }
    // The bot's plugins read users from the cache: hits are shown, with a hit rate.
    expect(toNumber(await page.locator('[data-testid=hits-users]').textContent())).toBeGreaterThan(100);
    expect(await page.locator('[data-testid=rate-users]').textContent()).toMatch(/^\d+\.\d%$/);
    expect(await page.locator('[data-testid=source]').textContent()).toMatch(
      /^demo bot on RedisStore at redis:\/\/127\.0\.0\.1:\d+/,
    );
    // The memory chart (uPlot) has a point per sample, with a labelled axis.
    const memory = (await page.evaluate(
      '({ points: window.botcacheCharts.memory.data[1].length, label: window.botcacheCharts.memory.axes[1].label })',
    )) as { points: number; label: string };
    expect(memory.points).toBeGreaterThanOrEqual(2);
    expect(memory.label).toBe('memory (MiB)');
    await page.close();
  }, 60_000);

  it('stops cleanly on SIGTERM with exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => dashboard.once('exit', (code) => resolve(code)));
    dashboard.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 20_000);
});
