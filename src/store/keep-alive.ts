import type { KeepAliveOp } from './types.js';

/** A finite expiry moves only when a keepAlive would push it back by more than this (or a tenth of the wanted TTL). */
export const KEEP_ALIVE_SLACK_MS = 1_000;

/**
 * The lifetime a keepAlive wants for its entry: the op's own `ttl`, raised to the `ttl` of every
 * reference whose index `isReferenced` finds non-empty (asked only when it would raise it).
 */
export function keepAliveWanted(op: KeepAliveOp, isReferenced: (ns: string, by: string) => boolean): number {
  let wanted = op.ttl;
  for (const ref of op.whileReferenced) {
    if (ref.ttl > wanted && isReferenced(ref.ns, ref.by)) wanted = ref.ttl;
  }
  return wanted;
}

/**
 * The new time to live of an entry with `remaining` ms left (`Infinity`: no expiry) that should live
 * `wanted` ms from now: `Infinity` to remove its expiry, a finite TTL to set, or undefined to leave it.
 * Never shortens a finite expiry; an entry without one takes the finite TTL it is owed.
 */
export function keptAliveTtl(remaining: number, wanted: number): number | undefined {
  if (wanted === Number.POSITIVE_INFINITY) return remaining === Number.POSITIVE_INFINITY ? undefined : wanted;
  if (remaining === Number.POSITIVE_INFINITY) return wanted;
  return wanted > remaining + Math.min(KEEP_ALIVE_SLACK_MS, wanted / 10) ? wanted : undefined;
}
