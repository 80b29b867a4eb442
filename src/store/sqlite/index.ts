/**
 * `botcache/sqlite`: a persistent store in one SQLite file, on better-sqlite3 (an optional peer dependency).
 * @packageDocumentation
 */
export { SCHEMA_VERSION } from './schema.js';
export { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
