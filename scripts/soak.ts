/**
 * Soak: mixed load across 4 processes on a redis-server this script starts itself.
 *   npx tsx scripts/soak.ts [--quick] [--minutes N]
 * Default 60 minutes; --quick runs about 20 s. Reports throughput, p99 latency, memory growth and
 * errors, then checks the cache's invariants; exits non-zero on any error or violation.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createCache } from '../src/resources/create-cache.js';
import { verifyCache } from '../src/resources/verify-cache.js';
import { RedisStore } from '../src/store/redis/index.js';
import { churnStep, prng } from '../test/reliability/support/guild-churn.js';
import { startRedis } from '../test/support/redis-server.js';

const PROCESSES = 4;
const LANES = 8;
const PREFIX = 'soak';

interface WorkerResult {
  ops: number;
  errors: number;
  firstErrors: string[];
  p99: number;
  rssStart: number;
  rssEnd: number;
}

/** One load process: guild churn over 8 guilds (2 per process, shared with a neighbour) for `ms`. */
async function worker(url: string, index: number, ms: number): Promise<void> {
  const store = new RedisStore({ url, prefix: PREFIX });
  const cache = createCache({ store });
  const random = prng(7919 * (index + 1));
  const latencies: number[] = [];
  const result: WorkerResult = {
    ops: 0,
    errors: 0,
    firstErrors: [],
    p99: 0,
    rssStart: process.memoryUsage().rss,
    rssEnd: 0,
  };
  const end = Date.now() + ms;
  const lane = async (): Promise<void> => {
    while (Date.now() < end) {
      // Neighbouring processes share a guild: conflicting writers, as with shards and workers.
      const guildId = String(900 + ((index + Math.floor(random() * 2)) % PROCESSES));
      const started = performance.now();
      try {
        await churnStep(cache, random, { guildId, users: 40, channels: 8, roles: 6 }, `p${index}`);
        if (latencies.length < 2_000_000) latencies.push(performance.now() - started);
      } catch (error) {
        result.errors++;
        if (result.firstErrors.length < 5) result.firstErrors.push(String(error));
      }
      result.ops++;
    }
  };
  await Promise.all(Array.from({ length: LANES }, lane));
  latencies.sort((a, b) => a - b);
  result.p99 = latencies[Math.floor(latencies.length * 0.99)] ?? 0;
  result.rssEnd = process.memoryUsage().rss;
  await store.close();
  process.send?.(result);
}

function runWorker(url: string, index: number, ms: number): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--worker', url, String(index), String(ms)], {
      execArgv: ['--import', 'tsx'],
    });
    let result: WorkerResult | undefined;
    child.on('message', (message) => {
      result = message as WorkerResult;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && result) resolve(result);
      else reject(new Error(`load process ${index} exited with ${code}`));
    });
  });
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === '--worker') {
    await worker(argv[1] as string, Number(argv[2]), Number(argv[3]));
    return 0;
  }
  const quick = argv.includes('--quick');
  const minutesAt = argv.indexOf('--minutes');
  const minutes = minutesAt >= 0 ? Number(argv[minutesAt + 1]) : 60;
  if (!quick && !(minutes > 0)) {
    console.error('usage: soak [--quick] [--minutes N]');
    return 2;
  }
  const ms = quick ? 20_000 : minutes * 60_000;
  const redis = await startRedis();
  try {
    console.log(`soak: ${PROCESSES} processes x ${LANES} lanes for ${ms / 1000} s on ${redis.url}`);
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: PROCESSES }, (_, i) => runWorker(redis.url, i, ms)),
    );
    const seconds = (Date.now() - started) / 1000;
    const ops = results.reduce((sum, r) => sum + r.ops, 0);
    const errors = results.reduce((sum, r) => sum + r.errors, 0);
    const store = new RedisStore({ url: redis.url, prefix: PREFIX });
    // Orphans are the churn's own (a lane writes a guild's entities after another lane deleted the
    // guild), as in test/reliability/concurrent-writers.test.ts: indexes and entries are what is checked.
    const violations = await verifyCache(createCache({ store }), { references: false, orphans: false });
    await store.close();
    console.log(`throughput  ${(ops / seconds).toFixed(0)} ops/s (${ops} ops)`);
    console.log(`p99 latency ${Math.max(...results.map((r) => r.p99)).toFixed(1)} ms (worst process)`);
    for (const [i, r] of results.entries()) {
      const growth = (r.rssEnd - r.rssStart) / 1024 / 1024;
      console.log(
        `process ${i}    ${r.ops} ops, ${r.errors} errors, rss +${growth.toFixed(1)} MiB, p99 ${r.p99.toFixed(1)} ms`,
      );
      for (const message of r.firstErrors) console.log(`  error: ${message}`);
    }
    console.log(`errors      ${errors}`);
    console.log(`violations  ${violations.length}`);
    for (const v of violations.slice(0, 10)) console.log(`  ${v.kind} ${v.ns} ${v.key}: ${v.detail}`);
    return errors === 0 && violations.length === 0 ? 0 : 1;
  } finally {
    await redis.stop();
  }
}

process.exitCode = await main(process.argv.slice(2));
