import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DemoReport } from '../../src/cli/demo/demo-report.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'botcache-cli-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function countOf(report: DemoReport, resource: string): number | undefined {
  return report.snapshot.resources.find((r) => r.resource === resource)?.count;
}

describe('botcache demo (child process)', () => {
  it('with no options (npm run demo): memory store, no server, summary printed, exit 0', async () => {
    const started = Date.now();
    const result = await runCli(['demo']);
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(result.stdout).toMatch(
      /^botcache demo: a simulated Mezon bot session in the embedded MemoryStore/,
    );
    expect(result.stdout).toMatch(/^guilds\s+20\s/m);
    expect(result.stdout).toMatch(/^channels\s+120\s/m);
    expect(result.stdout).toMatch(/^messages\s+10,000\s/m);
    expect(result.stdout).toMatch(/^events\s+[\d,]+ in [\d.]+ s \([\d,]+ events\/s\)/m);
    expect(result.stdout).toMatch(/^fetches avoided [\d,]+ \(\d+\.\d% of lookups never reached the API\)/m);
    expect(result.stdout).toMatch(/^memory used\s+[\d.]+ [KM]iB/m);
    // Not a terminal here: progress is plain lines on stderr, never mixed into the summary.
    expect(result.stderr).toMatch(/simulating: 100% \(\d+\/\d+ events\)/);
    expect(result.stdout).not.toContain('simulating');
  }, 90_000);

  it('--json reports what the simulated session put in the cache and what the cache answered', async () => {
    const result = await runCli(['demo', '--guilds', '3', '--members', '40', '--messages', '300', '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as DemoReport;
    expect(report.size).toEqual({ guilds: 3, members: 40, messages: 300 });
    expect(countOf(report, 'guilds')).toBe(3);
    expect(countOf(report, 'channels')).toBe(3 * 6);
    expect(countOf(report, 'roles')).toBe(3 * 5);
    expect(countOf(report, 'messages')).toBe(300);
    // 30 churn events (one per 10 messages) move each clan's size by one join or leave.
    expect(countOf(report, 'members')).toBeGreaterThanOrEqual(3 * 40 - 30);
    expect(countOf(report, 'members')).toBeLessThanOrEqual(3 * 40 + 30);
    expect(report.activity).toMatchObject({
      events: 3 + 300 + 30 + 6,
      messagesDispatched: 300,
      pluginFailures: 0,
    });
    expect(report.activity.commandsAnswered).toBeGreaterThan(0);
    // Every message's author is looked up (plus each !whois): the API saw only the misses.
    const { hits, misses, loads } = report.userFetches;
    expect(hits + misses).toBeGreaterThanOrEqual(300);
    expect(report.apiCalls).toBe(loads);
    expect(hits).toBeGreaterThan(10 * misses);
    expect(report.eventsPerSecond).toBeGreaterThan(0);
  }, 60_000);

  it('--store sqlite PATH keeps the same numbers in a database file, and a second run starts clean', async () => {
    const path = join(dir, 'demo.db');
    const args = [
      'demo',
      '--store',
      'sqlite',
      path,
      '--guilds',
      '2',
      '--members',
      '20',
      '--messages',
      '100',
      '--json',
    ];
    const first = await runCli(args);
    expect(first.code, first.stderr).toBe(0);
    const second = await runCli(args);
    expect(second.code, second.stderr).toBe(0);
    for (const run of [first, second]) {
      const report = JSON.parse(run.stdout) as DemoReport;
      expect(report.store).toBe(`SqliteStore at ${path}`);
      expect(countOf(report, 'guilds')).toBe(2);
      expect(countOf(report, 'messages')).toBe(100);
      expect(report.footprint.bytes).toBeGreaterThan(0);
    }
  }, 60_000);
});
