import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCocCache } from '../../examples/coc-groups/coc-cache.js';
import { EntryNotFound } from '../../src/index.js';

describe('the coc.py groups example', () => {
  let server: Server;
  let baseUrl: string;
  const requests: string[] = [];

  beforeAll(async () => {
    // A local stand-in for the Clash of Clans API: players exist, '#NOPE' does not.
    server = createServer((req, res) => {
      requests.push(decodeURIComponent(req.url ?? ''));
      if (req.headers.authorization !== 'Bearer t0ken') return void res.writeHead(403).end();
      const match = /^\/players\/(.+)$/.exec(decodeURIComponent(req.url ?? ''));
      if (match && match[1] !== '#NOPE') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ tag: match[1], name: 'Chief', trophies: 5000 }));
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('loads each player once, shares concurrent loads, and remembers unknown tags', async () => {
    const coc = createCocCache({ baseUrl, token: 't0ken' });
    const answers = await Promise.all([
      coc.players.fetch('#PY2'),
      coc.players.fetch('#PY2'),
      coc.players.fetch('#PY2'),
    ]);
    expect(answers[0]).toEqual({ tag: '#PY2', name: 'Chief', trophies: 5000 });
    await coc.players.fetch('#PY2');
    await expect(coc.players.fetch('#NOPE')).rejects.toThrow(EntryNotFound);
    await expect(coc.players.fetch('#NOPE')).rejects.toThrow(EntryNotFound);
    expect(requests.filter((r) => r === '/players/#PY2')).toHaveLength(1);
    expect(requests.filter((r) => r === '/players/#NOPE')).toHaveLength(1);
    await coc.close();
  });

  it('has coc.py limits: 1024 players at most', async () => {
    const coc = createCocCache({ baseUrl, token: 't0ken' });
    for (let i = 0; i < 1030; i++) await coc.players.set(`#P${i}`, { tag: `#P${i}`, name: 'x', trophies: i });
    expect(await coc.players.count()).toBe(1024);
    await coc.close();
  });
});
