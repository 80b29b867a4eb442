/**
 * A local stand-in for the Mezon server for the framework-integration tests: the same REST routes and
 * protobuf socket as test/support/mezon/fake-mezon-server.ts, plus what those tests need on top:
 * - `push(event)` sends a server-initiated envelope (e.g. `channel_message`) over the real socket, so
 *   events reach the bot through the SDK's own decoder and socket manager;
 * - every request envelope is kept decoded (`envelopes`), so a test can read what `channel.send` and
 *   `message.reply` wrote;
 * - `POST /v2/channeldesc` (the SDK opening a DM channel) is answered and counted.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiChannelDescription, ApiClanDesc, ApiSession } from 'mezon-sdk';
import { Envelope } from 'mezon-sdk/dist/cjs/rtapi/realtime.js';
import { type WebSocket, WebSocketServer } from 'ws';

export interface IntegrationMezonData {
  readonly clans: ApiClanDesc[];
  readonly channels: ApiChannelDescription[];
}

export interface IntegrationMezonServer {
  readonly host: string;
  readonly port: string;
  /** `METHOD /path?query` of every REST request. */
  readonly requests: string[];
  /** Every request envelope the bot sent, decoded. */
  readonly envelopes: Envelope[];
  /** REST requests whose path (without query) is `path`. */
  count(method: string, path: string): number;
  /** Sends a server event to every connected socket (no `cid`: an inbound event). */
  push(event: Partial<Envelope>): void;
  /** Resolves once a socket is connected. */
  connected(): Promise<void>;
  close(): Promise<void>;
}

function fakeJwt(userId: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ uid: userId, exp: Math.floor(Date.now() / 1000) + 3600 })}.sig`;
}

export async function startIntegrationMezonServer(
  data: IntegrationMezonData,
  botId: string,
): Promise<IntegrationMezonServer> {
  const requests: string[] = [];
  const envelopes: Envelope[] = [];
  const open = new Set<WebSocket>();
  let onConnect: (() => void) | undefined;
  let url = '';
  let dmSeq = 0;

  const answer = (req: IncomingMessage): [number, unknown] => {
    const target = new URL(req.url ?? '/', url);
    requests.push(`${req.method} ${target.pathname}${target.search}`);
    const { pathname, searchParams } = target;
    if (req.method === 'POST' && pathname === '/v2/apps/authenticate/token') {
      const session: ApiSession & { api_url: string } = {
        token: fakeJwt(botId),
        refresh_token: fakeJwt(botId),
        user_id: botId,
        created: false,
        api_url: url,
      };
      return [200, session];
    }
    if (!req.headers.authorization?.startsWith('Bearer ')) return [401, { message: 'no session' }];
    if (req.method === 'GET' && pathname === '/v2/clandesc') return [200, { clandesc: data.clans }];
    if (req.method === 'GET' && pathname === '/v2/channeldesc') {
      const type = Number(searchParams.get('channel_type'));
      const clanId = searchParams.get('clan_id');
      const channeldesc = data.channels.filter(
        (channel) => channel.type === type && (clanId === null || channel.clan_id === clanId),
      );
      return [200, { channeldesc }];
    }
    if (req.method === 'POST' && pathname === '/v2/channeldesc') {
      dmSeq += 1;
      return [200, { channel_id: `19000000000000${String(dmSeq).padStart(5, '0')}`, type: 3, clan_id: '0' }];
    }
    const detail = /^\/v2\/channeldesc\/(\d+)$/.exec(pathname);
    if (req.method === 'GET' && detail) {
      const channel = data.channels.find((c) => c.channel_id === detail[1]);
      return channel ? [200, channel] : [404, { code: 5, message: 'channel not found' }];
    }
    return [404, { message: `no route ${req.method} ${pathname}` }];
  };

  const route = (req: IncomingMessage, res: ServerResponse): void => {
    req.resume();
    req.on('end', () => {
      const [status, body] = answer(req);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  };

  const server = createServer(route);
  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (!req.url?.startsWith('/ws')) {
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => {
      open.add(ws);
      ws.on('close', () => open.delete(ws));
      onConnect?.();
      ws.on('message', (raw: Buffer) => {
        const request = Envelope.decode(new Uint8Array(raw));
        envelopes.push(request);
        if (!request.cid) return;
        const send = request.channel_message_send;
        const reply = Envelope.fromPartial({
          cid: request.cid,
          ...(request.ping && { pong: {} }),
          ...(request.clan_join && { clan_join: { clan_id: request.clan_join.clan_id } }),
          ...(send && {
            channel_message_ack: {
              channel_id: send.channel_id,
              message_id: `1900000000${String(envelopes.length).padStart(9, '0')}`,
              mode: send.mode,
            },
          }),
        });
        ws.send(Envelope.encode(reply).finish());
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;

  return {
    host: '127.0.0.1',
    port: String(port),
    requests,
    envelopes,
    count: (method, path) => requests.filter((line) => line.split('?')[0] === `${method} ${path}`).length,
    push: (event) => {
      const bytes = Envelope.encode(Envelope.fromPartial(event)).finish();
      for (const ws of open) ws.send(bytes);
    },
    connected: () =>
      open.size > 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            onConnect = resolve;
          }),
    close: async () => {
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
