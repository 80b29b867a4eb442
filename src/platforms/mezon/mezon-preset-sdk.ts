/**
 * The mezon-sdk internals the preset reaches, typed structurally: the SDK's `.d.ts` marks them
 * protected or does not export them (mezon-sdk 2.8: `MezonClientCore`, `structures/*`). The SDK's
 * classes are loaded from the installed package only when the preset is used, so mezon-sdk stays an
 * optional peer of `botcache/mezon`.
 */
import { createRequire } from 'node:module';
import type { SdkManagerShape } from './mezon-preset-bounded-manager.js';
import type { SdkChannel, SdkClan, SdkUser } from './sdk-objects.js';
import type { MezonClientLike } from './sdk-shapes.js';

export type SdkMessage = NonNullable<ReturnType<SdkChannel['messages']['get']>>;

/** better-sqlite3's handle, as far as the preset uses it. */
export interface SqliteHandle {
  prepare(sql: string): { run(...params: unknown[]): { changes: number } };
  close(): void;
  readonly open: boolean;
  readonly name: string;
}

/** The SDK's `MessageDatabase` (`sqlite/MessageDatabase.js`). */
export interface SdkMessageDatabase {
  db?: SqliteHandle;
  saveMessage(message: unknown): void;
  getMessageById(messageId: string, channelId: string, clanId: string): unknown;
}

/** What `MezonClientCore` holds, protected or public. Managers are undefined until login. */
export interface SdkInternals {
  clans?: SdkManagerShape<SdkClan>;
  channels?: SdkManagerShape<SdkChannel>;
  users?: SdkManagerShape<SdkUser>;
  initManager(basePath: string, session?: unknown): void;
  messageDB: SdkMessageDatabase;
  readonly socketManager?: unknown;
  readonly messageQueue?: unknown;
  readonly channelManager?: { getAllDmChannels(): Record<string, string> | undefined };
}

/** The SDK's own members of a client `mezonPreset` checked is a MezonClient. */
export function internalsOf(client: MezonClientLike): SdkInternals {
  return client as unknown as SdkInternals;
}

/** The private loader a manager was built with (`new CacheManager(fetcher, maxSize)`). */
export function fetcherOf<V>(manager: SdkManagerShape<V>): (id: string) => Promise<V> {
  const fetcher = (manager as unknown as { fetcher?: (id: string) => Promise<V> }).fetcher;
  if (typeof fetcher !== 'function') return (id) => Promise.reject(new Error(`Can not find ${id}!`));
  return fetcher;
}

type Ctor<T> = new (...args: never[]) => T;

export interface SdkClasses {
  readonly TextChannel: Ctor<SdkChannel>;
  readonly User: Ctor<SdkUser>;
  readonly Message: Ctor<SdkMessage>;
}

let classes: SdkClasses | undefined;

/** The SDK's structure classes, from the same CommonJS build `import 'mezon-sdk'` resolves to. */
export function sdkClasses(): SdkClasses {
  if (classes) return classes;
  const require = createRequire(import.meta.url);
  const base = 'mezon-sdk/dist/cjs/mezon-client/structures';
  classes = {
    TextChannel: (require(`${base}/TextChannel.js`) as { TextChannel: Ctor<SdkChannel> }).TextChannel,
    User: (require(`${base}/User.js`) as { User: Ctor<SdkUser> }).User,
    Message: (require(`${base}/Message.js`) as { Message: Ctor<SdkMessage> }).Message,
  };
  return classes;
}
