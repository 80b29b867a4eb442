/**
 * The local fake Discord (test/support/discord) behind TLS, for Seyfert's own gateway client.
 * Seyfert 5 opens the gateway with `https.request({ hostname, path })` (lib/websocket/discord/socket/
 * custom.js): always TLS, no port of its own (the agent's default, 443), so a plain `ws://` fake is
 * unreachable. This serves the same fake gateway over TLS with a throwaway self-signed certificate
 * for 127.0.0.1 and points this test process's `https.globalAgent` at it (default port and trusted
 * CA); REST (Seyfert calls it with fetch, which takes any port) stays plain HTTP on a second port.
 * Every other part of Seyfert runs unchanged.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer, globalAgent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeGateway, type GatewayScenario } from '../support/discord/fake-gateway.js';
import { FakeRest } from '../support/discord/fake-rest.js';
import { FakeWorld } from '../support/discord/fake-world.js';

export interface TlsFakeDiscord {
  /** For Seyfert's `new ApiHandler({ domain })`: `http://127.0.0.1:PORT`. */
  readonly domain: string;
  /** The gateway's TLS port. */
  readonly gatewayPort: number;
  /** The gateway's self-signed certificate (PEM), for {@link trustFakeGateway} in another process. */
  readonly cert: string;
  readonly gateway: FakeGateway;
  readonly rest: FakeRest;
  readonly world: FakeWorld;
  /** Applies a change to the world and dispatches it to every session. */
  send(t: string, d: Record<string, unknown>): void;
  stop(): Promise<void>;
}

/** A one-day self-signed certificate for IP 127.0.0.1, made by the openssl CLI. */
function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'botcache-tls-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'pipe' },
    );
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Points this process's `https.globalAgent` at the fake gateway: connections without a port go to
 * `port` and trust `cert`. Returns the function that puts the agent back.
 */
export function trustFakeGateway(port: number, cert: string): () => void {
  const agent = globalAgent as typeof globalAgent & { defaultPort: number };
  const previous = { port: agent.defaultPort, ca: agent.options.ca };
  agent.defaultPort = port;
  agent.options.ca = cert;
  return () => {
    agent.defaultPort = previous.port;
    agent.options.ca = previous.ca;
  };
}

async function listen(server: Server | ReturnType<typeof createHttpsServer>): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

export async function startTlsFakeDiscord(scenario: GatewayScenario): Promise<TlsFakeDiscord> {
  const tls = selfSignedCertificate();
  let gatewayUrl = '';
  const rest = new FakeRest(() => gatewayUrl);
  const gateway = new FakeGateway(scenario, () => gatewayUrl);
  const world = new FakeWorld(scenario.guilds);
  rest.resolve = (route, query) => world.rest(route, query);
  const restServer = createHttpServer((request, response) => rest.handle(request, response));
  const gatewayServer = createHttpsServer(tls);
  gateway.attach(gatewayServer as unknown as Server); // the same 'upgrade' event as an http.Server
  const restPort = await listen(restServer);
  const port = await listen(gatewayServer);
  gatewayUrl = `wss://127.0.0.1:${port}`;
  const untrust = trustFakeGateway(port, tls.cert);
  let stopped = false;
  return {
    domain: `http://127.0.0.1:${restPort}`,
    gatewayPort: port,
    cert: tls.cert,
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
      untrust();
      await gateway.close();
      for (const server of [restServer, gatewayServer]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}
