/**
 * Routes chat messages to plugins: a command word finds its plugin in one Map lookup, every plugin's
 * `onMessage` sees every message, a failing plugin is reported and never stops the others, and a
 * limit on handlers in flight keeps a burst of messages from starving the bot.
 */
import { assertCommandWord, type ParsedCommand, parseCommand } from './command-parser.js';
import { ConcurrencyLimiter } from './concurrency-limiter.js';
import type { IncomingMessage, PlatformAdapter } from './platform-adapter.js';
import type { Plugin, PluginContext, PluginHandler } from './plugin.js';
import { PluginError, PluginOverloadError, PluginTimeoutError } from './plugin-errors.js';

export interface PluginManagerOptions<Msg, Client, Cache> {
  /** Reads the platform's messages (see `mezonAdapter` in `botcache/mezon`, `discordAdapter` here). */
  readonly adapter: PlatformAdapter<Msg>;
  readonly client: Client;
  readonly cache: Cache;
  /** What starts a command. Default `'!'`. */
  readonly prefix?: string;
  /** Most handlers running at once, across all messages. Default 16. */
  readonly concurrency?: number;
  /** Most handlers waiting for a slot; beyond it handlers are dropped and reported. Default 1000. */
  readonly maxQueued?: number;
  /** Milliseconds a handler may run before its slot is freed and a PluginTimeoutError is reported. Default 30 000; `Infinity` for none. */
  readonly timeout?: number;
  /** Called for every plugin failure. Without it (and without `on('error')` listeners) failures go to `console.error`. */
  readonly onError?: (error: PluginError) => void;
}

/** What one call to {@link PluginManager.handle} did. */
export interface DispatchResult {
  /** The command word found in the message (known or not), or undefined for a plain message. */
  readonly command: string | undefined;
  /** The plugin that owns the command, or undefined when none does. */
  readonly plugin: string | undefined;
  /** Handlers run for this message (the command handler plus every `onMessage`). */
  readonly handlers: number;
  /** How many of them failed, timed out or were dropped. */
  readonly failures: number;
}

/** Events of a {@link PluginManager}. */
export interface PluginManagerEventMap {
  error: [error: PluginError];
  unknownCommand: [command: string, message: IncomingMessage];
}

type Listener<E extends keyof PluginManagerEventMap> = (...args: PluginManagerEventMap[E]) => void;

interface Route<Msg, Client, Cache> {
  readonly plugin: Plugin<Msg, Client, Cache>;
  readonly handler: PluginHandler<Msg, Client, Cache>;
}

interface Job<Msg, Client, Cache> {
  readonly plugin: string;
  readonly command: string | undefined;
  readonly handler: PluginHandler<Msg, Client, Cache>;
}

const NOTHING_DISPATCHED: DispatchResult = {
  command: undefined,
  plugin: undefined,
  handlers: 0,
  failures: 0,
};

