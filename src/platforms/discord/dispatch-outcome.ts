import type { DiscordDispatchError } from './dispatch-error.js';

/**
 * What `apply()` did with a dispatch:
 * - `applied`: written to the cache;
 * - `ignored`: an event the cache does not track (TYPING_START, RESUMED…);
 * - `buffered`: it belongs to a guild whose GUILD_CREATE has not come yet. It waits (in order) and is
 *   applied right after that GUILD_CREATE, or dropped after `bufferTimeout` (the `dropped` event says so);
 * - `dropped`: it waited for a guild that left or never came;
 * - `failed`: malformed, or the store failed (the same error is also emitted as `error`).
 */
export type DispatchOutcome =
  | { readonly status: 'applied' }
  | { readonly status: 'ignored' }
  | { readonly status: 'buffered'; readonly guildId: string }
  | { readonly status: 'dropped'; readonly guildId: string; readonly reason: 'expired' | 'overflow' | 'left' }
  | { readonly status: 'failed'; readonly error: DiscordDispatchError };

/** What `idle()` resolves to once every queued dispatch is applied. */
export interface DiscordIdleReport {
  /** Dispatches still waiting for their guild's GUILD_CREATE (applied when it comes, else dropped). */
  readonly buffered: number;
  /** The guilds they wait for. */
  readonly bufferedGuilds: readonly string[];
}
