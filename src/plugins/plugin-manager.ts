/**
 * Routes chat messages to plugins: a command word finds its plugin in one Map lookup, every plugin's
 * `onMessage` sees every message, a failing plugin is reported and never stops the others, and a
 * limit on handlers in flight, shared fairly between plugins, keeps a burst of messages or one hanging
 * plugin from starving the bot.
 */
import { startTimeout } from '../fetch/long-timeout.js';
import { type Duration, parseDuration } from '../util/duration.js';
import { assertCommandWord, foldCommand, type ParsedCommand, parseCommand } from './command-parser.js';
import { FairScheduler, type NotStarted, type Slot } from './fair-scheduler.js';
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
  /** Most handlers running at once, across all messages and plugins. Default 16. */
  readonly concurrency?: number;
  /**
   * Most handlers one plugin may hold at once, those past their timeout included (a hanging plugin only
   * starves itself). Default: all of `concurrency` while one plugin is registered, else half of it
   * (rounded up).
   */
  readonly pluginConcurrency?: number;
  /** Most handlers of one plugin waiting for a slot; beyond it they are dropped and reported. Default 1000. */
  readonly maxQueued?: number;
  /**
   * How long a handler may run before its slot is freed, its signal fires and a PluginTimeoutError is
   * reported; a handler that waits twice as long for a slot is dropped. Milliseconds or a duration such as '5s'.
   * Default '30s'; `Infinity` for none.
   */
  readonly timeout?: Duration;
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
  readonly owner: Plugin<Msg, Client, Cache>;
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
  readonly #scheduler: FairScheduler;
  readonly #onError: ((error: PluginError) => void) | undefined;
  readonly #plugins = new Map<string, Plugin<Msg, Client, Cache>>();
  readonly #routes = new Map<string, Route<Msg, Client, Cache>>();
  readonly #listeners: { [E in keyof PluginManagerEventMap]: Set<Listener<E>> } = {
    error: new Set(),
    unknownCommand: new Set(),
  };
  #closed = false;
  readonly #pending = new Set<Promise<unknown>>();
  /** Signals of the handlers running now, by plugin, fired on close (and on unregister for that plugin). */
  readonly #running = new Map<string, Set<AbortController>>();

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
    const share = options.pluginConcurrency;
    if (share !== undefined && (!Number.isInteger(share) || share < 1)) {
      throw new RangeError(`options.pluginConcurrency must be a positive integer (got ${share})`);
    }
    if (!Number.isInteger(maxQueued) || maxQueued < 0) {
      throw new RangeError(`options.maxQueued must be a non-negative integer (got ${maxQueued})`);
    }
    this.#timeout = parseDuration(timeout, 'options.timeout');
    this.#adapter = adapter;
    this.#client = options.client;
    this.#cache = options.cache;
    this.#prefix = prefix;
    const shareOf = (): number =>
      Math.min(concurrency, share ?? (this.#plugins.size <= 1 ? concurrency : Math.ceil(concurrency / 2)));
    this.#scheduler = new FairScheduler(concurrency, maxQueued, shareOf);
    this.#onError = options.onError;
  }

  /** Registered plugin names, in registration order. */
  get plugins(): readonly string[] {
    return [...this.#plugins.keys()];
  }

  /** Handlers holding a slot now (a handler past its timeout no longer does). */
  get running(): number {
    return this.#scheduler.running;
  }

  /** Handlers waiting for a free slot. */
  get queued(): number {
    return this.#scheduler.queued;
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
      const command = foldCommand(word);
      const owner = this.#routes.get(command) ?? routes.find(([taken]) => taken === command)?.[1];
      if (owner) throw new RangeError(`${name} is already handled by plugin '${owner.plugin.name}'`);
      routes.push([command, { plugin, handler }]);
    }
    this.#plugins.set(plugin.name, plugin);
    for (const [command, route] of routes) this.#routes.set(command, route);
    return this;
  }

  /**
   * Removes a plugin and its commands. Its handlers still waiting for a slot never start; those running
   * are signalled (`context.signal`) and may finish. Returns whether it was registered.
   */
  unregister(name: string): boolean {
    const plugin = this.#plugins.get(name);
    if (!plugin) return false;
    this.#plugins.delete(name);
    for (const [command, route] of this.#routes) if (route.plugin === plugin) this.#routes.delete(command);
    this.#scheduler.dropQueued(name);
    for (const controller of this.#running.get(name) ?? []) {
      controller.abort(new Error(`plugin '${name}' was unregistered`));
    }
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
   * Dispatches one message and resolves when its handlers have finished (or timed out, or were dropped).
   * Never rejects: failures go to the `error` event, so it can be handed straight to an SDK emitter.
   */
  async handle(message: Msg): Promise<DispatchResult> {
    try {
      return await this.#dispatch(message);
    } catch (cause) {
      const origin = { plugin: `adapter:${this.#adapter.platform}`, command: undefined, messageId: '' };
      this.#report(new PluginError('the message could not be dispatched', origin, { cause }));
      return { ...NOTHING_DISPATCHED, failures: 1 };
    }
  }

  async #dispatch(message: Msg): Promise<DispatchResult> {
    if (this.#closed) return NOTHING_DISPATCHED;
    let incoming: IncomingMessage | undefined;
    try {
      incoming = this.#adapter.read(message);
    } catch (cause) {
      const origin = { plugin: `adapter:${this.#adapter.platform}`, command: undefined, messageId: '' };
      this.#report(new PluginError('the platform adapter could not read the message', origin, { cause }));
      return { ...NOTHING_DISPATCHED, failures: 1 };
    }
    if (!incoming || incoming.fromBot) return NOTHING_DISPATCHED;
    // An adapter that gives no text (an attachment-only message) dispatches as a plain, empty message.
    if (typeof incoming.text !== 'string') incoming = { ...incoming, text: '' };

    const parsed = parseCommand(incoming.text, this.#prefix);
    const route = parsed ? this.#routes.get(parsed.command) : undefined;
    if (parsed && !route) this.#emit('unknownCommand', parsed.command, incoming);

    const jobs: Job<Msg, Client, Cache>[] = [];
    if (parsed && route)
      jobs.push({
        plugin: route.plugin.name,
        owner: route.plugin,
        command: parsed.command,
        handler: route.handler,
      });
    for (const plugin of this.#plugins.values()) {
      if (plugin.onMessage)
        jobs.push({ plugin: plugin.name, owner: plugin, command: undefined, handler: plugin.onMessage });
    }
    const read = incoming;
    const outcomes = await Promise.all(jobs.map((job) => this.#schedule(job, message, read, parsed)));
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

  /**
   * Stops dispatching: handlers still waiting for a slot never start, running ones are signalled, and it
   * resolves once they end or reach their timeout (all at once: at most one timeout in all).
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.#scheduler.dropAllQueued();
    const reason = new Error('the plugin manager is closed');
    for (const controllers of this.#running.values()) for (const c of controllers) c.abort(reason);
    await this.idle();
  }

  #schedule(
    job: Job<Msg, Client, Cache>,
    message: Msg,
    incoming: IncomingMessage,
    parsed: ParsedCommand | undefined,
  ): Promise<boolean> {
    const origin = { plugin: job.plugin, command: job.command, messageId: incoming.messageId };
    // A slot held by a running handler frees within one timeout; waiting twice that means the plugin's
    // share is taken by handlers that ignore their signal, and the message is dropped instead of queued on.
    const run = this.#scheduler.acquire(job.plugin, 2 * this.#timeout).then(
      (slot) => {
        // Unregistered or closed while it waited for a slot: it must not start.
        if (this.#closed || this.#plugins.get(job.plugin) !== job.owner) {
          slot.finish();
          return false;
        }
        return this.#invoke(job, message, incoming, parsed, slot);
      },
      (why: NotStarted) => {
        if (why === 'overloaded') {
          this.#report(
            new PluginOverloadError(
              `plugin '${job.plugin}' dropped a message: too many of its handlers waiting`,
              origin,
            ),
          );
        } else if (why === 'stuck') {
          this.#report(
            new PluginOverloadError(
              `plugin '${job.plugin}' dropped a message: all of its share is held by handlers past their timeout`,
              origin,
            ),
          );
        } else if (why === 'waited-too-long') {
          this.#report(
            new PluginOverloadError(
              `plugin '${job.plugin}' dropped a message: no free slot within ${2 * this.#timeout} ms`,
              origin,
            ),
          );
        }
        return false;
      },
    );
    this.#pending.add(run);
    void run.finally(() => this.#pending.delete(run));
    return run;
  }

  async #invoke(
    job: Job<Msg, Client, Cache>,
    message: Msg,
    incoming: IncomingMessage,
    parsed: ParsedCommand | undefined,
    slot: Slot,
  ): Promise<boolean> {
    const origin = { plugin: job.plugin, command: job.command, messageId: incoming.messageId };
    const controller = new AbortController();
    let signals = this.#running.get(job.plugin);
    if (!signals) {
      signals = new Set();
      this.#running.set(job.plugin, signals);
    }
    const mine = signals;
    mine.add(controller);
    let cancelTimer = (): void => {};
    let work: Promise<unknown> = Promise.resolve();
    try {
      const context = this.#context(message, incoming, parsed, controller.signal);
      work = Promise.resolve().then(() => job.handler(context));
      const timedOut = new Promise<'timeout'>((resolve) => {
        cancelTimer = startTimeout(this.#timeout, () => resolve('timeout'));
      });
      const outcome = await Promise.race([work, timedOut]);
      if (outcome === 'timeout') {
        const error = new PluginTimeoutError(
          `plugin '${job.plugin}' took longer than ${this.#timeout} ms`,
          origin,
        );
        // Its slot goes to the next handler now; its plugin's share stays taken until it really ends.
        slot.expire();
        controller.abort(error);
        work.then(
          () => slot.finish(),
          () => slot.finish(), // a late rejection of the abandoned handler is nobody's to handle
        );
        this.#report(error);
        return false;
      }
      slot.finish();
      return true;
    } catch (cause) {
      slot.finish();
      const what = job.command === undefined ? 'onMessage' : `command '${job.command}'`;
      this.#report(new PluginError(`plugin '${job.plugin}' failed in ${what}`, origin, { cause }));
      return false;
    } finally {
      cancelTimer();
      mine.delete(controller);
      if (mine.size === 0 && this.#running.get(job.plugin) === mine) this.#running.delete(job.plugin);
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
