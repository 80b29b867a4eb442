import { describe, expect, it } from 'vitest';
import { type Duration, parseDuration } from '../../src/index.js';

describe('parseDuration', () => {
  it.each([
    [250, 250],
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['2d', 172_800_000],
    ['1.5s', 1_500],
    [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
  ] as [Duration, number][])('%s is %d ms', (input, ms) => {
    expect(parseDuration(input, 'ttl')).toBe(ms);
  });

  it.each([0, -1, Number.NaN, '5 minutes', '', '-5m', '0s'])(
    'refuses %s with a RangeError naming the option',
    (input) => {
      expect(() => parseDuration(input as Duration, 'limits.messages.ttl')).toThrow(RangeError);
      expect(() => parseDuration(input as Duration, 'limits.messages.ttl')).toThrow(/limits\.messages\.ttl/);
    },
  );
});
