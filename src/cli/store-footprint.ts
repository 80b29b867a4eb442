import { statSync } from 'node:fs';
import type { StoreChoice } from './store-option.js';

/** How much memory (or disk) a store's data takes, and what was measured. */
export interface Footprint {
  readonly bytes: number | undefined;
  readonly what: string;
}

/**
 * Measures the store's footprint: the heap growth of this process for the in-memory store, the server's
 * `used_memory` for Redis (read with INFO, nothing written), the database files for SQLite.
 */
export async function measureFootprint(choice: StoreChoice, heapBefore: number): Promise<Footprint> {
  if (choice.kind === 'memory') {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    return {
      bytes: Math.max(0, process.memoryUsage().heapUsed - heapBefore),
      what: 'JS heap growth of this process',
    };
  }
  if (choice.kind === 'sqlite') {
    let bytes = 0;
    for (const suffix of ['', '-wal', '-shm']) {
      try {
        bytes += statSync(`${choice.path}${suffix}`).size;
      } catch {
        // The WAL files exist only while the database is in WAL mode and open.
      }
    }
    return { bytes, what: 'SQLite database files on disk' };
  }
  const { createClient } = await import('@redis/client');
  const client = createClient({
    url: choice.url,
    socket: { connectTimeout: 2000, reconnectStrategy: false },
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const info = String(await client.sendCommand(['INFO', 'memory']));
    const used = /used_memory:(\d+)/.exec(info)?.[1];
    return { bytes: used === undefined ? undefined : Number(used), what: 'Redis used_memory (whole server)' };
  } catch {
    return { bytes: undefined, what: 'Redis used_memory (unavailable)' };
  } finally {
    if (client.isOpen) await client.close().catch(() => undefined);
  }
}
