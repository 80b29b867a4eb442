/**
 * A local stand-in for the Clash of Clans API server: `/v1/clans/{tag}`, `/v1/clans/{tag}/currentwar`,
 * `/v1/players/{tag}` and `/v1/locations`, each with a `Cache-Control: max-age` as the real API sends
 * (clashofclans.js caches a response only for that long). Counts requests per path.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeClashApi {
  readonly url: string;
  /** Decoded request paths without `/v1`, in order. */
  readonly requests: string[];
  count(path: string): number;
  close(): Promise<void>;
}

export async function startFakeClashApi(maxAgeSeconds = 600): Promise<FakeClashApi> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const path = decodeURIComponent((request.url ?? '').replace(/^\/v1/, '').split('?')[0] ?? '');
    requests.push(path);
    const send = (status: number, body: unknown) => {
      response.writeHead(status, {
        'content-type': 'application/json',
        ...(status === 200 && { 'cache-control': `public max-age=${maxAgeSeconds}` }),
      });
      response.end(JSON.stringify(body));
    };
    if (request.headers.authorization !== 'Bearer test-key') return send(403, { reason: 'accessDenied' });
    let match = /^\/clans\/(#[0-9A-Z]+)\/currentwar$/.exec(path);
    if (match) return send(200, { state: 'inWar', clan: { tag: match[1] } });
    match = /^\/clans\/(#[0-9A-Z]+)$/.exec(path);
    if (match) return send(200, { tag: match[1], name: `Clan ${match[1]}`, members: 10 });
    match = /^\/players\/(#[0-9A-Z]+)$/.exec(path);
    if (match) return send(200, { tag: match[1], name: `Player ${match[1]}`, trophies: 5000 });
    if (path === '/locations') return send(200, { items: [{ id: 32000000, name: 'Europe' }] });
    return send(404, { reason: 'notFound' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    count: (path) => requests.filter((p) => p === path).length,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
