/**
 * What the metrics read of an event adapter. Structural types, so `botcache/metrics` needs neither
 * discord.js nor mezon-sdk, and any adapter with the same counters can be observed.
 */

/** An event adapter's counters at one moment. */
export interface IngestCounts {
  readonly received: number;
  readonly applied: number;
  readonly failed: number;
  /** Malformed, unknown or expired events that were dropped without a write. */
  readonly dropped: number;
  /** Events received and not yet applied, failed or dropped. */
  readonly queueDepth: number;
}

/** One adapter under observation. */
export interface IngestSource {
  /** The `adapter` label, e.g. `'discord'` or `'mezon'`. */
  readonly name: string;
  counts(): IngestCounts;
  /** Stops observing (restores what was wrapped). */
  stop(): void;
}

/** The part of `DiscordEventManager` the metrics use. */
export interface DiscordManagerLike {
  handle(payload: unknown): void;
  apply(payload: unknown): Promise<unknown>;
  readonly buffered: number;
  readonly stats: Readonly<{
    received: number;
    applied: number;
    failed: number;
    dropped: number;
    ignored: number;
  }>;
}

/** The part of `attachMezon`'s handle the metrics use. */
export interface MezonAttachmentLike {
  readonly stats: Readonly<{ received: number; applied: number; failed: number; malformed: number }>;
  on(event: 'applied', listener: (info: { readonly seconds: number }) => void): unknown;
  off(event: 'applied', listener: (info: { readonly seconds: number }) => void): unknown;
}

/** Lag listeners per manager: the first installs the shadow of `handle()`, the last removes it. */
const lagListeners = new WeakMap<DiscordManagerLike, Set<(seconds: number) => void>>();
const originalHandles = new WeakMap<DiscordManagerLike, unknown>();

/**
 * Observes a Discord event manager. `handle()` is shadowed by a call to `apply()` (the same queue, the
 * same order) so the time from receipt to application is known; `stop()` removes the shadow once no
 * observer is left.
 */
export function discordSource(manager: DiscordManagerLike, lag: (seconds: number) => void): IngestSource {
  let listeners = lagListeners.get(manager);
  if (!listeners) {
    const installed = new Set<(seconds: number) => void>();
    listeners = installed;
    lagListeners.set(manager, installed);
    const target = manager as { handle: (payload: unknown) => void };
    originalHandles.set(manager, target.handle);
    target.handle = (payload: unknown): void => {
      const start = performance.now();
      // apply() never rejects: failures are counted by the manager and reported through its 'error'.
      void manager.apply(payload).then(() => {
        const seconds = (performance.now() - start) / 1000;
        for (const listener of installed) listener(seconds);
      });
    };
  }
  listeners.add(lag);
  return {
    name: 'discord',
    counts() {
      const s = manager.stats;
      const dropped = s.dropped + s.ignored;
      return {
        received: s.received,
        applied: s.applied,
        failed: s.failed,
        dropped,
        queueDepth: Math.max(0, s.received - s.applied - s.failed - dropped),
      };
    },
    stop() {
      const current = lagListeners.get(manager);
      if (!current?.delete(lag) || current.size > 0) return;
      lagListeners.delete(manager);
      // Put back, not deleted: deleting a property turns the object into a slow dictionary.
      (manager as { handle: unknown }).handle = originalHandles.get(manager);
      originalHandles.delete(manager);
    },
  };
}

/** Observes a Mezon attachment through its counters and its `applied` event (receipt to application). */
export function mezonSource(attachment: MezonAttachmentLike, lag: (seconds: number) => void): IngestSource {
  const onApplied = (info: { readonly seconds: number }): void => lag(info.seconds);
  attachment.on('applied', onApplied);
  return {
    name: 'mezon',
    counts() {
      const s = attachment.stats;
      return {
        received: s.received,
        applied: s.applied,
        failed: s.failed,
        dropped: s.malformed,
        queueDepth: Math.max(0, s.received - s.applied - s.failed - s.malformed),
      };
    },
    stop() {
      attachment.off('applied', onApplied);
    },
  };
}
