/**
 * What the preset does with mezon-sdk's message file (`./mezon-cache/mezon-messages-cache.db`). The
 * SDK writes every channel message into it with INSERT OR REPLACE, synchronously on the event loop,
 * and never deletes a row (mezon-sdk 2.8 `sqlite/MessageDatabase.js`); its only reader is
 * `channel.messages.fetch`, which the preset answers from botcache instead.
 */
import type { SdkInternals, SdkMessageDatabase } from './mezon-preset-sdk.js';

/**
 * - `replace` (default): the SDK stops writing the file (its handle is closed); botcache's messages
 *   resource serves `channel.messages.fetch`. The file is left on disk as it was.
 * - `prune`: the SDK keeps writing, and every `pruneEvery` the file keeps only the newest
 *   `keepPerChannel` rows of each channel (freed pages are reused, so the file stops growing).
 * - `keep`: the SDK's behaviour, untouched.
 */
export type SdkMessageFileMode = 'replace' | 'prune' | 'keep';

export interface MessageFileOptions {
  readonly mode: SdkMessageFileMode;
  readonly keepPerChannel: number;
  readonly pruneEveryMs: number;
}

export interface MessageFileControl {
  /** Runs one prune now (mode `prune`); returns the rows deleted. */
  prune(): number;
  /** Stops the prune timer. The SDK's handle stays as the mode left it. */
  stop(): void;
}

/** Stands in for the SDK's MessageDatabase once the file is replaced: writes go nowhere, reads miss. */
const REPLACED_DATABASE: SdkMessageDatabase = {
  saveMessage: () => {},
  getMessageById: () => null,
};

const PRUNE_SQL = `DELETE FROM messages_v2 WHERE rowid IN (
  SELECT rowid FROM (
    SELECT rowid, ROW_NUMBER() OVER (PARTITION BY channel_id ORDER BY rowid DESC) AS rank FROM messages_v2
  ) WHERE rank > ?)`;

export function controlMessageFile(sdk: SdkInternals, options: MessageFileOptions): MessageFileControl {
  const none: MessageFileControl = { prune: () => 0, stop: () => {} };
  if (options.mode === 'keep') return none;
  if (options.mode === 'replace') {
    const database = sdk.messageDB;
    // Set before login: initManager hands client.messageDB to the socket manager, clans and channels.
    sdk.messageDB = REPLACED_DATABASE;
    if (database?.db?.open) database.db.close();
    return none;
  }
  const prune = (): number => {
    const handle = sdk.messageDB.db;
    if (!handle?.open) return 0;
    // INSERT OR REPLACE gives a rewritten row a new rowid, so rowid order is write order.
    return handle.prepare(PRUNE_SQL).run(options.keepPerChannel).changes;
  };
  const timer = setInterval(prune, options.pruneEveryMs);
  timer.unref();
  return { prune, stop: () => clearInterval(timer) };
}
