/**
 * The REST half of the fake Discord: answers `/api/v10/gateway/bot` and plain GET routes whose JSON
 * bodies a test registers, with Discord's real "Unknown X" 404 bodies for everything else.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Discord's JSON error codes for the entities the loaders ask for. */
const UNKNOWN_CODES: ReadonlyArray<readonly [RegExp, number, string]> = [
  [/^\/guilds\/\d+\/members\/\d+$/, 10007, 'Unknown Member'],
  [/^\/guilds\/\d+\/roles$/, 10004, 'Unknown Guild'],
  [/^\/guilds\/\d+$/, 10004, 'Unknown Guild'],
  [/^\/channels\/\d+\/messages\/\d+$/, 10008, 'Unknown Message'],
  [/^\/channels\/\d+$/, 10003, 'Unknown Channel'],
  [/^\/users\/\d+$/, 10013, 'Unknown User'],
];

export class FakeRest {
  /** JSON bodies by route, relative to `/api/v10` (e.g. `/guilds/1`). */
  readonly routes = new Map<string, unknown>();
  /** Every request path seen, relative to `/api/v10`, in order. */
  readonly requests: string[] = [];
  /** Routes that answer 500 (to test error propagation). */
  readonly failing = new Set<string>();
  /** Answers computed per request (the fake world's guilds), consulted after `routes`. */
  resolve: ((route: string, query: URLSearchParams) => unknown) | undefined;

  constructor(private readonly gatewayUrl: () => string) {}

  handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = /^\/api\/v\d+(\/.*)$/.exec(url.pathname);
    const route = match?.[1] ?? url.pathname;
    this.requests.push(route);
    if (route === '/gateway/bot') {
      this.send(response, 200, {
        url: this.gatewayUrl(),
        shards: 1,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 14_400_000, max_concurrency: 1 },
      });
      return;
    }
    if (this.failing.has(route)) {
      this.send(response, 500, { message: 'Internal Server Error', code: 0 });
      return;
    }
    if (request.method === 'GET' && this.routes.has(route)) {
      this.send(response, 200, this.routes.get(route));
      return;
    }
    const resolved = request.method === 'GET' ? this.resolve?.(route, url.searchParams) : undefined;
    if (resolved !== undefined) {
      this.send(response, 200, resolved);
      return;
    }
    const unknown = UNKNOWN_CODES.find(([pattern]) => pattern.test(route));
    this.send(response, 404, { message: unknown?.[2] ?? '404: Not Found', code: unknown?.[1] ?? 0 });
  }

  private send(response: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    response.end(text);
  }
}
