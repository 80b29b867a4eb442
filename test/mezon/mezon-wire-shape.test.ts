/**
 * The same Mezon stream two ways: through the client's emitter (the payload shapes tests usually send),
 * and as protobuf bytes the local Mezon server pushes to a logged-in mezon-sdk client, so they pass its
 * socket adapter, its decoder (Timestamps become Dates, absent fields get protobuf defaults), its
 * channel-message formatter and its forwarder to `client.emit`. Both must give the same cache state,
 * equal to the reference model.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachMezon, createMezonCache } from '../../src/platforms/mezon/index.js';
import { verifyCache } from '../../src/resources/index.js';
import { dumpCache } from '../support/cache-dump.js';
import { type FakeMezonServer, startFakeMezonServer } from '../support/mezon/fake-mezon-server.js';
import { BOT_ID, createMezonTestClient, type MezonTestClient } from '../support/mezon/mezon-test-client.js';
import { MezonReferenceModel, project } from '../support/mezon-reference-model.js';
import { generateMezonStream, type MezonStreamEvent } from '../support/mezon-stream.js';
import { toEnvelope } from '../support/mezon-wire.js';

const SEED = Number(process.env.MEZON_WIRE_SEED ?? 20_261_202);
const EVENTS = 3_000;

let server: FakeMezonServer;
let wired: MezonTestClient;
let plain: MezonTestClient;

beforeAll(async () => {
  server = await startFakeMezonServer({ clans: [], channels: [], roles: {} }, BOT_ID);
  wired = createMezonTestClient(BOT_ID, server);
  await wired.client.login();
  plain = createMezonTestClient();
}, 60_000);
afterAll(async () => {
  wired?.dispose();
  plain?.dispose();
  await server?.close();
});

async function waitFor(condition: () => boolean, what: string, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('Mezon wire shape', () => {
  it('protobuf bytes through the SDK and plain emits give the same state, equal to the model', async () => {
    console.log(`mezon wire shape: seed ${SEED} (replay: MEZON_WIRE_SEED=${SEED})`);
    const stream: MezonStreamEvent[] = generateMezonStream({ seed: SEED, events: EVENTS, botId: BOT_ID });
    const limits = { messages: { ttl: '2h' }, users: { ttl: '2h' } } as const;
    const viaWire = createMezonCache({ limits });
    const viaEmit = createMezonCache({ limits });
    const wireAttachment = attachMezon(viaWire, wired.client, { refreshOnReady: false, loaders: false });
    const emitAttachment = attachMezon(viaEmit, plain.client, { refreshOnReady: false, loaders: false });

    for (const event of stream) plain.deliverRaw(event.name, event.payload);
    for (const event of stream) server.push(toEnvelope(event));
    await waitFor(() => wireAttachment.stats.received >= stream.length, 'the pushed events');
    await Promise.all([wireAttachment.idle(), emitAttachment.idle()]);
    expect(wireAttachment.stats).toMatchObject({ received: stream.length, malformed: 0, failed: 0 });
    expect(emitAttachment.stats).toMatchObject({ received: stream.length, malformed: 0, failed: 0 });

    const wire = await dumpCache(viaWire as never);
    const emit = await dumpCache(viaEmit as never);
    // The decoder's Dates were stored as the same ISO text as the JSON strings.
    const edited = Object.values(wire.messages).find(
      (entry) => (entry.value as { update_time?: unknown }).update_time,
    );
    expect(typeof (edited?.value as { update_time?: unknown } | undefined)?.update_time).toBe('string');
    expect(wire).toEqual(emit);
    const model = new MezonReferenceModel(BOT_ID);
    for (const event of stream) model.apply(event);
    expect(project(wire)).toEqual(model.state());
    expect(await verifyCache(viaWire)).toEqual([]);
    wireAttachment.detach();
    emitAttachment.detach();
    await viaWire.close();
    await viaEmit.close();
  }, 300_000);
});
