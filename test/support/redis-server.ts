/**
 * Starts real redis-server processes for tests: on free ports, in their own temp dirs, never touching
 * a server they did not start. Every process is SIGKILLed when the test process exits, even after a
 * failing test; each test file still stops what it started in afterAll.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { promisify } from 'node:util';

const run = promisify(execFile);
const HOST = '127.0.0.1';

/** Every child we spawned and have not stopped yet; killed on exit. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = (): void => {
    for (const child of live) child.kill('SIGKILL');
  };
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

/** A port nobody listens on right now: bind port 0, read it, release it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Files of a locally generated CA and server certificate, for TLS tests. */
export interface TlsFiles {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** PEM text of the CA, ready for node's `tls` options. */
  readonly ca: string;
}

export interface StartRedisOptions {
  /** Extra redis-server arguments, e.g. `['--user', 'bot', 'on', '>pw', '~*', '+@all']`. */
  readonly args?: readonly string[];
  /** Sets `requirepass` (the password of the `default` user). */
  readonly password?: string;
  /** Serve TLS only (plain port disabled), with a CA and certificate generated for this server. */
  readonly tls?: boolean;
  /** Also listen on a unix socket in the server's temp dir. */
  readonly unixSocket?: boolean;
}

export interface RedisServer {
  readonly host: string;
  readonly port: number;
  /** `redis://127.0.0.1:port` (or `rediss://` with `tls`), without credentials. */
  readonly url: string;
  /** Path of the unix socket when started with `unixSocket`. */
  readonly socketPath: string | undefined;
  /** CA and certificate files when started with `tls`. */
  readonly tls: TlsFiles | undefined;
  /** The server's temp dir. */
  readonly dir: string;
  /** Graceful stop (SIGTERM), then removes the temp dir. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would; the temp dir stays so {@link RedisServer.restart} can reuse it. */
  kill(): Promise<void>;
  /** Starts the server again on the same port (killing it first if it still runs). */
  restart(): Promise<void>;
  /** SIGSTOP: the process stops answering while its sockets stay open (a frozen or swapped-out host). */
  freeze(): void;
  /** SIGCONT after {@link RedisServer.freeze}. */
  thaw(): void;
  /** Runs a command through redis-cli against this server; resolves to its raw output. */
  cli(...args: string[]): Promise<string>;
}

/** Starts one standalone redis-server on a free port. */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'botcache-redis-'));
  const port = await freePort();
  const tls = options.tls ? await makeTlsFiles(dir) : undefined;
  const socketPath = options.unixSocket ? join(dir, 'redis.sock') : undefined;
  const args = baseArgs(dir, port, tls);
  if (socketPath) args.push('--unixsocket', socketPath, '--unixsocketperm', '700');
  if (options.password !== undefined) args.push('--requirepass', options.password);
  args.push(...(options.args ?? []));
  return launch({ dir, port, args, tls, socketPath, password: options.password });
}

function baseArgs(dir: string, port: number, tls: TlsFiles | undefined): string[] {
  const args = [
    '--bind',
    HOST,
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--logfile',
    join(dir, 'redis.log'),
  ];
  if (tls) {
    args.push('--port', '0', '--tls-port', String(port));
    args.push(
      '--tls-cert-file',
      tls.certFile,
      '--tls-key-file',
      tls.keyFile,
      '--tls-ca-cert-file',
      tls.caFile,
    );
    args.push('--tls-auth-clients', 'no');
  } else {
    args.push('--port', String(port));
  }
  return args;
}

interface LaunchSpec {
  readonly dir: string;
  readonly port: number;
  readonly args: readonly string[];
  readonly tls: TlsFiles | undefined;
  readonly socketPath: string | undefined;
  readonly password: string | undefined;
}

