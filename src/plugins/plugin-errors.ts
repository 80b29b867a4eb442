/** Errors the plugin manager reports through its `error` event. Each names the plugin concerned. */

/** Where a handler failure happened. */
export interface PluginErrorOrigin {
  readonly plugin: string;
  /** The command word, or undefined for `onMessage`. */
  readonly command: string | undefined;
  readonly messageId: string;
}

/** A plugin handler threw or rejected. `cause` holds what it threw. */
export class PluginError extends Error {
  readonly plugin: string;
  readonly command: string | undefined;
  readonly messageId: string;

  constructor(message: string, origin: PluginErrorOrigin, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.plugin = origin.plugin;
    this.command = origin.command;
    this.messageId = origin.messageId;
  }
}

/** A handler ran longer than the manager's `timeout`; its slot was released (the handler was signalled). */
export class PluginTimeoutError extends PluginError {}

/** The queue of waiting handlers was full, so this handler was dropped without running. */
export class PluginOverloadError extends PluginError {}
