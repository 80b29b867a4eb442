import type Database from 'better-sqlite3';

/** The schema version this code writes; a file written by another version is refused, not guessed at. */
export const SCHEMA_VERSION = 1;

/**
 * The tables, all prefixed `botcache_` so the file can be shared with an application's own tables.
 * - `entries`: one row per live (or not yet swept) entry. `seq` orders eviction: it is renewed on every
 *   write, and on every read when the namespace evicts by `lru`.
 * - `links`: parent indexes. `seq` is the link's age, which orders index iteration and per-parent caps.
 * - `counts`: entries per namespace, kept by triggers, so a `max` check costs one row read, not a scan.
 * Triggers delete an entry's links together with the entry, so no path can leave an orphan link.
 */
const DDL = `
CREATE TABLE IF NOT EXISTS botcache_meta (
  name TEXT PRIMARY KEY,
  value ANY
) STRICT;

CREATE TABLE IF NOT EXISTS botcache_entries (
  ns TEXT NOT NULL,
  key TEXT NOT NULL,
  value ANY NOT NULL,
  expires_at INTEGER,
  seq INTEGER NOT NULL,
  PRIMARY KEY (ns, key)
) STRICT;
CREATE INDEX IF NOT EXISTS botcache_entries_order ON botcache_entries (ns, seq);
CREATE INDEX IF NOT EXISTS botcache_entries_expiry ON botcache_entries (ns, expires_at)
  WHERE expires_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS botcache_links (
  ns TEXT NOT NULL,
  link_by TEXT NOT NULL,
  parent TEXT NOT NULL,
  key TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (ns, link_by, parent, key)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS botcache_links_order ON botcache_links (ns, link_by, parent, seq, key);
CREATE INDEX IF NOT EXISTS botcache_links_entry ON botcache_links (ns, key);

CREATE TABLE IF NOT EXISTS botcache_counts (
  ns TEXT PRIMARY KEY,
  n INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TRIGGER IF NOT EXISTS botcache_entries_inserted AFTER INSERT ON botcache_entries BEGIN
  INSERT INTO botcache_counts (ns, n) VALUES (new.ns, 1) ON CONFLICT (ns) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS botcache_entries_deleted AFTER DELETE ON botcache_entries BEGIN
  UPDATE botcache_counts SET n = n - 1 WHERE ns = old.ns;
  DELETE FROM botcache_links WHERE ns = old.ns AND key = old.key;
END;
`;

/** Creates the tables if needed and checks the schema version. Runs in one transaction. */
export function migrate(db: Database.Database): void {
  db.transaction(() => {
    db.exec(DDL);
    const row = db.prepare(`SELECT value FROM botcache_meta WHERE name = 'schema'`).get() as
      | { value: number }
      | undefined;
    if (row === undefined) {
      db.prepare(`INSERT INTO botcache_meta (name, value) VALUES ('schema', ?)`).run(SCHEMA_VERSION);
    } else if (row.value !== SCHEMA_VERSION) {
      throw new Error(
        `the database has botcache schema version ${String(row.value)}; this botcache reads ${SCHEMA_VERSION}`,
      );
    }
  }).immediate();
}
