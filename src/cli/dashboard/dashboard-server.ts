import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../usage-error.js';
import { DASHBOARD_PAGE } from './dashboard-page.js';
import type { SnapshotHistory } from './snapshot-history.js';

/** What /api/snapshot answers: the latest snapshot, the history for the charts, and the session. */
export interface DashboardState {
  readonly history: SnapshotHistory;
  readonly info: () => Readonly<Record<string, unknown>>;
}

/**
 * Serves the page and its JSON endpoint on 127.0.0.1 only (the numbers are an operator's, not the
 * network's). No framework: two routes.
 */
export async function startDashboardServer(state: DashboardState, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end();
    } else if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(DASHBOARD_PAGE);
    } else if (path === '/api/snapshot') {
      const body = JSON.stringify({
        ...state.info(),
        snapshot: state.history.latest ?? null,
        history: state.history.points(),
      });
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new UsageError(`dashboard: port ${port} is in use (try --port 0 for a free one)`)
          : error,
      );
    });
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}

export function serverUrl(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}
