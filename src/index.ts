/**
 * botcache: a typed, async cache standard for chat-bot SDKs and API clients.
 * @packageDocumentation
 */
export * from './codec/index.js';
export * from './errors/index.js';
export * from './fetch/index.js';
export * from './resources/index.js';
export * from './stats/index.js';
export * from './store/index.js';
export { type Duration, parseDuration } from './util/duration.js';
