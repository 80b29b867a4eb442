/**
 * A local stand-in for the Mezon *server* (never for the client): the real mezon-sdk MezonClient logs in
 * against it and its REST calls land here. It answers the routes the SDK's MezonApi builds
 * (`${scheme}${host}:${port}${path}?query`) with the SDK's own response shapes:
 *   POST /v2/apps/authenticate/token   (Basic token:)  → ApiSession + api_url pointing back here
 *   GET  /v2/clandesc                  → ApiClanDescList
 *   GET  /v2/channeldesc?channel_type  → ApiChannelDescList (DMs at login, a clan's channels)
 *   GET  /v2/channeldesc/{id}          → ApiChannelDescription, 404 when unknown
 *   GET  /v2/roles?clan_id             → ApiRoleListEventResponse
 * and the protobuf WebSocket at /ws: every request envelope (clan_join, ping…) is answered with its
 * `cid`, decoded and encoded with the SDK's own realtime codec.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  ApiChannelDescription,
  ApiClanDesc,
  ApiRole,
  ApiRoleListEventResponse,
  ApiSession,
} from 'mezon-sdk';
import { Envelope } from 'mezon-sdk/dist/cjs/rtapi/realtime.js';
import { WebSocketServer } from 'ws';

export interface FakeMezonData {
  readonly clans: ApiClanDesc[];
  readonly channels: ApiChannelDescription[];
  /** Roles per clan id. */
  readonly roles: Record<string, ApiRole[]>;
}

/** How the next REST answers misbehave (for loader tests): one entry per request, consumed in order. */
export type RestFault =
  /** Answer after `ms` (the SDK aborts after its own timeout). */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Answer with this status and an error body. */
  | { readonly kind: 'status'; readonly status: number }
  /** Drop the connection without answering. */
  | { readonly kind: 'reset' };

export interface FakeMezonServer {
  /** `http://127.0.0.1:port`: the client's host/port/useSSL:false and the session's api_url. */
  readonly url: string;
  readonly host: string;
  readonly port: string;
  /** Every REST request, as `METHOD /path?query`, in arrival order. */
  readonly requests: string[];
  /** Socket envelopes received, by kind (`clan_join`, `ping`…). */
  readonly socketRequests: string[];
  /** REST requests whose path (without query) is `path`. */
  count(method: string, path: string): number;
  /** Sends a server event (an Envelope without cid) to every connected socket, encoded as the real server does. */
  push(event: Partial<Envelope>): void;
  /** Sockets connected now. */
  readonly connections: number;
  /** Closes every socket from the server side (the SDK sees a disconnect and reconnects). */
  dropSockets(): void;
  /** Stop (or resume) answering pings, as a stalled server would. */
  mutePings(muted: boolean): void;
  /** Issue new session tokens from now on and refuse the old ones with 401 (a restarted server). */
  rotateTokens(): void;
  /** Makes the next REST requests to `path` misbehave, one fault per request. */
  fault(path: RegExp, ...faults: RestFault[]): void;
  /** Refuse every authentication (the SDK's login then keeps failing). */
  refuseLogins(refuse: boolean): void;
  close(): Promise<void>;
}

