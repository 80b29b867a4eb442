/**
 * The dispatcher under a hanging plugin and a busy bot: a healthy plugin keeps answering, handlers past
 * their timeout neither hold a slot nor pile up, unregister/close stop what waits, handle() never rejects,
 * long timeouts work, and commands match however the user's keyboard encoded them.
 */
import { describe, expect, it } from 'vitest';
import type { IncomingMessage, PlatformAdapter, PluginError } from '../../src/plugins/index.js';
import { PluginManager, PluginOverloadError, PluginTimeoutError } from '../../src/plugins/index.js';

interface TestMessage extends IncomingMessage {}

let nextId = 1;
function msg(text: string): TestMessage {
  return {
    text,
    messageId: String(nextId++),
    channelId: 'c',
    authorId: 'u',
    guildId: 'g',
    fromBot: false,
  };
}

const adapter: PlatformAdapter<TestMessage> = { platform: 'test', read: (m) => m };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function manager(options: { concurrency?: number; timeout?: number | '5s'; maxQueued?: number } = {}) {
  const errors: PluginError[] = [];
  const plugins = new PluginManager<TestMessage>({
    adapter,
    client: undefined,
    cache: undefined,
    onError: (error) => errors.push(error),
    ...options,
  });
  return { plugins, errors };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

describe('dispatcher fairness', () => {
  it('a hanging onMessage plugin does not starve a healthy !ping (50 msg/s, concurrency 16)', async () => {
    const { plugins, errors } = manager({ concurrency: 16, timeout: 300 });
    let hangingAtOnce = 0;
    let hangingPeak = 0;
    plugins.register({
      name: 'hang',
      onMessage: () => {
        hangingAtOnce++;
        hangingPeak = Math.max(hangingPeak, hangingAtOnce);
        return new Promise(() => undefined); // never ends, ignores its signal
      },
    });
    let pongs = 0;
    plugins.register({
      name: 'ping',
      commands: {
        ping: () => {
          pongs++;
        },
      },
    });
    const durations: number[] = [];
    const handled: Promise<unknown>[] = [];
    for (let i = 0; i < 75; i++) {
      const t0 = Date.now();
      handled.push(plugins.handle(msg('!ping')).then(() => durations.push(Date.now() - t0)));
      await sleep(20);
    }
    await Promise.all(handled);
    expect(pongs).toBe(75);
    // The hanging plugin never holds more than its share (half of 16), its zombies included.
    expect(hangingPeak).toBeLessThanOrEqual(8);
    expect(plugins.running).toBe(0);
    expect(errors.some((e) => e instanceof PluginTimeoutError && e.plugin === 'hang')).toBe(true);
    expect(errors.every((e) => e.plugin === 'hang')).toBe(true);
    // handle() waits for the hanging handler's timeout or drop, never for a queue of them
    expect(percentile(durations, 99)).toBeLessThan(3_000);
  }, 30_000);

  it('handlers that ignore their timeout never pile up past the plugin’s share (limit 4, not 40)', async () => {
    const { plugins, errors } = manager({ concurrency: 4, timeout: 50 });
    let alive = 0;
    let peakAlive = 0;
    plugins.register({
      name: 'slowpoke',
      commands: {
        slow: async () => {
          alive++;
          peakAlive = Math.max(peakAlive, alive);
          await sleep(150); // ignores its signal
          alive--;
        },
      },
    });
    const results = await Promise.all(Array.from({ length: 40 }, () => plugins.handle(msg('!slow'))));
    expect(peakAlive).toBeLessThanOrEqual(4);
    expect(results.every((r) => r.failures === 1)).toBe(true);
    expect(errors.every((e) => e instanceof PluginTimeoutError || e instanceof PluginOverloadError)).toBe(
      true,
    );
  });

  it('a slot freed by a timed-out handler goes to another plugin at once', async () => {
    const { plugins } = manager({ concurrency: 2, timeout: 50 });
    plugins.register({ name: 'stuck', commands: { hang: () => new Promise(() => undefined) } });
    let answered = 0;
    plugins.register({ name: 'ok', commands: { ok: () => void answered++ } });
    const hung = [plugins.handle(msg('!hang')), plugins.handle(msg('!hang'))];
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 10 }, () => plugins.handle(msg('!ok'))));
    expect(answered).toBe(10);
    expect(Date.now() - t0).toBeLessThan(1_000);
    await Promise.all(hung);
  });
});

describe('a plugin stuck in handlers that ignore their timeout', () => {
  it('has its new handlers dropped at once instead of making each message wait', async () => {
    const { plugins, errors } = manager({ concurrency: 4, timeout: 500 });
    plugins.register({ name: 'stuck', commands: { hang: () => new Promise(() => undefined) } });
    plugins.register({ name: 'other', commands: { ok: () => undefined } });
    // Its share (half of 4) fills with handlers that never end, past their timeout.
    await Promise.all([plugins.handle(msg('!hang')), plugins.handle(msg('!hang'))]);
    const t0 = Date.now();
    const result = await plugins.handle(msg('!hang'));
    expect(Date.now() - t0).toBeLessThan(400); // not one more timeout (500 ms), let alone two
    expect(result.failures).toBe(1);
    expect(errors.at(-1)).toBeInstanceOf(PluginOverloadError);
    expect(String(errors.at(-1)?.message)).toMatch(/past their timeout/);
    expect((await plugins.handle(msg('!ok'))).failures).toBe(0);
  });
});