async function launch(spec: LaunchSpec): Promise<RedisServer> {
  installExitHook();
  let child: ChildProcess | undefined;
  let removed = false;

  const spawnIt = async (): Promise<void> => {
    const proc = spawn('redis-server', [...spec.args], { stdio: 'ignore' });
    live.add(proc);
    proc.once('exit', () => live.delete(proc));
    child = proc;
    await waitForPing(spec, proc);
  };
  const terminate = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    if (signal !== 'SIGKILL') proc.kill('SIGCONT'); // a frozen server handles SIGTERM only once thawed
    await exited;
  };

  await spawnIt();
  return {
    host: HOST,
    port: spec.port,
    url: `${spec.tls ? 'rediss' : 'redis'}://${HOST}:${spec.port}`,
    socketPath: spec.socketPath,
    tls: spec.tls,
    dir: spec.dir,
    async stop() {
      await terminate('SIGTERM');
      if (!removed) {
        removed = true;
        rmSync(spec.dir, { recursive: true, force: true });
      }
    },
    kill: () => terminate('SIGKILL'),
    async restart() {
      await terminate('SIGKILL');
      await spawnIt();
    },
    freeze() {
      child?.kill('SIGSTOP');
    },
    thaw() {
      child?.kill('SIGCONT');
    },
    async cli(...args: string[]) {
      const { stdout } = await run('redis-cli', [...cliArgs(spec), ...args]);
      return stdout;
    },
  };
}

function cliArgs(spec: LaunchSpec): string[] {
  const args = ['-h', HOST, '-p', String(spec.port)];
  if (spec.password !== undefined) args.push('-a', spec.password, '--no-auth-warning');
  if (spec.tls) args.push('--tls', '--cacert', spec.tls.caFile);
  return args;
}

/** Polls the port with a raw PING until the server answers (any reply, even NOAUTH, means it serves). */
async function waitForPing(spec: LaunchSpec, proc: ChildProcess, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`redis-server on port ${spec.port} exited early: ${readLog(spec.dir)}`);
    }
    if (await pingOnce(spec.port, spec.tls !== undefined)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  proc.kill('SIGKILL');
  throw new Error(
    `redis-server on port ${spec.port} did not answer PING in ${timeoutMs} ms: ${readLog(spec.dir)}`,
  );
}

function pingOnce(port: number, tls: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const socket: Socket = tls
      ? tlsConnect({ host: HOST, port, rejectUnauthorized: false })
      : new Socket().connect(port, HOST);
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once(tls ? 'secureConnect' : 'connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.length > 0 && (data[0] === 0x2b || data[0] === 0x2d)));
  });
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'redis.log'), 'utf8').split('\n').slice(-10).join('\n');
  } catch {
    return '(no log)';
  }
}

async function makeTlsFiles(dir: string): Promise<TlsFiles> {
  const caKey = join(dir, 'ca.key');
  const caFile = join(dir, 'ca.crt');
  const keyFile = join(dir, 'server.key');
  const csr = join(dir, 'server.csr');
  const certFile = join(dir, 'server.crt');
  const ext = join(dir, 'server.ext');
  await run('openssl', ['genrsa', '-out', caKey, '2048']);
  await run('openssl', [
    'req',
    '-x509',
    '-new',
    '-key',
    caKey,
    '-sha256',
    '-days',
    '2',
    '-subj',
    '/CN=botcache test CA',
    '-out',
    caFile,
  ]);
  await run('openssl', ['genrsa', '-out', keyFile, '2048']);
  await run('openssl', ['req', '-new', '-key', keyFile, '-subj', '/CN=localhost', '-out', csr]);
  await run('sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > '${ext}'`]);
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    caFile,
    '-CAkey',
    caKey,
    '-CAcreateserial',
    '-days',
    '2',
    '-sha256',
    '-extfile',
    ext,
    '-out',
    certFile,
  ]);
  return { caFile, certFile, keyFile, ca: readFileSync(caFile, 'utf8') };
}

// ---- Cluster ---------------------------------------------------------------------------------------

export interface StartRedisClusterOptions {
  /** Master nodes (at least 3, as redis-cli requires). Default 3. */
  readonly masters?: number;
  /** Replicas per master. Default 0 (keeps the suite fast on small machines). */
  readonly replicas?: number;
  /** Turns the append-only file on with this fsync policy (a restarted node keeps its data). Default off. */
  readonly appendfsync?: 'always' | 'everysec';
}

