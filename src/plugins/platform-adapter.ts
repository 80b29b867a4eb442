/**
 * The tiny seam between the plugin dispatcher and a chat platform: it reads the few fields the
 * dispatcher needs out of a platform's raw message, and optionally sends a reply.
 */

/** The platform-neutral view of a chat message that routing works on. */
export interface IncomingMessage {
  /** The message's plain text; empty when it has none (an attachment, an embed). */
  readonly text: string;
  readonly messageId: string;
  readonly channelId: string;
  readonly authorId: string;
  /** The guild (Mezon: clan) the message was sent in; undefined in direct messages. */
  readonly guildId: string | undefined;
  /** True for messages the bot itself (or another bot, where the platform says so) sent: never dispatched. */
  readonly fromBot: boolean;
}

/** Reads raw messages of one platform. `Msg` is the platform's own message type. */
export interface PlatformAdapter<Msg> {
  /** A short name for logs, e.g. `'mezon'` or `'discord'`. */
  readonly platform: string;
  /** The neutral view of a message, or undefined when the message is not something to dispatch. */
  read(message: Msg): IncomingMessage | undefined;
  /** Sends a plain-text reply to a message. Platforms without it make `context.reply` reject. */
  reply?(message: Msg, text: string): Promise<void>;
}
