import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonSize } from '../../src/util/json-size.js';

/** JSON text size without escape backslashes, the quantity jsonSize promises. */
function expected(value: unknown): number {
  const text = JSON.stringify(value);
  const escapes = text.match(/\\(?:u[0-9a-f]{4}|.)/g) ?? [];
  // An escape like \n is 2 bytes in the text for 1 character; \u0001 is 6 for 1.
  const extra = escapes.reduce((sum, seq) => sum + seq.length - 1, 0);
  return Buffer.byteLength(text, 'utf8') - extra;
}

describe('jsonSize', () => {
  it('equals the UTF-8 size of JSON.stringify for any JSON value (escapes aside)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        expect(jsonSize(value)).toBe(expected(value));
      }),
      { numRuns: 500 },
    );
  });

  it('counts astral and multi-byte characters by their UTF-8 size', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (text) => {
        expect(jsonSize({ text })).toBe(expected({ text }));
      }),
    );
  });

  it('stops counting past the bound and survives cycles and shared fan-out', () => {
    const huge = Array.from({ length: 100_000 }, () => 'x'.repeat(100));
    expect(jsonSize(huge, 1000)).toBeGreaterThan(1000);
    expect(jsonSize(huge, 1000)).toBeLessThan(2000);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(jsonSize(cyclic)).toBeGreaterThan(0);
    // 2^40 paths through 40 shared levels: the bound keeps this cheap.
    let shared: unknown = 'leaf';
    for (let i = 0; i < 40; i++) shared = [shared, shared];
    expect(jsonSize(shared, 10_000)).toBeGreaterThan(10_000);
  });
});
