import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';

const version = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string }).version;

describe('botcache --version and bench arguments (child process)', () => {
  it('prints the package version', async () => {
    const result = await runCli(['--version']);
    expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('bench --only with a name no benchmark has exits 2 and names it, before running anything', async () => {
    const result = await runCli(['bench', '--only', 'memory,nosuch']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^botcache: --only: no benchmark named nosuch \(there are .*memory.*\)$/),
    ]);
  });

  it('bench --quick writes to .tmp/bench-quick/ and leaves the committed bench/RESULTS.md alone', async () => {
    const before = statSync(`${ROOT}bench/RESULTS.md`).mtimeMs;
    const result = await runCli(['bench', '--quick', '--only', 'memory', '--json'], { timeout: 600_000 });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { results: string; sections: { title: string }[] };
    expect(report.results).toBe(`${ROOT}.tmp/bench-quick/RESULTS.md`);
    expect(report.sections.length).toBe(1);
    expect(statSync(`${ROOT}bench/RESULTS.md`).mtimeMs).toBe(before);
    expect(readFileSync(`${ROOT}.tmp/bench-quick/results/memory.md`, 'utf8')).toContain('|');
  }, 600_000);
});
