import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { mainRatios, parseBenchResults } from '../../src/cli/bench/bench-results.js';
import { startEphemeralRedis } from '../../src/cli/bench/ephemeral-redis.js';
import { renderRatioChart } from '../../src/cli/bench/ratio-chart.js';

/** A section in the exact shape bench/harness.ts writes (ratioTable + bold headline bullets). */
const RESULTS = `# Benchmark results

## MemoryStore vs lru-cache and Map (100,000 entries, TTL 1 h)

Node v20, linux/x64.

### get
| case | ops/s | ratio to lru-cache get (sync, raw ceiling) |
|---|---:|---:|
| lru-cache get (sync, raw ceiling) | 3.70 M | 1.00x |
| MemoryStore get (awaited) | 925.8 k | 0.25x |

- MemoryStore \`get\` (the async Store contract) vs lru-cache awaited the same way:
  **0.80x** (goal >= 0.8x).
- MemoryStore \`getSync\` vs the raw synchronous lru-cache call:
  **0.35x** (goal >= 0.8x).

## Redis: RedisStore vs node-redis

| case | ops/s | ratio to node-redis GET |
|---|---:|---:|
| node-redis GET | 40.1 k | 1.00x |
| RedisStore get | 30.0 k | 0.75x |
`;

describe('bench results parsing and the ratio chart', () => {
  it('reads tables, anchors and bold headline ratios with their goals', () => {
    const sections = parseBenchResults(RESULTS);
    expect(sections.map((s) => s.title)).toEqual([
      'MemoryStore vs lru-cache and Map (100,000 entries, TTL 1 h)',
      'Redis: RedisStore vs node-redis',
    ]);
    expect(sections[0]?.tables[0]).toMatchObject({
      title: 'get',
      anchor: 'lru-cache get (sync, raw ceiling)',
    });
    expect(sections[0]?.tables[0]?.rows[1]).toEqual({
      case: 'MemoryStore get (awaited)',
      opsPerSec: '925.8 k',
      ratio: 0.25,
    });
    expect(sections[0]?.headlines).toEqual([
      expect.objectContaining({
        label: 'MemoryStore get (the async Store contract) vs lru-cache awaited the same way',
        ratio: 0.8,
        goal: 0.8,
      }),
      expect.objectContaining({
        label: 'MemoryStore getSync vs the raw synchronous lru-cache call',
        ratio: 0.35,
        goal: 0.8,
      }),
    ]);
    // A section without headlines contributes its table rows (not the anchor's own 1.00x).
    expect(mainRatios(sections).map((r) => r.ratio)).toEqual([0.8, 0.35, 0.75]);
  });

  it('draws one bar per ratio, red when below its goal, on a log axis around 1.0x', () => {
    const svg = renderRatioChart(mainRatios(parseBenchResults(RESULTS)), 'ratios <&>');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('ratios &#60;&#38;&#62;');
    const bars = [
      ...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="18" fill="(#\w+)"/g),
    ];
    expect(bars.map((b) => b[3])).toEqual(['#2f7ed8', '#d9534f', '#2f7ed8']);
    // Bars end at 1.0x: all three are below it, so they share their right edge.
    const rightEdges = bars.map((b) => (Number(b[1]) + Number(b[2])).toFixed(0));
    expect(new Set(rightEdges).size).toBe(1);
    expect(svg).toContain('>0.35x<');
  });

  it('starts a throw-away redis-server for the Redis benchmarks and stops it', async () => {
    const redis = await startEphemeralRedis();
    const port = Number(new URL(redis.url).port);
    const pong = await new Promise<string>((resolve, reject) => {
      const socket = new Socket().connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString());
      });
      socket.once('error', reject);
    });
    expect(pong).toBe('+PONG\r\n');
    await redis.stop();
    const refused = await new Promise<boolean>((resolve) => {
      const socket = new Socket().connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});
