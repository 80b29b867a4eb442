/**
 * A long Mezon session with the real mezon-sdk against a local fake Mezon server: N channel messages
 * over 50 channels from a growing crowd of senders, pushed over the real protobuf socket. The bot runs
 * in a child process (one per case, so heaps do not mix); at checkpoints it runs a full GC and reports
 * heap, RSS and the size of the SDK's SQLite message file.
 *   sdk     mezon-sdk alone (its unbounded managers and its never-pruned SQLite file)
 *   preset  mezon-sdk + mezonPreset(createMezonCache(...)) with memory limits on botcache's resources
 * Run: npx tsx bench/frameworks-mezon.bench.ts [--quick]
 */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startIntegrationMezonServer } from '../test/support/integrations-mezon-server.js';
import { presetWorld, socketMessage } from '../test/support/integrations-mezon-session.js';
import { machineLine, writeSection } from './harness.js';

const BOT_ID = '1850000000000000001';
const CHANNELS = 50;
const quick = process.argv.includes('--quick');
const MESSAGES = quick ? 20_000 : 200_000;
const SENDERS = quick ? 5_000 : 50_000;
const CHECKPOINTS = 10;
const BATCH = 1_000;

type Scenario = 'sdk' | 'preset';

interface Sample {
  readonly messages: number;
  readonly heapMiB: number;
  readonly rssMiB: number;
  readonly fileMiB: number;
}

type ChildMessage =
  | { kind: 'ready' }
  | { kind: 'progress'; received: number }
  | { kind: 'sample'; sample: Sample };

const MiB = 1024 * 1024;

// ---------------------------------------------------------------- child: the bot process
async function runBot(scenario: Scenario, host: string, port: string): Promise<void> {
  const { MezonClient } = await import('mezon-sdk');
  // On tmpfs where there is one: the SDK fsyncs every message, which would measure the disk, not the heap.
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'botcache-mezon-bench-'));
  process.chdir(dir); // the SDK writes ./mezon-cache/*.db and ./.gitignore
  const client = new MezonClient({ botId: BOT_ID, token: 'bench-token', host, port, useSSL: false });
  let idle: () => Promise<void> = async () => {};
  if (scenario === 'preset') {
    const { createMezonCache, mezonPreset } = await import('../src/platforms/mezon/index.js');
    const cache = createMezonCache({
      limits: { users: { max: 5_000 }, members: { max: 5_000 }, messages: { maxPerChannel: 200 } },
    });
    const preset = mezonPreset(cache, client);
    idle = () => preset.attachment.idle();
  }
  let received = 0;
  client.onChannelMessage(() => {
    received += 1;
  });
  const file = join(dir, 'mezon-cache', 'mezon-messages-cache.db');
  const send = (message: ChildMessage) => process.send?.(message);
  process.on(
    'message',
    async (request: { kind: 'wait'; until: number } | { kind: 'sample' } | { kind: 'exit' }) => {
      if (request.kind === 'wait') {
        while (received < request.until) await new Promise((resolve) => setTimeout(resolve, 2));
        await idle();
        send({ kind: 'progress', received });
      } else if (request.kind === 'sample') {
        await idle();
        // Let the SDK's async per-message listeners settle before measuring.
        await new Promise((resolve) => setTimeout(resolve, 200));
        globalThis.gc?.();
        globalThis.gc?.();
        const memory = process.memoryUsage();
        send({
          kind: 'sample',
          sample: {
            messages: received,
            heapMiB: memory.heapUsed / MiB,
            rssMiB: memory.rss / MiB,
            fileMiB: statSync(file).size / MiB,
          },
        });
      } else {
        rmSync(dir, { recursive: true, force: true });
        process.exit(0);
      }
    },
  );
  await client.login();
  send({ kind: 'ready' });
}

// ---------------------------------------------------------------- parent: server, pushes, table
function ask<T extends ChildMessage['kind']>(
  child: ChildProcess,
  request: object,
  kind: T,
): Promise<Extract<ChildMessage, { kind: T }>> {
  return new Promise((resolve) => {
    const onMessage = (message: ChildMessage) => {
      if (message.kind !== kind) return;
      child.off('message', onMessage);
      resolve(message as Extract<ChildMessage, { kind: T }>);
    };
    child.on('message', onMessage);
    child.send(request);
  });
}

async function runCase(scenario: Scenario): Promise<{ samples: Sample[]; seconds: number }> {
  const server = await startIntegrationMezonServer(presetWorld(CHANNELS), BOT_ID);
  const child = fork(fileURLToPath(import.meta.url), ['--child', scenario, server.host, server.port], {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve) => {
    child.once('message', () => resolve());
  });
  await server.connected();
  const samples: Sample[] = [(await ask(child, { kind: 'sample' }, 'sample')).sample];
  const every = MESSAGES / CHECKPOINTS;
  const started = process.hrtime.bigint();
  for (let sent = 0; sent < MESSAGES; ) {
    for (let i = 0; i < BATCH; i += 1, sent += 1) {
      server.push(socketMessage(sent, sent % CHANNELS, (sent * 7919) % SENDERS));
    }
    await ask(child, { kind: 'wait', until: sent }, 'progress');
    if (sent % every === 0) {
      samples.push((await ask(child, { kind: 'sample' }, 'sample')).sample);
      console.error(`${scenario}: ${sent} messages`);
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  child.send({ kind: 'exit' });
  await new Promise((resolve) => child.once('exit', resolve));
  await server.close();
  return { samples, seconds };
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--child');
  if (at >= 0) {
    await runBot(
      process.argv[at + 1] as Scenario,
      process.argv[at + 2] as string,
      process.argv[at + 3] as string,
    );
    return;
  }
  const results = { sdk: await runCase('sdk'), preset: await runCase('preset') };
  const fmt = (n: number) => n.toFixed(1);
  const lines = [
    '## Mezon: a long session, mezon-sdk alone vs mezonPreset',
    '',
    `${MESSAGES.toLocaleString('en')} channel messages over ${CHANNELS} channels from ${SENDERS.toLocaleString('en')} senders, pushed over the real socket of a local fake Mezon server to mezon-sdk 2.8 in a child process (working directory on tmpfs); heap after a full GC. Preset cache: memory store, users and members max 5000, messages 200 per channel. ${machineLine()}`,
    '',
    '| messages | SDK heap MiB | SDK RSS MiB | SDK SQLite MiB | preset heap MiB | preset RSS MiB | preset SQLite MiB |',
    '|---:|---:|---:|---:|---:|---:|---:|',
  ];
  results.sdk.samples.forEach((sdk, index) => {
    const preset = results.preset.samples[index];
    if (!preset) return;
    lines.push(
      `| ${sdk.messages.toLocaleString('en')} | ${fmt(sdk.heapMiB)} | ${fmt(sdk.rssMiB)} | ${fmt(sdk.fileMiB)} | ${fmt(preset.heapMiB)} | ${fmt(preset.rssMiB)} | ${fmt(preset.fileMiB)} |`,
    );
  });
  lines.push(
    '',
    `Messages/s through the bot: SDK alone ${(MESSAGES / results.sdk.seconds).toFixed(0)}, with the preset ${(MESSAGES / results.preset.seconds).toFixed(0)} (checkpoints included).`,
  );
  writeSection('frameworks', 'mezon', lines.join('\n'));
}

await main();
