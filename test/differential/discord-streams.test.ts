/**
 * Differential tests of the Discord adapter: seeded streams of 20k+ dispatches (joins and leaves, role
 * churn, edits and deletes, reactions, voice, outages and returning GUILD_CREATEs, ~1% unknown ids) are
 * applied on MemoryStore, RedisStore, a Redis Cluster, SqliteStore and TieredStore; the dumped states
 * must be identical, equal to the independent reference model, and the same whether each dispatch is
 * awaited (`apply()`) or all are handed over (`handle()` + `idle()`). Seeds are printed; a seed that
 * once failed stays in FIXED_SEEDS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordEventManager, type DiscordValueTypes } from '../../src/platforms/discord/index.js';
import { createCache } from '../../src/resources/index.js';
import type { Store } from '../../src/store/types.js';
import { type CacheDump, dumpCache } from '../support/cache-dump.js';
import { type GeneratedDispatch, generateDispatchStream } from '../support/discord/dispatch-stream.js';
import { DiscordReferenceModel } from '../support/discord/reference-model.js';
import { STORE_KINDS, type StoreMatrix, startStoreMatrix } from '../support/store-matrix.js';

const CAP = 20;
const EVENTS = 20_000;
// 20261201 and 1379282567 (once random) found users left without expiry after losing their last member
// while a message of theirs was cached: the user-expiry defect of the resource layer (RELIABILITY.md).
// 1392114995 (once random) found a MESSAGE_UPDATE merged in a batch after a create had evicted its message.
const FIXED_SEEDS = [1, 20_261_201, 1_379_282_567, 1_392_114_995];
const RANDOM_SEED = Math.floor(Math.random() * 2 ** 31);

async function run(
  store: Store | undefined,
  stream: readonly GeneratedDispatch[],
  ordered: boolean,
): Promise<CacheDump> {
  const cache = createCache<DiscordValueTypes>({
    ...(store === undefined ? {} : { store }),
    limits: { messages: { maxPerChannel: CAP } },
  });
  const events = new DiscordEventManager(cache, { bufferTimeout: 600_000 });
  const errors: Error[] = [];
  events.on('error', (error) => errors.push(error));
  if (ordered) {
    for (const dispatch of stream) await events.apply(dispatch);
  } else {
    for (const dispatch of stream) events.handle(dispatch);
  }
  await events.idle();
  expect(errors.map((error) => error.message)).toEqual([]);
  const dump = await dumpCache(cache);
  events.close();
  await cache.close();
  return dump;
}

function modelOf(stream: readonly GeneratedDispatch[]): CacheDump {
  const model = new DiscordReferenceModel({ maxPerChannel: CAP });
  for (const { t, d } of stream) model.apply(t, d);
  return model.dump();
}

/** The dump without expiry classes. */
function withoutTtl(dump: CacheDump): CacheDump {
  const out = { ...dump } as Record<string, unknown>;
  for (const [name, entries] of Object.entries(dump)) {
    if (typeof entries !== 'object' || entries === null || Array.isArray(entries) || name === 'me') continue;
    out[name] = Object.fromEntries(
      Object.entries(entries as Record<string, { ttl: string }>).map(([key, entry]) => [
        key,
        { ...entry, ttl: 'any' },
      ]),
    );
  }
  return out as unknown as CacheDump;
}

/** The first resource and key where two dumps differ, for a readable failure. */
function firstDifference(a: CacheDump, b: CacheDump): string | undefined {
  for (const name of Object.keys(a) as (keyof CacheDump)[]) {
    const left = JSON.stringify(a[name]);
    const right = JSON.stringify(b[name]);
    if (left === right) continue;
    const x = a[name] as Record<string, unknown>;
    const y = b[name] as Record<string, unknown>;
    if (typeof x !== 'object' || x === null || Array.isArray(x))
      return `${name}: ${left.slice(0, 300)} vs ${right.slice(0, 300)}`;
    for (const key of new Set([...Object.keys(x), ...Object.keys(y ?? {})])) {
      if (JSON.stringify(x[key]) !== JSON.stringify(y?.[key]))
        return `${name}[${key}]: ${JSON.stringify(x[key])} vs ${JSON.stringify(y?.[key])}`;
    }
  }
  return undefined;
}

describe('Discord dispatch streams: every store, both feeding modes, the reference model', () => {
  let matrix: StoreMatrix;
  beforeAll(async () => {
    matrix = await startStoreMatrix();
  }, 120_000);
  afterAll(async () => {
    await matrix?.stop();
  });

  for (const seed of [...FIXED_SEEDS, RANDOM_SEED]) {
    it(`seed ${seed}: ordered and pipelined on memory equal the reference model`, async () => {
      console.log(`discord stream seed ${seed}`);
      const stream = generateDispatchStream({ seed, events: EVENTS });
      expect(stream.length).toBeGreaterThanOrEqual(EVENTS);
      const model = modelOf(stream);
      const pipelined = await run(undefined, stream, false);
      const ordered = await run(undefined, stream, true);
      expect(firstDifference(ordered, pipelined), `seed ${seed}: ordered vs pipelined`).toBeUndefined();
      // Values and links first, so that an expiry defect does not hide a value defect.
      expect(
        firstDifference(withoutTtl(pipelined), withoutTtl(model)),
        `seed ${seed}: values vs model`,
      ).toBeUndefined();
      expect(firstDifference(pipelined, model), `seed ${seed}: pipelined vs model`).toBeUndefined();
      expect(pipelined).toEqual(model);
      // The streams exercise what they claim to.
      expect(Object.keys(model.members).length).toBeGreaterThan(100);
      expect(Object.keys(model.messages).length).toBeGreaterThan(100);
      expect(Object.keys(model.voiceStates).length).toBeGreaterThan(0);
    }, 300_000);
  }

  it(`seed ${FIXED_SEEDS[0]}: every store gives the same dump, pipelined, and Redis ordered too`, async () => {
    const seed = FIXED_SEEDS[0] as number;
    console.log(`discord stream seed ${seed} on ${STORE_KINDS.join(', ')}`);
    const stream = generateDispatchStream({ seed, events: EVENTS });
    const model = modelOf(stream);
    const memory = await run(await matrix.create('memory'), stream, false);
    for (const kind of STORE_KINDS.filter((k) => k !== 'memory')) {
      const dump = await run(await matrix.create(kind), stream, false);
      expect(firstDifference(dump, memory), `${kind} vs memory`).toBeUndefined();
    }
    const orderedRedis = await run(await matrix.create('redis'), stream, true);
    expect(firstDifference(orderedRedis, memory), 'redis ordered vs memory pipelined').toBeUndefined();
    expect(firstDifference(memory, model), 'memory vs model').toBeUndefined();
  }, 900_000);
});
