/** `botcache/plugins`: a platform-neutral command and message dispatcher for chat bots. */
export type { ParsedCommand } from './command-parser.js';
export { parseCommand } from './command-parser.js';
export type { DiscordAdapterOptions, DiscordMessage } from './discord-adapter.js';
export { discordAdapter, readDiscordMessage } from './discord-adapter.js';
export type { IncomingMessage, PlatformAdapter } from './platform-adapter.js';
export type { Plugin, PluginContext, PluginHandler } from './plugin.js';
export type { PluginErrorOrigin } from './plugin-errors.js';
export { PluginError, PluginOverloadError, PluginTimeoutError } from './plugin-errors.js';
export type { DispatchResult, PluginManagerEventMap, PluginManagerOptions } from './plugin-manager.js';
export { PluginManager } from './plugin-manager.js';
