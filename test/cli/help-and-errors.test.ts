import { describe, expect, it } from 'vitest';
import { intFlag, parseArgs } from '../../src/cli/args.js';
import { parseStoreChoice } from '../../src/cli/store-option.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { freePort } from '../support/redis-server.js';
import { type CliResult, runCli } from './run-cli.js';

/** A user's mistake prints one line on stderr, exits 2, and never shows a stack trace. */
function expectUsageError(result: CliResult, pattern: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('botcache help (child process)', () => {
  it('prints the overview and every command help, through `help <cmd>` and `<cmd> --help`', async () => {
    const commands = ['demo', 'inspect', 'bench', 'dashboard'] as const;
    const [overview, ...helps] = await Promise.all([
      runCli([]),
      ...commands.map((c) => runCli(['help', c])),
      runCli(['inspect', '--help']),
    ]);
    expect(overview?.code).toBe(0);
    for (const command of commands) expect(overview?.stdout).toContain(`  ${command} `);
    expect(overview?.stdout).toMatch(/exit codes: 0 ok, 1 failure, 2 usage/);
    commands.forEach((command, i) => {
      const viaHelp = helps[i] as CliResult;
      expect(viaHelp.code).toBe(0);
      expect(viaHelp.stdout).toMatch(new RegExp(`^usage: botcache ${command} `));
    });
    // `<cmd> --help` is the same text as `help <cmd>` (and is not an error even with other flags missing).
    expect(helps[commands.length]).toEqual(helps[1]);
  });
});

describe('botcache usage errors exit 2 with one clear line (child process)', () => {
  it('unknown command, bad number, bad store, bad URL, missing URL', async () => {
    const results = await Promise.all([
      runCli(['frobnicate']),
      runCli(['demo', '--guilds', 'abc']),
      runCli(['demo', '--store', 'mongo']),
      runCli(['inspect', 'http://example.com']),
      runCli(['inspect']),
    ]);
    expectUsageError(results[0] as CliResult, /^botcache: unknown command 'frobnicate'/);
    expectUsageError(
      results[1] as CliResult,
      /--guilds must be a whole number from 1 to 10000 \(got 'abc'\)/,
    );
    expectUsageError(results[2] as CliResult, /--store must be one of/);
    expectUsageError(results[3] as CliResult, /'http:\/\/example\.com' is not a Redis URL/);
    expectUsageError(results[4] as CliResult, /give a Redis URL/);
  });

  it('an unreachable server is one line, for inspect and for demo --store redis', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const [inspect, demo] = await Promise.all([
      runCli(['inspect', url]),
      runCli(['demo', '--store', 'redis', url, '--guilds', '1', '--messages', '1']),
    ]);
    expectUsageError(inspect as CliResult, /cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+/);
    expectUsageError(demo as CliResult, /cannot open RedisStore at redis:\/\/127\.0\.0\.1:\d+/);
  });
});

describe('argument parsing', () => {
  const spec = {
    command: 'demo',
    values: ['store', 'guilds'],
    switches: ['json'],
    twoWord: { store: ['redis', 'sqlite'] },
  };

  it('reads values, switches and two-word store choices', () => {
    const args = parseArgs(['--guilds=3', '--json', '--store', 'redis', 'redis://h:1'], spec);
    expect(intFlag(args, 'guilds', 1)).toBe(3);
    expect(args.switches.has('json')).toBe(true);
    expect(parseStoreChoice(args.values.get('store'))).toEqual({ kind: 'redis', url: 'redis://h:1' });
    expect(parseStoreChoice('redis://h:2')).toEqual({ kind: 'redis', url: 'redis://h:2' });
    expect(parseStoreChoice('sqlite /tmp/x.db')).toEqual({ kind: 'sqlite', path: '/tmp/x.db' });
    expect(parseStoreChoice(undefined)).toEqual({ kind: 'memory' });
  });

  it.each([
    [['--colour'], /unknown option --colour/],
    [['--guilds'], /--guilds needs a value/],
    [['--json=yes'], /--json takes no value/],
    [['extra'], /unexpected argument 'extra'/],
  ])('refuses %j', (argv, pattern) => {
    expect(() => parseArgs(argv, spec)).toThrow(UsageError);
    expect(() => parseArgs(argv, spec)).toThrow(pattern);
  });

  it.each(['-1', '1.5', '1e3', '', '99999999999999999999'])('refuses --guilds %j', (raw) => {
    const args = parseArgs(['--guilds', raw], { ...spec, values: ['guilds'] });
    expect(() => intFlag(args, 'guilds', 1, { min: 1, max: 100 })).toThrow(/--guilds must be a whole number/);
  });

  it('refuses store choices without their argument', () => {
    expect(() => parseStoreChoice('redis')).toThrow(/--store redis needs a URL/);
    expect(() => parseStoreChoice('sqlite')).toThrow(/--store sqlite needs a PATH/);
    expect(() => parseStoreChoice('redis ftp://x')).toThrow(/not a Redis URL/);
  });
});
