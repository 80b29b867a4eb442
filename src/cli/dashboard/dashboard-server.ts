import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../usage-error.js';
import { chartAssets } from './dashboard-assets.js';
import { DASHBOARD_PAGE } from './dashboard-page.js';
import type { DashboardView } from './dashboard-view.js';

/**
 * Serves the page, its chart library and its JSON endpoint on 127.0.0.1 only (the numbers are an
 * operator's, not the network's). No framework: four routes.
 */
export async function startDashboardServer(
  view: () => DashboardView | undefined,
  port: number,
): Promise<Server> {
  const assets = chartAssets();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end();
    } else if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(DASHBOARD_PAGE);
    } else if (path === '/assets/uplot.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(assets.script);
    } else if (path === '/assets/uplot.css') {
      res.writeHead(200, { 'content-type': 'text/css; charset=utf-8' }).end(assets.style);
    } else if (path === '/api/view') {
      const body = JSON.stringify(view() ?? null);
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
