import { describe, expect, it } from 'vitest';
import type { IncomingMessage, PlatformAdapter, Plugin, PluginError } from '../../src/plugins/index.js';
import {
  PluginManager,
  PluginOverloadError,
  PluginTimeoutError,
  parseCommand,
} from '../../src/plugins/index.js';

/** A platform whose messages are already in the neutral shape; replies are recorded. */
interface TestMessage extends IncomingMessage {}

function testAdapter(replies: Array<[string, string]> = []): PlatformAdapter<TestMessage> {
  return {
    platform: 'test',
    read: (message) => message,
    reply: async (message, text) => {
      replies.push([message.messageId, text]);
    },
  };
}

let nextId = 1;
function msg(text: string, overrides: Partial<TestMessage> = {}): TestMessage {
  return {
    text,
    messageId: String(nextId++),
    channelId: '100',
    authorId: '200',
    guildId: '300',
    fromBot: false,
    ...overrides,
  };
}

function manager(options: { concurrency?: number; maxQueued?: number; timeout?: number } = {}) {
  const errors: PluginError[] = [];
  const replies: Array<[string, string]> = [];
  const plugins = new PluginManager<TestMessage, { name: string }, { kind: string }>({
    adapter: testAdapter(replies),
    client: { name: 'client' },
    cache: { kind: 'cache' },
    onError: (error) => errors.push(error),
    ...options,
  });
  return { plugins, errors, replies };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('parseCommand', () => {
  it('splits the command word from its arguments', () => {
    expect(parseCommand('  !Roll 2d6   fast ', '!')).toEqual({
      command: 'roll',
      args: ['2d6', 'fast'],
      argText: '2d6   fast ',
    });
    expect(parseCommand('!hi', '!')).toEqual({ command: 'hi', args: [], argText: '' });
    expect(parseCommand('hi !there', '!')).toBeUndefined();
    expect(parseCommand('! hi', '!')).toBeUndefined();
    expect(parseCommand('?? help me', '??')?.command).toBeUndefined();
    expect(parseCommand('??help me', '??')?.args).toEqual(['me']);
  });
});

describe('PluginManager routing', () => {
  it('runs only the plugin that owns the command, with the context it needs', async () => {
    const { plugins, replies } = manager();
    const seen: string[] = [];
    plugins.register({
      name: 'greeting',
      commands: {
        hi: async (ctx) => {
          seen.push(`hi:${ctx.args.join(',')}:${ctx.cache.kind}:${ctx.client.name}:${ctx.guildId}`);
          await ctx.reply('Hello!');
        },
      },
    });
    plugins.register({ name: 'dice', commands: { Roll: (ctx) => seen.push(`roll:${ctx.argText}`) } });

    const result = await plugins.handle(msg('!HI there you'));
    expect(result).toEqual({ command: 'hi', plugin: 'greeting', handlers: 1, failures: 0 });
    expect(seen).toEqual(['hi:there,you:cache:client:300']);
    expect(replies.map(([, text]) => text)).toEqual(['Hello!']);

    await plugins.handle(msg('!roll 2d6'));
    expect(seen).toEqual(['hi:there,you:cache:client:300', 'roll:2d6']);
  });

  it('refuses a second plugin with a taken name or command, registering nothing of it', () => {
    const { plugins } = manager();
    plugins.register({ name: 'a', commands: { ping: () => undefined } });
    expect(() => plugins.register({ name: 'a' })).toThrow(RangeError);
    expect(() =>
      plugins.register({ name: 'b', commands: { pong: () => undefined, PING: () => undefined } }),
    ).toThrow(/already handled by plugin 'a'/);
    expect(plugins.plugins).toEqual(['a']);
    expect(() => plugins.register({ name: 'c', commands: { 'two words': () => undefined } })).toThrow(
      RangeError,
    );
    expect(() => plugins.register({ name: '' })).toThrow(TypeError);
  });

  it('validates its options', () => {
    const adapter = testAdapter();
    expect(() => new PluginManager({ adapter, client: 1, cache: 1, concurrency: 0 })).toThrow(RangeError);
    expect(() => new PluginManager({ adapter, client: 1, cache: 1, prefix: '' })).toThrow(TypeError);
    expect(() => new PluginManager({ adapter, client: 1, cache: 1, timeout: -1 })).toThrow(RangeError);
  });

  it('reports unknown commands and still runs onMessage hooks', async () => {
    const { plugins } = manager();
    const unknown: string[] = [];
    const hooks: Array<string | undefined> = [];
    plugins.on('unknownCommand', (command) => unknown.push(command));
    plugins.register({ name: 'log', onMessage: (ctx) => hooks.push(ctx.command) });
    plugins.register({ name: 'hi', commands: { hi: () => undefined } });

    const result = await plugins.handle(msg('!nope 1 2'));
    expect(result).toEqual({ command: 'nope', plugin: undefined, handlers: 1, failures: 0 });
    expect(unknown).toEqual(['nope']);
    expect(hooks).toEqual(['nope']);
  });

  it('gives every onMessage hook every message, and skips messages from bots', async () => {
    const { plugins } = manager();
    const seen: string[] = [];
    plugins.register({ name: 'a', onMessage: (ctx) => seen.push(`a:${ctx.text}`) });
    plugins.register({
      name: 'b',
      onMessage: (ctx) => seen.push(`b:${ctx.text}`),
      commands: { x: () => undefined },
    });
    await plugins.handle(msg('plain'));
    await plugins.handle(msg('!x'));
    expect(await plugins.handle(msg('from a bot', { fromBot: true }))).toEqual({
      command: undefined,
      plugin: undefined,
      handlers: 0,
      failures: 0,
    });
    expect(seen.sort()).toEqual(['a:!x', 'a:plain', 'b:!x', 'b:plain']);
  });

  it('stops routing to an unregistered plugin', async () => {
    const { plugins } = manager();
    let calls = 0;
    plugins.register({ name: 'a', commands: { go: () => calls++ } });
    expect(plugins.unregister('a')).toBe(true);
    expect(plugins.unregister('a')).toBe(false);
    expect((await plugins.handle(msg('!go'))).plugin).toBeUndefined();
    expect(calls).toBe(0);
  });
});

describe('PluginManager isolation', () => {
  it('keeps running the other plugins when one throws or rejects, and names the culprit', async () => {
    const { plugins, errors } = manager();
    const ran: string[] = [];
    plugins.register({
      name: 'thrower',
      onMessage: () => {
        throw new Error('sync boom');
      },
    });
    plugins.register({ name: 'rejecter', onMessage: async () => Promise.reject(new Error('async boom')) });
    plugins.register({
      name: 'healthy',
      commands: {
        ok: () => {
          ran.push('command');
        },
      },
      onMessage: () => {
        ran.push('hook');
      },
    });

    const result = await plugins.handle(msg('!ok'));
    expect(result.failures).toBe(2);
    expect(result.handlers).toBe(4);
    expect(ran.sort()).toEqual(['command', 'hook']);
    expect(errors.map((e) => e.plugin).sort()).toEqual(['rejecter', 'thrower']);
    expect(errors.map((e) => (e.cause as Error).message).sort()).toEqual(['async boom', 'sync boom']);

    // The failures did not poison the manager: the next message is handled normally.
    expect((await plugins.handle(msg('!ok'))).plugin).toBe('healthy');
  });

  it('delivers errors to on("error") listeners even when one listener throws', async () => {
    const plugins = new PluginManager({ adapter: testAdapter(), client: null, cache: null });
    const got: string[] = [];
    plugins.on('error', () => {
      throw new Error('bad listener');
    });
    plugins.on('error', (error) => got.push(error.plugin));
    plugins.register({ name: 'p', commands: { x: () => Promise.reject(new Error('x')) } });
    const original = console.error;
    console.error = () => undefined;
    try {
      await plugins.handle(msg('!x'));
    } finally {
      console.error = original;
    }
    expect(got).toEqual(['p']);
  });

  it('frees the slot of a handler that hangs and signals it', async () => {
    const { plugins, errors } = manager({ timeout: 30, concurrency: 1 });
    let signal: AbortSignal | undefined;
    plugins.register({
      name: 'stuck',
      commands: {
        hang: (ctx) => {
          signal = ctx.signal;
          return new Promise(() => undefined);
        },
      },
    });
    plugins.register({ name: 'next', commands: { next: () => undefined } });
    const [hung, next] = await Promise.all([plugins.handle(msg('!hang')), plugins.handle(msg('!next'))]);
    expect(hung.failures).toBe(1);
    expect(next.failures).toBe(0);
    expect(errors[0]).toBeInstanceOf(PluginTimeoutError);
    expect(errors[0]?.plugin).toBe('stuck');
    expect(signal?.aborted).toBe(true);
  });

  it('rejects reply when the adapter cannot reply', async () => {
    const adapter: PlatformAdapter<TestMessage> = { platform: 'mute', read: (m) => m };
    const errors: PluginError[] = [];
    const plugins = new PluginManager({ adapter, client: null, cache: null, onError: (e) => errors.push(e) });
    plugins.register({ name: 'talker', commands: { talk: (ctx) => ctx.reply('hi') } });
    expect((await plugins.handle(msg('!talk'))).failures).toBe(1);
    expect(String((errors[0]?.cause as Error | undefined)?.message)).toMatch(/mute adapter cannot reply/);
  });
});

describe('PluginManager concurrency', () => {
  it('never runs more handlers than the limit, and queues the rest in order', async () => {
    const { plugins } = manager({ concurrency: 2 });
    const gates = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    let inFlight = 0;
    let peak = 0;
    plugins.register({
      name: 'slow',
      commands: {
        work: async (ctx) => {
          const index = Number(ctx.args[0]);
          started.push(index);
          inFlight++;
          peak = Math.max(peak, inFlight);
          await gates[index]?.promise;
          inFlight--;
        },
      },
    });

    const handled = [0, 1, 2, 3, 4].map((i) => plugins.handle(msg(`!work ${i}`)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1]);
    expect(plugins.running).toBe(2);
    expect(plugins.queued).toBe(3);

    gates[1]?.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);

    for (const gate of gates) gate.resolve();
    const results = await Promise.all(handled);
    expect(results.every((r) => r.failures === 0)).toBe(true);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(plugins.running).toBe(0);
    expect(plugins.queued).toBe(0);
  });

  it('drops handlers beyond the queue bound and reports them', async () => {
    const { plugins, errors } = manager({ concurrency: 1, maxQueued: 1 });
    const gate = deferred();
    plugins.register({ name: 'slow', commands: { work: () => gate.promise } });
    const handled = [
      plugins.handle(msg('!work')),
      plugins.handle(msg('!work')),
      plugins.handle(msg('!work')),
    ];
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(PluginOverloadError);
    gate.resolve();
    expect((await Promise.all(handled)).map((r) => r.failures)).toEqual([0, 0, 1]);
  });

  it('close() aborts running handlers and stops dispatching', async () => {
    const { plugins } = manager();
    let aborted = false;
    plugins.register({
      name: 'long',
      commands: {
        wait: (ctx) =>
          new Promise<void>((resolve) => {
            ctx.signal.addEventListener('abort', () => {
              aborted = true;
              resolve();
            });
          }),
      },
    });
    const running = plugins.handle(msg('!wait'));
    await new Promise((resolve) => setImmediate(resolve));
    await plugins.close();
    expect(aborted).toBe(true);
    await running;
    expect((await plugins.handle(msg('!wait'))).handlers).toBe(0);
  });
});

describe('a platform-neutral plugin', () => {
  it('is accepted by managers of any message type', () => {
    const neutral: Plugin = { name: 'neutral', commands: { ping: (ctx) => ctx.reply('pong') } };
    const { plugins } = manager();
    expect(() => plugins.register(neutral)).not.toThrow();
  });
});
