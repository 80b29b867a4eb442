import type Database from 'better-sqlite3';

/** A live row is one without an expiry, or whose expiry is still ahead of `now`. */
const LIVE = '(e.expires_at IS NULL OR e.expires_at > @now)';

/** Every SQL statement the store runs, prepared once per connection. */
export function prepareStatements(db: Database.Database): Statements {
  const p = (sql: string) => db.prepare(sql);
  return {
    // ---- entries ---------------------------------------------------------------------------------
    read: p('SELECT value, expires_at FROM botcache_entries WHERE ns = ? AND key = ?').raw(),
    readMany: p(
      'SELECT key, value, expires_at FROM botcache_entries WHERE ns = ? AND key IN (SELECT value FROM json_each(?))',
    ).raw(),
    expiryOf: p('SELECT expires_at FROM botcache_entries WHERE ns = ? AND key = ?').pluck(),
    touch: p('UPDATE botcache_entries SET seq = ? WHERE ns = ? AND key = ?'),
    setExpiry: p('UPDATE botcache_entries SET expires_at = ? WHERE ns = ? AND key = ?'),
    upsert: p(
      `INSERT INTO botcache_entries (ns, key, value, expires_at, seq) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at, seq = excluded.seq`,
    ),
    remove: p('DELETE FROM botcache_entries WHERE ns = ? AND key = ? RETURNING expires_at').pluck(),
    removeIfExpired: p('DELETE FROM botcache_entries WHERE ns = ? AND key = ? AND expires_at <= ?'),
    removeExpiredChunk: p(
      `DELETE FROM botcache_entries WHERE ns = @ns AND key IN
       (SELECT key FROM botcache_entries WHERE ns = @ns AND expires_at <= @now LIMIT @limit)`,
    ),
    removeOldest: p(
      `DELETE FROM botcache_entries WHERE ns = @ns AND key IN
       (SELECT key FROM botcache_entries WHERE ns = @ns ORDER BY seq LIMIT @limit)`,
    ),
    clearLinks: p('DELETE FROM botcache_links WHERE ns = ?'),
    clearEntries: p('DELETE FROM botcache_entries WHERE ns = ?'),
    stored: p('SELECT coalesce((SELECT n FROM botcache_counts WHERE ns = ?), 0)').pluck(),
    live: p(
      `SELECT coalesce((SELECT n FROM botcache_counts WHERE ns = @ns), 0)
       - (SELECT count(*) FROM botcache_entries e WHERE e.ns = @ns AND e.expires_at <= @now)`,
    ).pluck(),
    namespaces: p('SELECT ns FROM botcache_counts WHERE n > 0').pluck(),
    keysPage: p(
      `SELECT e.key FROM botcache_entries e WHERE e.ns = @ns AND e.key > @after AND ${LIVE}
       ORDER BY e.key LIMIT @limit`,
    ).pluck(),
    entriesPage: p(
      `SELECT e.key, e.value FROM botcache_entries e WHERE e.ns = @ns AND e.key > @after AND ${LIVE}
       ORDER BY e.key LIMIT @limit`,
    ).raw(),

    // ---- links -----------------------------------------------------------------------------------
    linksOf: p('SELECT link_by, parent FROM botcache_links WHERE ns = ? AND key = ?').raw(),
    addLink: p(
      `INSERT INTO botcache_links (ns, link_by, parent, key, seq) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    ),
    /** Links an entry only if it exists and is live. */
    addLinkIfLive: p(
      `INSERT INTO botcache_links (ns, link_by, parent, key, seq)
       SELECT @ns, @by, @parent, @key, @seq WHERE EXISTS
         (SELECT 1 FROM botcache_entries e WHERE e.ns = @ns AND e.key = @key AND ${LIVE})
       ON CONFLICT DO NOTHING`,
    ),
    removeLink: p('DELETE FROM botcache_links WHERE ns = ? AND link_by = ? AND parent = ? AND key = ?'),
    removeIndex: p('DELETE FROM botcache_links WHERE ns = ? AND link_by = ? AND parent = ?'),
    removeIndexEntries: p(
      `DELETE FROM botcache_entries WHERE ns = @ns AND key IN
       (SELECT key FROM botcache_links WHERE ns = @ns AND link_by = @by AND parent = @parent)`,
    ),
    linkCount: p('SELECT count(*) FROM botcache_links WHERE ns = ? AND link_by = ? AND parent = ?').pluck(),
    removeOldestLinked: p(
      `DELETE FROM botcache_entries WHERE ns = @ns AND key IN
       (SELECT key FROM botcache_links WHERE ns = @ns AND link_by = @by AND parent = @parent
        ORDER BY seq, key LIMIT @limit)`,
    ),
    indexLiveCount: p(
      `SELECT count(*) FROM botcache_links l JOIN botcache_entries e ON e.ns = l.ns AND e.key = l.key
       WHERE l.ns = @ns AND l.link_by = @by AND l.parent = @parent AND ${LIVE}`,
    ).pluck(),
    /** 1 if the index holds at least one live entry, else 0 (stops at the first). */
    indexHasLive: p(
      `SELECT EXISTS (SELECT 1 FROM botcache_links l JOIN botcache_entries e ON e.ns = l.ns AND e.key = l.key
       WHERE l.ns = @ns AND l.link_by = @by AND l.parent = @parent AND ${LIVE})`,
    ).pluck(),
    indexHas: p(
      `SELECT count(*) FROM botcache_links l JOIN botcache_entries e ON e.ns = l.ns AND e.key = l.key
       WHERE l.ns = @ns AND l.link_by = @by AND l.parent = @parent AND l.key = @key AND ${LIVE}`,
    ).pluck(),
    indexKeysPage: p(
      `SELECT l.key, l.seq FROM botcache_links l
       JOIN botcache_entries e ON e.ns = l.ns AND e.key = l.key
       WHERE l.ns = @ns AND l.link_by = @by AND l.parent = @parent AND (l.seq, l.key) > (@seq, @after)
         AND ${LIVE}
       ORDER BY l.seq, l.key LIMIT @limit`,
    ).raw(),
    indexPage: p(
      `SELECT l.key, l.seq, e.value FROM botcache_links l
       JOIN botcache_entries e ON e.ns = l.ns AND e.key = l.key
       WHERE l.ns = @ns AND l.link_by = @by AND l.parent = @parent AND (l.seq, l.key) > (@seq, @after)
         AND ${LIVE}
       ORDER BY l.seq, l.key LIMIT @limit`,
    ).raw(),
  };
}

/** Every statement, by purpose. Typed by hand: the driver's inferred types cannot be named in declarations. */
export interface Statements {
  readonly read: Database.Statement;
  readonly readMany: Database.Statement;
  readonly expiryOf: Database.Statement;
  readonly touch: Database.Statement;
  readonly setExpiry: Database.Statement;
  readonly upsert: Database.Statement;
  readonly remove: Database.Statement;
  readonly removeIfExpired: Database.Statement;
  readonly removeExpiredChunk: Database.Statement;
  readonly removeOldest: Database.Statement;
  readonly clearLinks: Database.Statement;
  readonly clearEntries: Database.Statement;
  readonly stored: Database.Statement;
  readonly live: Database.Statement;
  readonly namespaces: Database.Statement;
  readonly keysPage: Database.Statement;
  readonly entriesPage: Database.Statement;
  readonly linksOf: Database.Statement;
  readonly addLink: Database.Statement;
  readonly addLinkIfLive: Database.Statement;
  readonly removeLink: Database.Statement;
  readonly removeIndex: Database.Statement;
  readonly removeIndexEntries: Database.Statement;
  readonly linkCount: Database.Statement;
  readonly removeOldestLinked: Database.Statement;
  readonly indexLiveCount: Database.Statement;
  readonly indexHasLive: Database.Statement;
  readonly indexHas: Database.Statement;
  readonly indexKeysPage: Database.Statement;
  readonly indexPage: Database.Statement;
}
