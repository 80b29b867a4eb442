/**
 * What a plugin is: a named bundle of command handlers and an optional hook that sees every message.
 * `Msg`, `Client` and `Cache` are the platform's message type, the bot's SDK client and the cache, so a
 * plugin written against `unknown` messages runs on any platform.
 */

/** Everything a handler is given for one message. */
export interface PluginContext<Msg = unknown, Client = unknown, Cache = unknown> {
  /** The cache the manager was built with. */
  readonly cache: Cache;
  /** The SDK client the manager was built with. Resolve SDK objects through it at call time. */
  readonly client: Client;
  /** The platform's raw message. */
  readonly message: Msg;
  /** `'mezon'`, `'discord'`, ... */
  readonly platform: string;
  readonly text: string;
  readonly messageId: string;
  readonly channelId: string;
  readonly authorId: string;
  /** Undefined in direct messages. */
  readonly guildId: string | undefined;
  /** The command word (lower case, without prefix), or undefined when `onMessage` runs for a plain message. */
  readonly command: string | undefined;
  /** The words after the command word. */
  readonly args: readonly string[];
  /** The text after the command word, whitespace kept. */
  readonly argText: string;
  /** Fires when the handler's time is up or the manager is closed: stop work that nobody awaits any more. */
  readonly signal: AbortSignal;
  /** Replies in the message's channel through the platform adapter. */
  reply(text: string): Promise<void>;
}

/** Runs one command or one `onMessage` call. A rejection is reported and never reaches other plugins. */
export type PluginHandler<Msg = unknown, Client = unknown, Cache = unknown> = (
  context: PluginContext<Msg, Client, Cache>,
) => unknown;

export interface Plugin<Msg = unknown, Client = unknown, Cache = unknown> {
  /** Unique among the plugins of one manager; errors name it. */
  readonly name: string;
  /**
   * Command words (without prefix, matched case-insensitively) mapped to their handlers:
   * `{ hi: (ctx) => ctx.reply('Hello!') }` answers `!hi`.
   */
  readonly commands?: Readonly<Record<string, PluginHandler<Msg, Client, Cache>>>;
  /** Called for every message that is not from a bot, commands included. */
  onMessage?: PluginHandler<Msg, Client, Cache>;
}