/** A JWT-shaped token: the SDK's Session decodes its payload for `exp`; `generation` makes tokens of a restart differ. */
function fakeJwt(userId: string, generation = 0): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ uid: userId, gen: generation, exp: Math.floor(Date.now() / 1000) + 3600 })}.sig`;
}

export async function startFakeMezonServer(data: FakeMezonData, botId: string): Promise<FakeMezonServer> {
  const requests: string[] = [];
  const socketRequests: string[] = [];
  let url = '';
  let generation = 0;
  let pingsMuted = false;
  let loginsRefused = false;
  const faults: Array<{ path: RegExp; fault: RestFault }> = [];
  /** Tokens issued since the last restart (`rotateTokens`); older ones get 401. */
  const issued = new Set<string>();
  const validToken = (header: string | undefined) =>
    header?.startsWith('Bearer ') === true && issued.has(header.slice('Bearer '.length));

  /** The status and JSON body of one REST request. */
  const answer = (req: IncomingMessage): [number, unknown] => {
    const target = new URL(req.url ?? '/', url);
    requests.push(`${req.method} ${target.pathname}${target.search}`);
    const { pathname, searchParams } = target;
    if (req.method === 'POST' && pathname === '/v2/apps/authenticate/token') {
      // The SDK sends Basic base64("token:"); anything else would be a wrong route or header.
      if (!req.headers.authorization?.startsWith('Basic ')) return [401, { message: 'no auth' }];
      if (loginsRefused) return [503, { message: 'unavailable' }];
      const token = fakeJwt(botId, generation);
      issued.add(token);
      const session: ApiSession & { api_url: string } = {
        token,
        refresh_token: fakeJwt(botId, generation),
        user_id: botId,
        created: false,
        api_url: url,
      };
      return [200, session];
    }
    if (!validToken(req.headers.authorization)) return [401, { message: 'no session' }];
    if (req.method === 'GET' && pathname === '/v2/clandesc') return [200, { clandesc: data.clans }];
    if (req.method === 'GET' && pathname === '/v2/channeldesc') {
      const type = Number(searchParams.get('channel_type'));
      const clanId = searchParams.get('clan_id');
      const channeldesc = data.channels.filter(
        (channel) => channel.type === type && (clanId === null || channel.clan_id === clanId),
      );
      return [200, { channeldesc }];
    }
    const detail = /^\/v2\/channeldesc\/(\d+)$/.exec(pathname);
    if (req.method === 'GET' && detail) {
      const channel = data.channels.find((c) => c.channel_id === detail[1]);
      return channel ? [200, channel] : [404, { code: 5, message: 'channel not found' }];
    }
    if (req.method === 'GET' && pathname === '/v2/roles') {
      const clanId = searchParams.get('clan_id') ?? '';
      const body: ApiRoleListEventResponse = { clan_id: clanId, roles: { roles: data.roles[clanId] ?? [] } };
      return [200, body];
    }
    return [404, { message: `no route ${req.method} ${pathname}` }];
  };

  const route = (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', url).pathname;
    const index = faults.findIndex((entry) => entry.path.test(path));
    const fault = index >= 0 ? faults.splice(index, 1)[0]?.fault : undefined;
    if (fault?.kind === 'reset') {
      requests.push(`${req.method} ${path} (reset)`);
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      requests.push(`${req.method} ${path} (${fault.status})`);
      res.writeHead(fault.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'fault' }));
      return;
    }
    const [status, body] = answer(req);
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (fault?.kind === 'delay') setTimeout(send, fault.ms).unref();
    else send();
  };

  const server = createServer(route);
  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (!req.url?.startsWith('/ws')) {
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', (raw: Buffer) => {
        const request = Envelope.decode(new Uint8Array(raw));
        const kind = Object.keys(request).find((key) => key !== 'cid' && request[key as keyof Envelope]);
        socketRequests.push(kind ?? 'unknown');
        if (!request.cid) return;
        if (request.ping && pingsMuted) return;
        const reply = Envelope.fromPartial({
          cid: request.cid,
          ...(request.ping && { pong: {} }),
          ...(request.clan_join && { clan_join: { clan_id: request.clan_join.clan_id } }),
        });
        ws.send(Envelope.encode(reply).finish());
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;

  return {
    url,
    host: '127.0.0.1',
    port: String(port),
    requests,
    socketRequests,
    count: (method, path) => requests.filter((line) => line.split('?')[0] === `${method} ${path}`).length,
    push: (event) => {
      const bytes = Envelope.encode(Envelope.fromPartial({ cid: '', ...event })).finish();
      for (const client of sockets.clients) client.send(bytes);
    },
    get connections() {
      return sockets.clients.size;
    },
    dropSockets: () => {
      for (const client of sockets.clients) client.close(1001, 'server going away');
    },
    mutePings: (muted) => {
      pingsMuted = muted;
    },
    rotateTokens: () => {
      generation++;
      issued.clear();
    },
    fault: (path, ...list) => {
      for (const fault of list) faults.push({ path, fault });
    },
    refuseLogins: (refuse) => {
      loginsRefused = refuse;
    },
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
