/** botcache/metrics over a real mezon-sdk client: events by outcome, queue depth and ingest lag. */
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCacheMetrics } from '../../src/metrics/index.js';
import { attachMezon, createMezonCache } from '../../src/platforms/mezon/index.js';
import { createMezonTestClient, type MezonTestClient } from '../support/mezon/mezon-test-client.js';
import { channelMessage } from '../support/mezon/payloads.js';

let sdk: MezonTestClient;
beforeAll(() => {
  sdk = createMezonTestClient();
});
afterAll(() => sdk.dispose());

describe('registerCacheMetrics with attachMezon', () => {
  it('counts the events and observes their lag from receipt to application', async () => {
    const cache = createMezonCache();
    const attachment = attachMezon(cache, sdk.client, { onError: () => {} });
    const registry = new Registry();
    const metrics = registerCacheMetrics(cache, { registry });
    metrics.observeMezon(attachment);
    for (let i = 0; i < 5; i++)
      sdk.deliver('channel_message', channelMessage({ id: `18400000000000007${i}0` }));
    await attachment.idle();
    const text = await registry.metrics();
    expect(text).toMatch(/botcache_ingest_events_total\{adapter="mezon",outcome="received"\} 5/);
    expect(text).toMatch(/botcache_ingest_events_total\{adapter="mezon",outcome="applied"\} 5/);
    expect(text).toMatch(/botcache_ingest_queue_depth\{adapter="mezon"\} 0/);
    expect(text).toMatch(/botcache_ingest_lag_seconds_count\{adapter="mezon"\} 5/);
    metrics.unregister();
    sdk.deliver('channel_message', channelMessage({ id: '1840000000000000790' }));
    await attachment.idle();
    expect(await registry.metrics()).not.toContain('botcache_');
    attachment.detach();
    await cache.close();
  });
});
