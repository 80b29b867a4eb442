/**
 * A real mezon-sdk MezonClient for tests, built in a temporary working directory: its constructor
 * writes ./mezon-cache/*.db and appends to ./.gitignore relative to the cwd, which must not be the repo.
 * Without login() it has no REST managers, but its own EventEmitter delivers events exactly as the
 * socket manager does after login (`client.emit(name, payload)`).
 *
 * Its message queue runs a `while (true)` timer loop with no stop method, so a test file that builds
 * one must run in its own process (vitest's `forks` pool, which this repo uses); `dispose()` releases
 * everything else.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MezonClient } from 'mezon-sdk';
import type {
  AddClanUserEvent,
  ChannelCreatedEvent,
  ChannelDeletedEvent,
  ChannelMessage,
  ChannelUpdatedEvent,
  MessageReaction,
  RoleAssignedEvent,
  RoleEvent,
  UserChannelAddedEvent,
  UserChannelRemoved,
  UserClanRemovedEvent,
  VoiceJoinedEvent,
  VoiceLeavedEvent,
} from '../../../src/platforms/mezon/sdk-types.js';

export const BOT_ID = '1840000000000000001';

/** Event names mapped to the SDK's payload types, so tests cannot send a payload of the wrong shape. */
export interface MezonEventPayloads {
  channel_message: ChannelMessage;
  message_reaction_event: MessageReaction;
  channel_created_event: ChannelCreatedEvent;
  channel_updated_event: ChannelUpdatedEvent;
  channel_deleted_event: ChannelDeletedEvent;
  user_channel_added_event: UserChannelAddedEvent;
  user_channel_removed_event: UserChannelRemoved;
  add_clan_user_event: AddClanUserEvent;
  user_clan_removed_event: UserClanRemovedEvent;
  role_event: RoleEvent;
  role_assign_event: RoleAssignedEvent;
  voice_joined_event: VoiceJoinedEvent;
  voice_leaved_event: VoiceLeavedEvent;
}

export interface MezonTestClient {
  readonly client: MezonClient;
  readonly dir: string;
  /** Emits an event through the client's own emitter, as the SDK's socket manager does. */
  deliver<E extends keyof MezonEventPayloads>(event: E, payload: MezonEventPayloads[E]): void;
  /** Emits anything, for malformed-payload tests. */
  deliverRaw(event: string, payload: unknown): void;
  dispose(): void;
}

/** Where the client logs in; the default is a closed port, for tests that never call login(). */
export interface MezonTestServer {
  readonly host: string;
  readonly port: string;
}

export function createMezonTestClient(
  botId = BOT_ID,
  server: MezonTestServer = { host: '127.0.0.1', port: '9' },
): MezonTestClient {
  const dir = mkdtempSync(join(tmpdir(), 'botcache-mezon-'));
  const previous = process.cwd();
  process.chdir(dir);
  let client: MezonClient;
  try {
    client = new MezonClient({
      botId,
      token: 'test-token',
      host: server.host,
      port: server.port,
      useSSL: false,
    });
  } finally {
    process.chdir(previous);
  }
  return {
    client,
    dir,
    deliver: (event, payload) => {
      client.emit(event, payload);
    },
    deliverRaw: (event, payload) => {
      client.emit(event, payload);
    },
    dispose: () => {
      client.removeAllListeners();
      // After a login the socket is open (and pings every 10 s): close it as the SDK's own shutdown does.
      if (client.clans !== undefined) client.closeSocket();
      // The SDK never closes its SQLite handle; close it so the temp dir can go.
      const db = (client as unknown as { messageDB?: { db?: { close(): void } } }).messageDB?.db;
      db?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