describe('unregister, close and handle()', () => {
  it('unregister() drops the plugin’s queued handlers: they never start', async () => {
    const { plugins } = manager({ concurrency: 1 });
    let started = 0;
    let release: () => void = () => {};
    plugins.register({
      name: 'queued',
      commands: {
        work: () => {
          started++;
          return new Promise<void>((resolve) => {
            release = resolve;
          });
        },
      },
    });
    const handled = Array.from({ length: 5 }, () => plugins.handle(msg('!work')));
    await sleep(10);
    expect(started).toBe(1);
    expect(plugins.unregister('queued')).toBe(true);
    release();
    const results = await Promise.all(handled);
    expect(started).toBe(1);
    expect(results.map((r) => r.failures)).toEqual([0, 1, 1, 1, 1]);
    expect(plugins.queued).toBe(0);
  });

  it('close() starts nothing queued and takes one timeout, not (queued ÷ concurrency + 1) of them', async () => {
    const { plugins } = manager({ concurrency: 2, timeout: 300 });
    let started = 0;
    plugins.register({
      name: 'stubborn',
      commands: {
        hold: () => {
          started++;
          return new Promise(() => undefined); // ignores its signal
        },
      },
    });
    const handled = Array.from({ length: 20 }, () => plugins.handle(msg('!hold')));
    await sleep(10);
    const t0 = Date.now();
    await plugins.close();
    const took = Date.now() - t0;
    await Promise.all(handled);
    expect(started).toBe(2);
    expect(took).toBeLessThan(1_500); // one timeout (300 ms) plus margin; the old close took 11 of them
  });

  it('handle() never rejects when the adapter gives no text, so listener() is safe', async () => {
    const errors: PluginError[] = [];
    const mute: PlatformAdapter<object> = {
      platform: 'mute',
      read: () =>
        ({ messageId: 'm', channelId: 'c', authorId: 'u', guildId: undefined, fromBot: false }) as never,
    };
    const plugins = new PluginManager<object>({
      adapter: mute,
      client: undefined,
      cache: undefined,
      onError: (e) => errors.push(e),
    });
    let seen: string | undefined;
    plugins.register({
      name: 'log',
      onMessage: (ctx) => {
        seen = ctx.text;
      },
    });
    await expect(plugins.handle({})).resolves.toMatchObject({ command: undefined, handlers: 1, failures: 0 });
    expect(seen).toBe('');
  });

  it('a timeout above 2^31 ms (and a duration string) does not fire after 1 ms', async () => {
    for (const timeout of [2 ** 31 + 1000, '5s'] as const) {
      const { plugins, errors } = manager({ timeout });
      plugins.register({ name: 'p', commands: { wait: () => sleep(50) } });
      expect((await plugins.handle(msg('!wait'))).failures).toBe(0);
      expect(errors).toEqual([]);
    }
    expect(() => manager({ timeout: 'soon' as never })).toThrow(/options\.timeout/);
  });

  it('sixteen concurrent handlers print no MaxListenersExceededWarning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const { plugins } = manager();
      plugins.register({ name: 'p', commands: { wait: () => sleep(30) } });
      await Promise.all(Array.from({ length: 40 }, () => plugins.handle(msg('!wait'))));
      await sleep(10);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('drops are reported as overload, naming the plugin', async () => {
    const { plugins, errors } = manager({ concurrency: 1, maxQueued: 0, timeout: 100 });
    plugins.register({ name: 'busy', commands: { b: () => sleep(30) } });
    await Promise.all([plugins.handle(msg('!b')), plugins.handle(msg('!b'))]);
    expect(errors[0]).toBeInstanceOf(PluginOverloadError);
    expect(errors[0]?.plugin).toBe('busy');
  });
});

describe('command words the way users type them', () => {
  it('İnfo matches !info, an NFD café matches café, full-width and ß forms fold', async () => {
    const { plugins } = manager();
    const hits: string[] = [];
    plugins.register({
      name: 'words',
      commands: {
        info: () => void hits.push('info'),
        café: () => void hits.push('café'),
        strasse: () => void hits.push('strasse'),
      },
    });
    for (const text of ['!İnfo', '!INFO', '!ｉｎｆｏ', '!cafe\u0301', '!CAFÉ', '!Straße']) {
      const result = await plugins.handle(msg(text));
      expect(result.plugin, text).toBe('words');
    }
    expect(hits).toEqual(['info', 'info', 'info', 'café', 'café', 'strasse']);
  });

  it('refuses a second command that folds onto a taken one', () => {
    const { plugins } = manager();
    plugins.register({ name: 'a', commands: { café: () => undefined } });
    expect(() => plugins.register({ name: 'b', commands: { 'cafe\u0301': () => undefined } })).toThrow(
      /already handled by plugin 'a'/,
    );
  });
});
