import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InspectReport } from '../../src/cli/inspect/inspect-redis.js';
import { type BotCache, createCache } from '../../src/resources/index.js';
import { RedisStore } from '../../src/store/redis/index.js';
import {
  type RedisClusterHandle,
  type RedisServer,
  startRedis,
  startRedisCluster,
} from '../support/redis-server.js';
import { runCli } from './run-cli.js';

const BIG = '100000000000000001';
const SMALL = '100000000000000002';

/** Two guilds of different sizes, users, and messages with the 5 min TTL. */
async function fill(cache: BotCache): Promise<void> {
  await cache.transaction((tx) => {
    for (const [guildId, members] of [
      [BIG, 30],
      [SMALL, 5],
    ] as const) {
      tx.guilds.set(guildId, { id: guildId, name: `guild ${guildId}` });
      tx.channels.set(`${guildId}9`, { id: `${guildId}9`, name: 'general' }, { guildId });
      for (let i = 0; i < members; i++) {
        const userId = `2000${guildId.slice(-1)}${String(i).padStart(4, '0')}`;
        tx.users.set(userId, { id: userId, username: `u${i}` });
        tx.members.set(guildId, userId, { nick: null });
      }
    }
  });
  for (let i = 0; i < 12; i++) {
    await cache.messages.set(`3000${i}`, { content: `m${i}` }, { channelId: `${BIG}9`, guildId: BIG });
  }
}

function parse(stdout: string): InspectReport {
  return JSON.parse(stdout) as InspectReport;
}

function entriesOf(report: InspectReport, namespace: string): number | undefined {
  return report.namespaces.find((ns) => ns.namespace === namespace)?.entries;
}

describe('botcache inspect on a standalone redis-server', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis();
    const store = new RedisStore({ url: server.url, prefix: 'insp' });
    const cache = createCache({ store });
    await fill(cache);
    await cache.close();
    await store.close();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('reports counts, sampled memory, TTLs and the largest guilds, sending only read-only commands', async () => {
    await server.cli('CONFIG', 'RESETSTAT');
    const result = await runCli(['inspect', server.url, '--prefix', 'insp', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = parse(result.stdout);
    expect(report.cluster).toBe(false);
    expect(entriesOf(report, 'guilds')).toBe(2);
    expect(entriesOf(report, 'channels')).toBe(2);
    expect(entriesOf(report, 'members')).toBe(35);
    expect(entriesOf(report, 'users')).toBe(35);
    expect(entriesOf(report, 'messages')).toBe(12);
    const messages = report.namespaces.find((ns) => ns.namespace === 'messages');
    expect(messages?.ttl['1-5 min']).toBe(12);
    expect(report.namespaces.find((ns) => ns.namespace === 'guilds')?.ttl['no expiry']).toBe(2);
    expect(report.totals.memoryBytes).toBeGreaterThan(0);
    expect(report.largestGuilds.map((g) => g.guildId)).toEqual([BIG, SMALL]);
    expect(report.largestGuilds[0]?.byNamespace).toEqual({ channels: 1, members: 30, messages: 12 });

    // Every command the server ran since RESETSTAT (the CLI's and redis-cli's own INFO) is a read.
    const stats = await server.cli('INFO', 'commandstats');
    const commands = [...stats.matchAll(/^cmdstat_([a-z|]+):/gm)].map((m) => m[1]);
    const readOnly = new Set([
      'scan',
      'memory|usage',
      'pttl',
      'zcard',
      'info',
      'ping',
      'hello',
      'client|setinfo',
      'config|resetstat',
    ]);
    expect(commands.filter((c) => !readOnly.has(c as string))).toEqual([]);
    expect(commands).toContain('scan');
  }, 30_000);

  it('prints a human table, and exits 2 with one line for a prefix with no keys', async () => {
    const [human, wrong] = await Promise.all([
      runCli(['inspect', server.url, '--prefix', 'insp']),
      runCli(['inspect', server.url, '--prefix', 'nothing-here']),
    ]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/prefix 'insp', Redis\n/);
    expect(human.stdout).toMatch(/^members\s+35\s/m);
    expect(human.stdout).toMatch(new RegExp(`^${BIG}\\s+43\\s+members 30, messages 12, channels 1`, 'm'));
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim()).toMatch(
      /^botcache: no botcache keys under prefix 'nothing-here' at redis:\/\/127\.0\.0\.1:\d+\/? \(wrong --prefix\?\)$/,
    );
  }, 30_000);
});

describe('botcache inspect on a Redis Cluster', () => {
  let cluster: RedisClusterHandle;
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
    const store = new RedisStore({
      cluster: { rootNodes: cluster.rootNodes.map((n) => n.url) },
      prefix: 'insp',
    });
    const cache = createCache({ store });
    await fill(cache);
    await cache.close();
    await store.close();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('scans every master and counts the same entries as on a single server', async () => {
    const seed = cluster.rootNodes[1]?.url as string;
    const result = await runCli(['inspect', seed, '--prefix', 'insp', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = parse(result.stdout);
    expect(report.cluster).toBe(true);
    expect(report.nodes).toHaveLength(3);
    for (const node of report.nodes) expect(node).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(entriesOf(report, 'members')).toBe(35);
    expect(entriesOf(report, 'users')).toBe(35);
    expect(entriesOf(report, 'messages')).toBe(12);
    expect(report.largestGuilds[0]).toMatchObject({ guildId: BIG, entries: 43 });
  }, 30_000);
});
