import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { MsgpackCodec } from '../../src/codec/index.js';
import { collect } from '../../src/conformance/index.js';
import { BackendError, InvalidDataFound } from '../../src/errors/index.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';

const dir = mkdtempSync(join(tmpdir(), 'botcache-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshFile = (): string => join(dir, `t${files++}.db`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SqliteStore persistence', () => {
  it('values, expiries, links and link order survive a restart', async () => {
    const path = freshFile();
    const first = new SqliteStore({ path });
    const guild = { by: 'guild', parent: 'g' };
    await first.set('channels', 'c2', { id: 'c2' }, { indexes: [guild] });
    await first.set('channels', 'c1', { id: 'c1' }, { indexes: [guild] });
    await first.set('invites', 'soon', { code: 'soon' }, { ttl: 60_000 });
    const expiresAt = (await first.getEntry('invites', 'soon'))?.expiresAt;
    await first.close();

    const second = new SqliteStore({ path });
    expect(await collect(second.indexEntries('channels', guild))).toEqual([
      ['c2', { id: 'c2' }],
      ['c1', { id: 'c1' }],
    ]);
    expect(await second.getEntry('invites', 'soon')).toEqual({ value: { code: 'soon' }, expiresAt });
    await second.close();
  });

  it('the eviction order continues across a restart', async () => {
    const path = freshFile();
    const first = new SqliteStore({ path });
    for (const key of ['a', 'b', 'c']) await first.set('players', key, key);
    await first.close();
    const second = new SqliteStore({ path, namespaces: { players: { max: 3 } } });
    await second.set('players', 'd', 'd');
    expect(await second.getMany('players', ['a', 'b', 'c', 'd'])).toEqual([undefined, 'b', 'c', 'd']);
    await second.close();
  });

  it('two stores on one file see each other and never a half-applied batch', async () => {
    const path = freshFile();
    const writer = new SqliteStore({ path });
    const reader = new SqliteStore({ path });
    const link = { by: 'guild', parent: 'g' };
    await writer.batch([
      { type: 'set', ns: 'members', key: '{g}:a', value: 1, options: { indexes: [link] } },
      { type: 'set', ns: 'members', key: '{g}:b', value: 2, options: { indexes: [link] } },
    ]);
    expect(await reader.indexKeys('members', link)[Symbol.asyncIterator]().next()).toEqual({
      value: '{g}:a',
      done: false,
    });
    expect(await reader.getMany('members', ['{g}:a', '{g}:b'])).toEqual([1, 2]);
    await writer.close();
    await reader.close();
  });

  it('stores values with another codec, as BLOBs', async () => {
    const path = freshFile();
    const store = new SqliteStore({ path, codec: new MsgpackCodec() });
    await store.set('users', 'u', { id: '80351110224678912', tags: ['a'] });
    expect(await store.get('users', 'u')).toEqual({ id: '80351110224678912', tags: ['a'] });
    await store.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare("SELECT typeof(value) FROM botcache_entries WHERE key = 'u'").pluck().get()).toBe(
      'blob',
    );
    raw.close();
  });

  it('the stored form is plain JSON text, readable without botcache', async () => {
    const path = freshFile();
    const store = new SqliteStore({ path });
    await store.set('users', 'u', { name: 'Nelly' });
    await store.close();
    const raw = new Database(path, { readonly: true });
    const row = raw.prepare("SELECT ns, key, value, expires_at FROM botcache_entries WHERE key = 'u'").get();
    expect(row).toEqual({ ns: 'users', key: 'u', value: '{"v":1,"d":{"name":"Nelly"}}', expires_at: null });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });
});

describe('SqliteStore expiry sweep', () => {
  it('sweep deletes expired rows, with their links, and counts them', async () => {
    const store = new SqliteStore();
    const link = { by: 'channel', parent: 'c' };
    await store.setMany(
      'messages',
      Array.from({ length: 1200 }, (_, i) => [`m${i}`, i, { ttl: 30, indexes: [link] }] as const),
    );
    await store.set('messages', 'kept', 1, { indexes: [link] });
    await sleep(60);
    expect(await store.sweep()).toBe(1200);
    expect(store.stats('messages').expirations).toBe(1200);
    expect(await store.count('messages')).toBe(1);
    expect(await collect(store.indexKeys('messages', link))).toEqual(['kept']);
    expect(await store.sweep()).toBe(0);
    await store.close();
  });

  it('the periodic sweep runs on its own', async () => {
    const path = freshFile();
    const store = new SqliteStore({ path, sweepInterval: 20 });
    await store.set('messages', 'm', 1, { ttl: 10 });
    await sleep(120);
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare('SELECT count(*) FROM botcache_entries').pluck().get()).toBe(0);
    raw.close();
    expect(store.stats('messages').expirations).toBe(1);
    await store.close();
  });
});

describe('SqliteStore failures', () => {
  it('a file that cannot be opened is a BackendError with the driver error as cause', async () => {
    // A missing directory is created; a directory that is a file cannot be.
    writeFileSync(join(dir, 'not-a-dir'), 'a file');
    const store = new SqliteStore({ path: join(dir, 'not-a-dir', 'x.db') });
    const errors: Error[] = [];
    store.on('error', (error) => errors.push(error));
    const failure = await store.get('users', 'u').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BackendError);
    expect((failure as BackendError).cause).toBeInstanceOf(Error);
    expect((failure as BackendError).message).toMatch(/not-a-dir/);
    expect(errors).toHaveLength(1);
    await store.close();
  });

  it('a database written by another schema version is refused', async () => {
    const path = freshFile();
    const store = new SqliteStore({ path });
    await store.open();
    await store.close();
    const raw = new Database(path);
    raw.prepare("UPDATE botcache_meta SET value = 99 WHERE name = 'schema'").run();
    raw.close();
    await expect(new SqliteStore({ path }).open()).rejects.toThrow(/schema version 99/);
  });

  it('data that does not decode is InvalidDataFound on read and skipped, reported, on iteration', async () => {
    const path = freshFile();
    const store = new SqliteStore({ path });
    await store.setMany('users', [
      ['good', 1],
      ['bad', 2],
    ]);
    const raw = new Database(path);
    raw.prepare("UPDATE botcache_entries SET value = 'not json' WHERE key = 'bad'").run();
    raw.close();
    await expect(store.get('users', 'bad')).rejects.toThrow(InvalidDataFound);
    const reported: Error[] = [];
    store.on('invalidData', (error) => reported.push(error));
    expect(await collect(store.entries('users'))).toEqual([['good', 1]]);
    expect(reported).toHaveLength(1);
    expect((reported[0] as InvalidDataFound).key).toBe('bad');
    await store.close();
  });

  it('bad options are refused, naming the option', () => {
    expect(() => new SqliteStore({ sweepInterval: 1 })).toThrow(/sweepInterval/);
    expect(() => new SqliteStore({ synchronous: 'off' as 'full' })).toThrow(/synchronous/);
    expect(() => new SqliteStore({ path: '' })).toThrow(/path/);
    expect(() => new SqliteStore({ busyTimeout: -1 })).toThrow(/busyTimeout/);
  });
});
