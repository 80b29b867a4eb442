/**
 * The differential test: seeded streams of Mezon events, delivered through a real MezonClient's emitter
 * to several caches at once. Every cache must dump the same resource state, equal (in the facts each
 * rule decides) to the independent reference model, and verifyCache must find nothing wrong.
 *
 * Two parts keep it within CI time on a loaded two-core machine:
 * - long streams (20k events) on MemoryStore and SqliteStore, for fixed seeds and one drawn per run;
 * - a short stream on all five stores (memory, Redis, Redis Cluster, SQLite, tiered), where the network
 *   stores make every event cost round trips.
 * Seeds are printed; MEZON_STREAM_SEEDS=1,2,3 replays given ones in both parts, MEZON_STREAM_EVENTS sets
 * the length of every stream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachMezon, createMezonCache, type MezonCache } from '../../src/platforms/mezon/index.js';
import { verifyCache } from '../../src/resources/index.js';
import { type CacheDump, dumpCache } from '../support/cache-dump.js';
import { BOT_ID, createMezonTestClient, type MezonTestClient } from '../support/mezon/mezon-test-client.js';
import { MezonReferenceModel, project } from '../support/mezon-reference-model.js';
import { generateMezonStream } from '../support/mezon-stream.js';
import { STORE_KINDS, type StoreKind, type StoreMatrix, startStoreMatrix } from '../support/store-matrix.js';

const LONG_EVENTS = 20_000;
const SHORT_EVENTS = 2_500;
const LOCAL_KINDS: readonly StoreKind[] = ['memory', 'sqlite'];

const drawnSeed = (): number => Math.floor(Math.random() * 2 ** 31);
const replaySeeds = process.env.MEZON_STREAM_SEEDS?.split(',').map(Number);
const eventsOverride =
  process.env.MEZON_STREAM_EVENTS === undefined ? undefined : Number(process.env.MEZON_STREAM_EVENTS);

type Run = readonly [seed: number, events: number];
const runs = (fixed: readonly number[], events: number): Run[] =>
  (replaySeeds ?? [...fixed, drawnSeed()]).map((seed) => [seed, eventsOverride ?? events] as const);

const LONG_RUNS = runs([20_261_201, 7_340_033], LONG_EVENTS);
const SHORT_RUNS = runs([20_261_202], SHORT_EVENTS);

let matrix: StoreMatrix;
let sdk: MezonTestClient;

beforeAll(async () => {
  matrix = await startStoreMatrix({ kinds: STORE_KINDS });
  sdk = createMezonTestClient();
}, 120_000);
afterAll(async () => {
  sdk?.dispose();
  await matrix?.stop();
});

/** Applies one stream to a fresh cache per kind and checks them against each other and the model. */
async function runDifferential(seed: number, events: number, kinds: readonly StoreKind[]): Promise<void> {
  console.log(
    `mezon differential: seed ${seed}, ${events} events on ${kinds.join(',')} (replay: MEZON_STREAM_SEEDS=${seed})`,
  );
  const stream = generateMezonStream({ seed, events, botId: BOT_ID });
  const caches: [StoreKind, MezonCache][] = [];
  for (const kind of kinds) {
    const cache = createMezonCache({
      store: await matrix.create(kind),
      // The run may outlast the default message TTL on a loaded machine; expiry is not under test here.
      limits: { messages: { ttl: '2h' }, users: { ttl: '2h' } },
    });
    await cache.open();
    caches.push([kind, cache]);
  }
  const attachments = caches.map(([, cache]) =>
    attachMezon(cache, sdk.client, { refreshOnReady: false, loaders: false, onError: () => undefined }),
  );
  try {
    const started = Date.now();
    for (const event of stream) sdk.deliverRaw(event.name, event.payload);
    await Promise.all(attachments.map((attachment) => attachment.idle()));
    console.log(
      `mezon differential: seed ${seed} applied on ${kinds.length} stores in ${Date.now() - started} ms`,
    );
    for (const [index, attachment] of attachments.entries()) {
      const kind = kinds[index];
      expect({ kind, failed: attachment.stats.failed }).toEqual({ kind, failed: 0 });
      expect({ kind, malformed: attachment.stats.malformed }).toEqual({ kind, malformed: 0 });
    }
  } finally {
    for (const attachment of attachments) attachment.detach();
  }

  const model = new MezonReferenceModel(BOT_ID);
  for (const event of stream) model.apply(event);
  const expected = model.state();

  const dumps: [StoreKind, CacheDump][] = [];
  for (const [kind, cache] of caches) dumps.push([kind, await dumpCache(cache as never)]);
  const [, reference] = dumps[0] as [StoreKind, CacheDump];
  // The stream exercised what it claims to.
  expect(Object.keys(reference.messages).length).toBeGreaterThan(Math.min(100, events / 100));
  expect(Object.keys(reference.members).length).toBeGreaterThan(50);
  expect(Object.keys(reference.roles).length).toBeGreaterThan(3);
  expect(project(reference)).toEqual(expected);
  for (const [kind, dump] of dumps.slice(1)) expect({ kind, dump }).toEqual({ kind, dump: reference });
  for (const [kind, cache] of caches)
    expect({ kind, violations: await verifyCache(cache) }).toEqual({ kind, violations: [] });
  for (const [, cache] of caches) await cache.close();
}

describe('Mezon differential: long streams on the local stores equal the reference model', () => {
  it.each(LONG_RUNS)(
    'seed %i, %i events',
    (seed, events) => runDifferential(seed, events, LOCAL_KINDS),
    300_000,
  );
});

describe('Mezon differential: a short stream on all five stores agrees across stores and with the model', () => {
  it.each(SHORT_RUNS)(
    'seed %i, %i events',
    (seed, events) => runDifferential(seed, events, STORE_KINDS),
    300_000,
  );
});
