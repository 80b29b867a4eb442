/**
 * What one process tells the others after it changed the far store: which entries (namespace and
 * key) and which whole namespaces their near copies must drop. `origin` names the sender, so a
 * process skips its own messages (its near copy is already up to date).
 */
export interface InvalidationMessage {
  readonly origin: string;
  /** Entries to drop, as [namespace, key] pairs. */
  readonly keys: readonly (readonly [ns: string, key: string])[];
  /** Namespaces to drop entirely (clear, clearIndex with deleteEntries, far-side eviction). */
  readonly namespaces: readonly string[];
}

/** JSON on the wire: keys may hold any character, and any language can read it. */
export function encodeInvalidation(message: InvalidationMessage): string {
  return JSON.stringify({ o: message.origin, k: message.keys, n: message.namespaces });
}

/** Parses a message; undefined for anything that is not one (a foreign publisher on the channel). */
export function decodeInvalidation(text: string): InvalidationMessage | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { o, k, n } = raw as Record<string, unknown>;
  if (typeof o !== 'string' || !Array.isArray(k) || !Array.isArray(n)) return undefined;
  const keys = k.filter(
    (pair): pair is [string, string] =>
      Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string',
  );
  const namespaces = n.filter((ns): ns is string => typeof ns === 'string');
  return { origin: o, keys, namespaces };
}
