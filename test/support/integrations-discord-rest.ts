/**
 * A REST front for the fake Discord that also answers the writes a bot makes (the fake's REST answers
 * GETs only): `POST /channels/:id/messages` returns the created message, `POST /interactions/:id/:token/callback`
 * returns 204. Everything else goes to the fake's own REST handler, so `/gateway/bot` still names the
 * fake gateway. Point `new Client({ rest: { api: front.apiUrl } })` at it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIUser } from 'discord-api-types/v10';
import type { FakeDiscord } from './discord/fake-discord.js';

export interface DiscordRestFront {
  readonly apiUrl: string;
  /** Every write, in order: `POST /channels/1/messages` with its JSON body. */
  readonly writes: Array<{ readonly route: string; readonly body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startDiscordRestFront(fake: FakeDiscord, bot: APIUser): Promise<DiscordRestFront> {
  const writes: DiscordRestFront['writes'] = [];
  let created = 0;
  const server = createServer((request, response) => {
    if (request.method !== 'POST') {
      fake.rest.handle(request, response);
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const route = (request.url ?? '').replace(/^\/api\/v\d+/, '').split('?')[0] ?? '';
      const text = Buffer.concat(chunks).toString('utf8');
      const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
      writes.push({ route, body });
      const channel = /^\/channels\/(\d+)\/messages$/.exec(route);
      if (channel) {
        created += 1;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            id: `19${String(created).padStart(16, '0')}`,
            channel_id: channel[1],
            author: bot,
            content: body.content ?? '',
            timestamp: new Date().toISOString(),
            edited_timestamp: null,
            tts: false,
            mention_everyone: false,
            mentions: [],
            mention_roles: [],
            attachments: [],
            embeds: [],
            pinned: false,
            type: body.message_reference ? 19 : 0,
          }),
        );
        return;
      }
      if (/^\/interactions\/\d+\/[^/]+\/callback$/.test(route)) {
        response.writeHead(204);
        response.end();
        return;
      }
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: '404: Not Found', code: 0 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    writes,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
