/**
 * A local fake Discord on one free port: REST under `/api/v10` and the gateway WebSocket on the
 * same port. Point `new REST({ api: fake.apiUrl })` at it and a real WebSocketManager or discord.js
 * Client connects, identifies and receives the scenario's dispatches.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGateway, type GatewayScenario } from './fake-gateway.js';
import { FakeRest } from './fake-rest.js';
import { FakeWorld } from './fake-world.js';

export interface FakeDiscord {
  /** For `new REST({ api })`: `http://127.0.0.1:PORT/api`. */
  readonly apiUrl: string;
  /** `ws://127.0.0.1:PORT`, the URL `/gateway/bot` names. */
  readonly gatewayUrl: string;
  readonly port: number;
  readonly gateway: FakeGateway;
  readonly rest: FakeRest;
  /** The guilds' true state, served over REST. */
  readonly world: FakeWorld;
  /** Applies a change to the world and dispatches it to every session. */
  send(t: string, d: Record<string, unknown>): void;
  stop(): Promise<void>;
}

export interface StartFakeDiscordOptions {
  /** Heartbeat interval announced in HELLO, ms. */
  readonly heartbeatInterval?: number;
}

export async function startFakeDiscord(
  scenario: GatewayScenario,
  options: StartFakeDiscordOptions = {},
): Promise<FakeDiscord> {
  let gatewayUrl = '';
  const rest = new FakeRest(() => gatewayUrl);
  const gateway = new FakeGateway(scenario, () => gatewayUrl, options.heartbeatInterval);
  const world = new FakeWorld(scenario.guilds);
  rest.resolve = (route, query) => world.rest(route, query);
  const server = createServer((request, response) => rest.handle(request, response));
  gateway.attach(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  gatewayUrl = `ws://127.0.0.1:${port}`;
  let stopped = false;
  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    gatewayUrl,
    port,
    gateway,
    rest,
    world,
    send(t, d) {
      world.apply(t, d);
      gateway.dispatch(t, d);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