export class PluginManager<Msg = unknown, Client = unknown, Cache = unknown> {
  readonly #adapter: PlatformAdapter<Msg>;
  readonly #client: Client;
  readonly #cache: Cache;
  readonly #prefix: string;
  readonly #timeout: number;
  readonly #limiter: ConcurrencyLimiter;
  readonly #onError: ((error: PluginError) => void) | undefined;
  readonly #plugins = new Map<string, Plugin<Msg, Client, Cache>>();
  readonly #routes = new Map<string, Route<Msg, Client, Cache>>();
  readonly #listeners: { [E in keyof PluginManagerEventMap]: Set<Listener<E>> } = {
    error: new Set(),
    unknownCommand: new Set(),
  };
  readonly #closing = new AbortController();
  readonly #pending = new Set<Promise<unknown>>();

  constructor(options: PluginManagerOptions<Msg, Client, Cache>) {
    if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
    const { adapter, prefix = '!', concurrency = 16, maxQueued = 1000, timeout = 30_000 } = options;
    if (typeof adapter?.read !== 'function') {
      throw new TypeError('options.adapter must be a platform adapter with a read(message) method');
    }
    if (typeof prefix !== 'string' || prefix.length === 0 || /\s/.test(prefix)) {
      throw new TypeError('options.prefix must be a non-empty string without whitespace');
    }
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`options.concurrency must be a positive integer (got ${concurrency})`);
    }
    if (!Number.isInteger(maxQueued) || maxQueued < 0) {
      throw new RangeError(`options.maxQueued must be a non-negative integer (got ${maxQueued})`);
    }
    if (typeof timeout !== 'number' || Number.isNaN(timeout) || timeout <= 0) {
      throw new RangeError(
        `options.timeout must be a positive number of milliseconds or Infinity (got ${timeout})`,
      );
    }
    this.#adapter = adapter;
    this.#client = options.client;
    this.#cache = options.cache;
    this.#prefix = prefix;
    this.#timeout = timeout;
    this.#limiter = new ConcurrencyLimiter(concurrency, maxQueued);
    this.#onError = options.onError;
  }

  /** Registered plugin names, in registration order. */
  get plugins(): readonly string[] {
    return [...this.#plugins.keys()];
  }

  /** Handlers running now. */
  get running(): number {
    return this.#limiter.running;
  }

  /** Handlers waiting for a free slot. */
  get queued(): number {
    return this.#limiter.queued;
  }

  /** Adds a plugin. Throws if its name or one of its commands is already taken (nothing is registered then). */
  register(plugin: Plugin<Msg, Client, Cache>): this {
    if (typeof plugin !== 'object' || plugin === null) throw new TypeError('plugin must be an object');
    if (typeof plugin.name !== 'string' || plugin.name.length === 0) {
      throw new TypeError('plugin.name must be a non-empty string');
    }
    if (this.#plugins.has(plugin.name))
      throw new RangeError(`a plugin named '${plugin.name}' is already registered`);
    if (plugin.onMessage !== undefined && typeof plugin.onMessage !== 'function') {
      throw new TypeError(`plugin '${plugin.name}': onMessage must be a function`);
    }
    const routes: Array<[string, Route<Msg, Client, Cache>]> = [];
    for (const [word, handler] of Object.entries(plugin.commands ?? {})) {
      const name = `plugin '${plugin.name}': command '${word}'`;
      assertCommandWord(word, name);
      if (typeof handler !== 'function') throw new TypeError(`${name} must map to a function`);
      const command = word.toLowerCase();
      const owner = this.#routes.get(command) ?? routes.find(([taken]) => taken === command)?.[1];
      if (owner) throw new RangeError(`${name} is already handled by plugin '${owner.plugin.name}'`);
      routes.push([command, { plugin, handler }]);
    }
    this.#plugins.set(plugin.name, plugin);
    for (const [command, route] of routes) this.#routes.set(command, route);
    return this;
  }

  /** Removes a plugin and its commands. Handlers already running finish. Returns whether it was registered. */
  unregister(name: string): boolean {
    const plugin = this.#plugins.get(name);
    if (!plugin) return false;
    this.#plugins.delete(name);
    for (const [command, route] of this.#routes) if (route.plugin === plugin) this.#routes.delete(command);
    return true;
  }

  on<E extends keyof PluginManagerEventMap>(event: E, listener: Listener<E>): this {
    this.#listeners[event].add(listener);
    return this;
  }

  off<E extends keyof PluginManagerEventMap>(event: E, listener: Listener<E>): this {
    this.#listeners[event].delete(listener);
    return this;
  }

  /**
   * Dispatches one message and resolves when its handlers have finished. Never rejects: failures go
   * to the `error` event, so it can be handed straight to an SDK emitter.
   */
  async handle(message: Msg): Promise<DispatchResult> {
    if (this.#closing.signal.aborted) return NOTHING_DISPATCHED;
    let incoming: IncomingMessage | undefined;
    try {
      incoming = this.#adapter.read(message);
    } catch (cause) {
      const origin = { plugin: `adapter:${this.#adapter.platform}`, command: undefined, messageId: '' };
      this.#report(new PluginError('the platform adapter could not read the message', origin, { cause }));
      return { ...NOTHING_DISPATCHED, failures: 1 };
    }
    if (!incoming || incoming.fromBot) return NOTHING_DISPATCHED;

    const parsed = parseCommand(incoming.text, this.#prefix);
    const route = parsed ? this.#routes.get(parsed.command) : undefined;
    if (parsed && !route) this.#emit('unknownCommand', parsed.command, incoming);

    const jobs: Job<Msg, Client, Cache>[] = [];
    if (parsed && route)
      jobs.push({ plugin: route.plugin.name, command: parsed.command, handler: route.handler });
    for (const plugin of this.#plugins.values()) {
      if (plugin.onMessage) jobs.push({ plugin: plugin.name, command: undefined, handler: plugin.onMessage });
    }
    const outcomes = await Promise.all(jobs.map((job) => this.#schedule(job, message, incoming, parsed)));
    return {
      command: parsed?.command,
      plugin: route?.plugin.name,
      handlers: jobs.length,
      failures: outcomes.filter((ok) => !ok).length,
    };
  }

  /** A listener to hand to an SDK: `client.onChannelMessage(manager.listener())`. */
  listener(): (message: Msg) => void {
    return (message) => {
      void this.handle(message);
    };
  }

  /** Resolves once no handler is running or waiting. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /** Stops dispatching, signals running handlers to stop, and waits for them (bounded by the timeout). */
  async close(): Promise<void> {
    this.#closing.abort(new Error('the plugin manager is closed'));
    await this.idle();
  }

  #schedule(
    job: Job<Msg, Client, Cache>,
    message: Msg,
    incoming: IncomingMessage,
    parsed: ParsedCommand | undefined,
  ): Promise<boolean> {
    const origin = { plugin: job.plugin, command: job.command, messageId: incoming.messageId };
    if (!this.#limiter.canAccept()) {
      this.#report(
        new PluginOverloadError(
          `plugin '${job.plugin}' dropped a message: too many handlers waiting`,
          origin,
        ),
      );
      return Promise.resolve(false);
    }
    const run = this.#limiter.run(() => this.#invoke(job, message, incoming, parsed));
    this.#pending.add(run);
    void run.finally(() => this.#pending.delete(run));
    return run;
  }

  async #invoke(
    job: Job<Msg, Client, Cache>,
    message: Msg,
    incoming: IncomingMessage,
    parsed: ParsedCommand | undefined,
  ): Promise<boolean> {
    const origin = { plugin: job.plugin, command: job.command, messageId: incoming.messageId };
    const controller = new AbortController();
    const stopOnClose = () => controller.abort(this.#closing.signal.reason);
    this.#closing.signal.addEventListener('abort', stopOnClose, { once: true });
    let timer: NodeJS.Timeout | undefined;
    try {
      const context = this.#context(message, incoming, parsed, controller.signal);
      const work = Promise.resolve().then(() => job.handler(context));
      const timedOut = new Promise<'timeout'>((resolve) => {
        if (Number.isFinite(this.#timeout)) timer = setTimeout(() => resolve('timeout'), this.#timeout);
      });
      const outcome = await Promise.race([work, timedOut]);
      if (outcome === 'timeout') {
        const error = new PluginTimeoutError(
          `plugin '${job.plugin}' took longer than ${this.#timeout} ms`,
          origin,
        );
        controller.abort(error);
        // A late rejection of the abandoned handler must not become an unhandled rejection.
        work.catch(() => undefined);
        this.#report(error);
        return false;
      }
      return true;
    } catch (cause) {
      const what = job.command === undefined ? 'onMessage' : `command '${job.command}'`;
      this.#report(new PluginError(`plugin '${job.plugin}' failed in ${what}`, origin, { cause }));
      return false;
    } finally {
      clearTimeout(timer);
      this.#closing.signal.removeEventListener('abort', stopOnClose);
    }
  }

  #context(
    message: Msg,
    incoming: IncomingMessage,
    parsed: ParsedCommand | undefined,
    signal: AbortSignal,
  ): PluginContext<Msg, Client, Cache> {
    const adapter = this.#adapter;
    return {
      cache: this.#cache,
      client: this.#client,
      message,
      platform: adapter.platform,
      text: incoming.text,
      messageId: incoming.messageId,
      channelId: incoming.channelId,
      authorId: incoming.authorId,
      guildId: incoming.guildId,
      command: parsed?.command,
      args: parsed?.args ?? [],
      argText: parsed?.argText ?? '',
      signal,
      reply: (text: string) => {
        if (typeof text !== 'string') return Promise.reject(new TypeError('reply text must be a string'));
        if (!adapter.reply) return Promise.reject(new Error(`the ${adapter.platform} adapter cannot reply`));
        return adapter.reply(message, text);
      },
    };
  }

  #report(error: PluginError): void {
    const listeners = this.#listeners.error;
    if (this.#onError) this.#safely(() => this.#onError?.(error));
    for (const listener of listeners) this.#safely(() => listener(error));
    if (!this.#onError && listeners.size === 0) console.error(error);
  }

  #emit<E extends keyof PluginManagerEventMap>(event: E, ...args: PluginManagerEventMap[E]): void {
    for (const listener of this.#listeners[event]) this.#safely(() => listener(...args));
  }

  /** A throwing listener must not break dispatch. */
  #safely(call: () => void): void {
    try {
      call();
    } catch (error) {
      console.error(error);
    }
  }
}
