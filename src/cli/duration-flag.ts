import { type Duration, parseDuration } from '../util/duration.js';
import { UsageError } from './usage-error.js';

/** A duration option ('2s', '500ms', or plain milliseconds) of at least `minMs`; `fallback` when absent. */
export function durationFlag(raw: string | undefined, flag: string, fallback: number, minMs: number): number {
  if (raw === undefined) return fallback;
  let ms: number;
  try {
    ms = parseDuration((/^\d+$/.test(raw) ? Number(raw) : raw) as Duration, flag);
  } catch {
    ms = Number.NaN;
  }
  if (!(ms >= minMs) || !Number.isFinite(ms))
    throw new UsageError(`${flag} must be a duration of at least ${minMs}ms, e.g. 2s (got ${raw})`);
  return ms;
}
