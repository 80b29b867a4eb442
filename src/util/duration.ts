import { maxTtl } from './validate.js';

/** A duration: milliseconds as a number, or a string such as `'500ms'`, `'30s'`, `'5m'`, `'1h'`, `'2d'`. */
export type Duration = number | `${number}${'ms' | 's' | 'm' | 'h' | 'd'}`;

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/**
 * Turns a {@link Duration} into milliseconds. `Infinity` is allowed and means "never".
 * @param name the option's name, used in the error message.
 * @throws RangeError naming the option when the value is not a positive duration.
 */
export function parseDuration(value: Duration, name: string): number {
  if (typeof value === 'number') {
    if (value === Number.POSITIVE_INFINITY || (Number.isFinite(value) && value > 0 && value <= maxTtl()))
      return value;
    throw new RangeError(
      `${name} must be a positive number of milliseconds up to ${maxTtl()} (an expiry must be a Date), or Infinity (got ${value})`,
    );
  }
  if (typeof value === 'string') {
    const match = DURATION_PATTERN.exec(value.trim());
    if (match) {
      const ms = Number(match[1]) * (UNIT_MS[match[2] as string] as number);
      if (ms > 0 && ms <= maxTtl()) return ms;
    }
    throw new RangeError(
      `${name} must be a duration such as '500ms', '30s', '5m', '1h' or '2d' (got '${value}')`,
    );
  }
  throw new RangeError(`${name} must be a number of milliseconds or a duration string (got ${typeof value})`);
}

/** The longest delay a Node.js timer keeps: a longer one fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * An optional timer option (a timeout, an interval, a delay) as milliseconds: `fallback` when it is
 * undefined, else a finite {@link Duration} a Node.js timer can wait.
 * @throws RangeError naming the option otherwise.
 */
export function timerDuration(value: Duration | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = typeof value === 'number' ? value : parseDuration(value, name);
  if (!(ms > 0) || ms > MAX_TIMER_MS) {
    throw new RangeError(
      `${name} must be a positive duration up to ${MAX_TIMER_MS} ms (about 24.8 days), in ms or such as '30s' (got ${String(value)})`,
    );
  }
  return ms;
}
