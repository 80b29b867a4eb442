import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { collect } from '../../src/conformance/index.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';

const writer = fileURLToPath(new URL('./fixtures/sqlite-crash-writer.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'botcache-sqlite-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the writer and resolves with it and a getter for the last count it acknowledged. */
function startWriter(path: string): Promise<{ child: ChildProcess; lastAck: () => number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', writer, path], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let lastAck = 0;
  let buffered = '';
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the writer exited early (code ${String(code)})`)));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') resolve({ child, lastAck: () => lastAck });
        else if (line.startsWith('ack ')) lastAck = Number(line.slice(4));
      }
    });
  });
}

async function killMidWrite(child: ChildProcess, lastAck: () => number, after: number): Promise<number> {
  while (lastAck() < after) await new Promise((resolve) => setTimeout(resolve, 5));
  // The writer is always inside or between transactions; a random extra delay lands anywhere in one.
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 15));
  child.removeAllListeners('exit'); // the early-exit guard of startWriter, not wanted now
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  return lastAck();
}

describe('SqliteStore crash safety', () => {
  it('a writer killed mid-write loses nothing committed and leaves nothing half-written', async () => {
    const path = join(dir, 'crash.db');
    for (const round of [1, 2, 3]) {
      const { child, lastAck } = await startWriter(path);
      // Later rounds append to the same file; each must find the previous rounds' data intact.
      const acknowledged = await killMidWrite(child, lastAck, 200 * round);
      expect(acknowledged).toBeGreaterThanOrEqual(200 * round);

      const raw = new Database(path);
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      raw.close();

      const store = new SqliteStore({ path });
      const entities = await collect(store.keys('entities'));
      const pairs = await collect(store.keys('pairs'));
      const linked = await collect(store.indexKeys('entities', { by: 'owner', parent: 'crash' }));
      // Every batch is all or nothing: entity, pair and link agree, in whole batches of 25.
      expect(pairs).toEqual(entities);
      expect(new Set(linked)).toEqual(new Set(entities));
      expect(entities.length % 25).toBe(0);
      expect(entities.length).toBeGreaterThanOrEqual(acknowledged);
      // Nothing beyond one batch in flight at the kill can be there.
      expect(entities.length).toBeLessThanOrEqual(acknowledged + 25);
      const last = entities[entities.length - 1]!;
      expect(await store.get('entities', last)).toMatchObject({ i: entities.length - 1 });
      expect(await store.count('entities')).toBe(entities.length);
      await store.close();
      // The next round's writer starts where this file ends.
      if (round < 3) {
        const reopened = new SqliteStore({ path });
        await reopened.clear('entities');
        await reopened.clear('pairs');
        await reopened.close();
      }
    }
  }, 45_000);
});
