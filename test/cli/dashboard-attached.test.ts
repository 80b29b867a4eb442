/**
 * `botcache dashboard --redis URL` attached to a real multi-process bot: three child processes share
 * one Redis (then a Cluster) and publish their stats; the page in headless Chromium must show what
 * Redis holds and what each process reported. The dashboard connects as an ACL user that may only
 * read, so a write would fail loudly.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCache, RESOURCE_NAMES } from '../../src/resources/index.js';
import { RedisStore } from '../../src/store/redis/index.js';
import {
  type RedisClusterHandle,
  type RedisServer,
  startRedis,
  startRedisCluster,
} from '../support/redis-server.js';
import { MAIN, ROOT, runCli } from './run-cli.js';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'];
const BOT = join(ROOT, 'test/cli/fixtures/dashboard-bot.ts');
const PREFIX = 'livebot';
const dir = mkdtempSync(join(tmpdir(), 'botcache-attached-'));
let browser: BrowserContext;
const children: ChildProcess[] = [];

interface BotReport {
  readonly id: string;
  readonly guild: string;
  readonly members: number;
  readonly hits: number;
  readonly misses: number;
}

/** Spawns a child and resolves with the first stdout line matching `pattern`. */
function spawnUntil(
  args: readonly string[],
  pattern: RegExp,
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (chunk) => {
      err += chunk;
    });
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      const match = pattern.exec(out);
      if (match) resolve({ child, match });
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${err}`)));
  });
}

async function startBots(target: string, cluster: boolean): Promise<BotReport[]> {
  const started = await Promise.all(
    [1, 2, 3].map((n) =>
      spawnUntil(
        [BOT, target, PREFIX, `shard-${n}`, String(n), cluster ? '1' : '0'],
        /^(\{"ready":true.*\})$/m,
      ),
    ),
  );
  return started.map(({ match }) => JSON.parse(match[1] as string) as BotReport);
}

/** A read-only ACL user on one node: reads, INFO, CLUSTER NODES, MEMORY USAGE; no write can pass. */
async function addReader(node: RedisServer): Promise<void> {
  await node.cli(
    'ACL',
    'SETUSER',
    'dash',
    'on',
    '>dashpw',
    '~*',
    '+@read',
    '+info',
    '+ping',
    '+cluster|nodes',
    '+memory|usage',
    '-@write',
  );
}

const toNumber = (text: string | null): number => Number((text ?? '').replace(/[^\d.-]/g, ''));

async function openDashboard(url: string, minProcesses: number): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(
    `document.querySelectorAll('[data-testid=process-row]').length >= ${minProcesses} &&
     Number(document.querySelector('[data-testid=samples]')?.textContent) >= 3`,
    undefined,
    { timeout: 30_000 },
  );
  return page;
}

async function checkPage(page: Page, reports: readonly BotReport[], store: RedisStore): Promise<void> {
  // Every resource's entry count is what the shared store holds.
  const cache = createCache({ store });
  for (const resource of RESOURCE_NAMES) {
    const actual = await cache[resource].count();
    const cell = page.locator(`[data-testid=entries-${cache[resource].ns}]`);
    if (actual === 0) continue; // a namespace with no key is not listed
    expect(toNumber(await cell.textContent()), resource).toBe(actual);
  }
  expect(await cache.members.count()).toBe(reports.reduce((n, r) => n + r.members, 0));
  // Hits and misses are the processes' own counters, summed.
  expect(toNumber(await page.locator('[data-testid=hits-members]').textContent())).toBe(
    reports.reduce((n, r) => n + r.hits, 0),
  );
  expect(toNumber(await page.locator('[data-testid=misses-members]').textContent())).toBe(
    reports.reduce((n, r) => n + r.misses, 0),
  );
  // One row per live process, in id order, each with its one applied GUILD_CREATE.
  const ids = await page.locator('[data-testid^=process-id-]').allTextContents();
  expect(ids).toEqual(reports.map((r) => r.id).sort());
  for (let i = 0; i < ids.length; i++)
    expect(toNumber(await page.locator(`[data-testid=process-applied-${i}]`).textContent())).toBe(1);
  // The largest guild is the biggest bot's.
  const biggest = [...reports].sort((a, b) => b.members - a.members)[0] as BotReport;
  expect(await page.locator('[data-testid=guild-id-0]').textContent()).toBe(biggest.guild);
  expect(toNumber(await page.locator('[data-testid=redis-memory]').textContent())).toBeGreaterThan(0);
  // Four labelled time series with data.
  const charts = (await page.evaluate(`Object.entries(window.botcacheCharts).map(([name, u]) => ({
    name, title: u.root.querySelector('.u-title')?.textContent, y: u.axes[1].label, x: u.axes[0].label,
    points: u.data[0].length, series: u.series.slice(1).map((s) => s.label) }))`)) as {
    name: string;
    title: string;
    y: string;
    x: string;
    points: number;
    series: string[];
  }[];
  expect(charts.map((c) => [c.name, c.y])).toEqual([
    ['hitRate', 'hit rate (%)'],
    ['ops', 'operations / s'],
    ['lag', 'lag (ms)'],
    ['memory', 'memory (MiB)'],
  ]);
  for (const c of charts) {
    expect(c.x).toBe('time (local)');
    expect(c.title.length).toBeGreaterThan(3);
    expect(c.points).toBeGreaterThanOrEqual(3);
  }
  await cache.close();
}

beforeAll(async () => {
  browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('botcache dashboard --redis, attached to three bot processes', () => {
  describe('on one Redis', () => {
    let server: RedisServer;
    beforeAll(async () => {
      server = await startRedis();
      await addReader(server);
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
    });

    it('shows what Redis holds and what each process published, and a stopped process drops off', async () => {
      const reports = await startBots(server.url, false);
      const readerUrl = `redis://dash:dashpw@127.0.0.1:${server.port}`;
      const { child: dashboard, match } = await spawnUntil(
        [MAIN, 'dashboard', '--redis', readerUrl, '--prefix', PREFIX, '--every', '500ms', '--port', '0'],
        /botcache dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/,
      );
      let dashboardErrors = '';
      dashboard.stderr?.on('data', (chunk) => {
        dashboardErrors += chunk;
      });
      const page = await openDashboard(match[1] as string, 3);
      expect(await page.locator('[data-testid=source]').textContent()).toContain(
        '(prefix livebot, read-only)',
      );
      expect(await page.locator('[data-testid=source]').textContent()).not.toContain('dashpw');
      const store = new RedisStore({ url: server.url, prefix: PREFIX });
      await checkPage(page, reports, store);
      await store.close();
      const shot = join(dir, 'attached.png');
      await page.screenshot({ path: process.env.BOTCACHE_DASHBOARD_SCREENSHOT ?? shot, fullPage: true });

      // A process that stops removes its snapshot: the page shows two.
      const first = children.find((c) => c.spawnargs.includes('shard-1')) as ChildProcess;
      const exited = new Promise((resolve) => first.once('exit', resolve));
      first.kill('SIGTERM');
      await exited;
      await page.waitForFunction(
        "document.querySelectorAll('[data-testid=process-row]').length === 2",
        undefined,
        {
          timeout: 15_000,
        },
      );
      expect(dashboardErrors).toBe(''); // every read passed the read-only ACL user
      const stopped = new Promise<number | null>((resolve) =>
        dashboard.once('exit', (code) => resolve(code)),
      );
      dashboard.kill('SIGTERM');
      expect(await stopped).toBe(0);
      await page.close();
      for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGTERM');
      if (!process.env.BOTCACHE_DASHBOARD_SCREENSHOT)
        expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    }, 120_000);
  });

  describe('on a Redis Cluster', () => {
    let cluster: RedisClusterHandle;
    beforeAll(async () => {
      cluster = await startRedisCluster();
      for (let i = 0; i < cluster.nodes.length; i++) await addReader(cluster.node(i));
    }, 120_000);
    afterAll(async () => {
      await cluster?.stop();
    });

    it('reads every master and shows the same truth', async () => {
      const seeds = cluster.rootNodes.map((n) => n.url);
      const reports = await startBots(seeds.join(','), true);
      const seed = cluster.nodes[0] as { host: string; port: number };
      const { child: dashboard, match } = await spawnUntil(
        [
          MAIN,
          'dashboard',
          '--redis',
          `redis://dash:dashpw@${seed.host}:${seed.port}`,
          '--prefix',
          PREFIX,
          '--every',
          '500ms',
          '--port',
          '0',
        ],
        /botcache dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/,
      );
      const page = await openDashboard(match[1] as string, 3);
      expect(await page.locator('[data-testid=source]').textContent()).toContain('Redis Cluster');
      const store = new RedisStore({ cluster: { rootNodes: seeds }, prefix: PREFIX });
      await checkPage(page, reports, store);
      await store.close();
      dashboard.kill('SIGTERM');
      await page.close();
      for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGTERM');
    }, 120_000);
  });
});

describe('botcache dashboard: options that do not fit together', () => {
  it.each([
    [['--redis', 'redis://127.0.0.1:1', '--store', 'memory'], /--store is for the demo/],
    [['--prefix', 'x'], /--prefix needs --redis URL/],
    [['--redis', 'redis://127.0.0.1:1', '--every', '10ms'], /--every must be a duration of at least 500ms/],
    [
      ['--redis', 'redis://admin:s3cret@127.0.0.1:1'],
      /cannot reach Redis at redis:\/\/admin:\*\*\*@127\.0\.0\.1:1/,
    ],
  ])('%j is a usage error (exit 2, one line, no secret)', async (args, message) => {
    const result = await runCli(['dashboard', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain('s3cret');
  });
});