export interface RedisClusterHandle {
  /** Every node started so far, including masters added by {@link RedisClusterHandle.addMaster}. */
  readonly nodes: readonly { readonly host: string; readonly port: number }[];
  /** Seed nodes in the shape node-redis's `createCluster({ rootNodes })` takes. */
  readonly rootNodes: readonly { readonly url: string }[];
  /** One node, to kill or restart it. */
  node(index: number): RedisServer;
  /** Starts one more node and joins it as a master that owns no slot yet; resolves to its index. */
  addMaster(): Promise<number>;
  /** Stops every node and removes their temp dirs. */
  stop(): Promise<void>;
}

/** Starts a local Redis Cluster with `redis-cli --cluster create` and waits until every node says ok. */
export async function startRedisCluster(options: StartRedisClusterOptions = {}): Promise<RedisClusterHandle> {
  const masters = options.masters ?? 3;
  const replicas = options.replicas ?? 0;
  if (masters < 3) throw new RangeError(`masters must be at least 3 (got ${masters})`);
  const total = masters * (1 + replicas);
  const servers: RedisServer[] = [];
  try {
    for (let i = 0; i < total; i++) servers.push(await launchClusterNode(options.appendfsync));
    await run('redis-cli', [
      '--cluster',
      'create',
      ...servers.map((s) => `${s.host}:${s.port}`),
      '--cluster-replicas',
      String(replicas),
      '--cluster-yes',
    ]);
    await waitForClusterOk(servers);
  } catch (error) {
    await Promise.all(servers.map((s) => s.stop()));
    throw error;
  }
  const nodes = servers.map((s) => ({ host: s.host, port: s.port }));
  return {
    nodes,
    rootNodes: servers.slice(0, masters).map((s) => ({ url: s.url })),
    async addMaster() {
      const server = await launchClusterNode(options.appendfsync);
      servers.push(server);
      nodes.push({ host: server.host, port: server.port });
      const existing = servers[0] as RedisServer;
      await run('redis-cli', [
        '--cluster',
        'add-node',
        `${server.host}:${server.port}`,
        `${existing.host}:${existing.port}`,
      ]);
      // redis-cli refuses to rebalance until every node agrees on the membership.
      const deadline = Date.now() + 20_000;
      for (;;) {
        const check = await run('redis-cli', [
          '--cluster',
          'check',
          `${existing.host}:${existing.port}`,
        ]).then(
          ({ stdout }) => stdout,
          (error: { stdout?: string }) => error.stdout ?? '',
        );
        if (check.includes('[OK] All nodes agree about slots configuration.')) break;
        if (Date.now() > deadline) throw new Error(`the new master was not agreed on: ${check.slice(-500)}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      // ...and every node must know the new one by id, or MIGRATE to it fails with "Unknown node".
      const id = (await server.cli('CLUSTER', 'MYID')).trim();
      for (const node of servers) {
        for (;;) {
          if ((await node.cli('CLUSTER', 'NODES')).includes(id)) break;
          if (Date.now() > deadline) throw new Error(`node ${node.port} never learnt the new master ${id}`);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
      await waitForClusterOk(servers);
      return servers.length - 1;
    },
    node(index) {
      const server = servers[index];
      if (!server) throw new RangeError(`index must be below ${servers.length} (got ${index})`);
      return server;
    },
    async stop() {
      await Promise.all(servers.map((s) => s.stop()));
    },
  };
}

/** One cluster-enabled redis-server (node timeout 2 s), not yet part of any cluster. */
async function launchClusterNode(appendfsync?: 'always' | 'everysec'): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'botcache-cluster-'));
  const port = await freePort();
  const busPort = await freePort();
  const args = baseArgs(dir, port, undefined);
  args.push('--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf'));
  args.push('--cluster-node-timeout', '2000', '--cluster-port', String(busPort));
  // A test replica must always be allowed to take over, however long ago it last synced.
  args.push('--cluster-replica-validity-factor', '0');
  if (appendfsync) args.push('--appendonly', 'yes', '--appendfsync', appendfsync);
  return launch({ dir, port, args, tls: undefined, socketPath: undefined, password: undefined });
}

async function waitForClusterOk(servers: readonly RedisServer[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const infos = await Promise.all(servers.map((s) => s.cli('cluster', 'info').catch(() => '')));
    if (infos.every((info) => info.includes('cluster_state:ok'))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the local cluster did not reach cluster_state:ok in ${timeoutMs} ms`);
}
