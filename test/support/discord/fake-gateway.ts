/**
 * The WebSocket half of the fake Discord: gateway v10 JSON (no compression). HELLO on connect,
 * IDENTIFY -> READY then one GUILD_CREATE per scenario guild, heartbeat -> ack, RESUME -> replay of
 * the dispatches the session missed + RESUMED, and test controls to dispatch, force a reconnect (op 7)
 * or drop the socket. Every dispatch of a session is logged with its sequence so RESUME can replay it.
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  type APIUser,
  type GatewayGuildCreateDispatchData,
  type GatewayIdentifyData,
  GatewayOpcodes,
  type GatewayResumeData,
} from 'discord-api-types/v10';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';

/** What the gateway tells a bot when it identifies. */
export interface GatewayScenario {
  /** The bot user, sent in READY. */
  user: APIUser;
  /** Guilds listed (unavailable) in READY and then sent as GUILD_CREATE, in order. */
  guilds: GatewayGuildCreateDispatchData[];
}

interface LoggedDispatch {
  readonly op: GatewayOpcodes.Dispatch;
  readonly t: string;
  readonly s: number;
  readonly d: unknown;
}

interface Session {
  readonly id: string;
  readonly shard: readonly [number, number];
  sequence: number;
  readonly log: LoggedDispatch[];
  socket: WebSocket | undefined;
}

export interface FakeGatewayEvents {
  identify: [data: GatewayIdentifyData];
  resume: [data: GatewayResumeData];
  heartbeat: [];
  /** A session finished sending READY and its GUILD_CREATEs. */
  ready: [sessionId: string];
  resumed: [sessionId: string, replayed: number];
}

export class FakeGateway extends EventEmitter<FakeGatewayEvents> {
  readonly identifies: GatewayIdentifyData[] = [];
  readonly resumes: GatewayResumeData[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();
  private nextSessionId = 1;

  constructor(
    public scenario: GatewayScenario,
    private readonly url: () => string,
    private readonly heartbeatInterval = 41_250,
  ) {
    super();
    this.wss.on('connection', (socket) => this.onConnection(socket));
  }

  /** Takes over WebSocket upgrades of an HTTP server. */
  attach(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.wss.handleUpgrade(request, socket, head, (ws) => this.wss.emit('connection', ws, request));
    });
  }

  /** Sends a dispatch to every session; a disconnected session keeps it for replay on RESUME. */
  dispatch(t: string, d: unknown): void {
    for (const session of this.sessions.values()) this.send(session, t, d);
  }

  /** The highest sequence number sent to any session. */
  get sequence(): number {
    let highest = 0;
    for (const session of this.sessions.values()) highest = Math.max(highest, session.sequence);
    return highest;
  }

  /** Asks every connected client to reconnect and resume (op 7). */
  requestReconnect(): void {
    for (const session of this.sessions.values()) {
      session.socket?.send(JSON.stringify({ op: GatewayOpcodes.Reconnect, d: null }));
      // Like Discord, nothing more goes down a socket told to reconnect: later dispatches wait for RESUME.
      session.socket = undefined;
    }
  }

  /** Closes every socket with a code after which clients resume (4000: unknown error). */
  dropConnections(code = 4000): void {
    for (const session of this.sessions.values()) {
      session.socket?.close(code, 'dropped by the test');
      session.socket = undefined;
    }
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onConnection(socket: WebSocket): void {
    let session: Session | undefined;
    socket.send(
      JSON.stringify({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.heartbeatInterval } }),
    );
    socket.on('message', (raw: RawData) => {
      const message = JSON.parse(raw.toString()) as { op: number; d: unknown };
      switch (message.op) {
        case GatewayOpcodes.Heartbeat:
          socket.send(JSON.stringify({ op: GatewayOpcodes.HeartbeatAck }));
          this.emit('heartbeat');
          break;
        case GatewayOpcodes.Identify:
          session = this.identify(socket, message.d as GatewayIdentifyData);
          break;
        case GatewayOpcodes.Resume:
          session = this.resume(socket, message.d as GatewayResumeData);
          break;
        default:
          break;
      }
    });
    socket.on('close', (code) => {
      if (session?.socket === socket) session.socket = undefined;
      // A normal close ends the session; other codes (4200 resuming, 4000) keep it resumable.
      if (session && (code === 1000 || code === 1001)) this.sessions.delete(session.id);
    });
  }

  private identify(socket: WebSocket, data: GatewayIdentifyData): Session {
    this.identifies.push(data);
    this.emit('identify', data);
    const session: Session = {
      id: `session-${this.nextSessionId++}`,
      shard: data.shard ?? [0, 1],
      sequence: 0,
      log: [],
      socket,
    };
    this.sessions.set(session.id, session);
    this.send(session, 'READY', {
      v: 10,
      user: this.scenario.user,
      guilds: this.scenario.guilds.map((guild) => ({ id: guild.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.url(),
      shard: session.shard,
      application: { id: this.scenario.user.id, flags: 0 },
    });
    for (const guild of this.scenario.guilds) this.send(session, 'GUILD_CREATE', guild);
    this.emit('ready', session.id);
    return session;
  }

  private resume(socket: WebSocket, data: GatewayResumeData): Session | undefined {
    this.resumes.push(data);
    this.emit('resume', data);
    const session = this.sessions.get(data.session_id);
    if (!session) {
      socket.send(JSON.stringify({ op: GatewayOpcodes.InvalidSession, d: false }));
      return undefined;
    }
    session.socket = socket;
    const missed = session.log.filter((entry) => entry.s > data.seq);
    for (const entry of missed) socket.send(JSON.stringify(entry));
    this.send(session, 'RESUMED', null);
    this.emit('resumed', session.id, missed.length);
    return session;
  }

  private send(session: Session, t: string, d: unknown): void {
    session.sequence += 1;
    const entry: LoggedDispatch = { op: GatewayOpcodes.Dispatch, t, s: session.sequence, d };
    session.log.push(entry);
    session.socket?.send(JSON.stringify(entry));
  }
}
