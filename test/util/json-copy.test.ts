import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonSize } from '../../src/util/json-size.js';
import {
  checkedJsonSize,
  frozenJsonCopy,
  frozenJsonCopyWithin,
  OVERSIZED,
} from '../../src/util/json-value.js';

function isDeepFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(isDeepFrozen);
}

describe('one walk: check, size and frozen copy together', () => {
  it('copies and measures any JSON value exactly as frozenJsonCopy and jsonSize do', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const copy = frozenJsonCopyWithin(value, Number.POSITIVE_INFINITY);
        expect(copy).toEqual(frozenJsonCopy(value));
        expect(isDeepFrozen(copy)).toBe(true);
        expect(checkedJsonSize(value, Number.POSITIVE_INFINITY)).toBe(jsonSize(value));
      }),
      { numRuns: 500 },
    );
  });

  it('says oversized exactly when jsonSize is over the limit', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.integer({ min: 1, max: 400 }), (value, limit) => {
        const over = jsonSize(value) > limit;
        expect(frozenJsonCopyWithin(value, limit) === OVERSIZED).toBe(over);
        expect(checkedJsonSize(value, limit) === OVERSIZED).toBe(over);
      }),
      { numRuns: 500 },
    );
  });

  it('names the path of the first bad value, like the copying walk', () => {
    const cyclic: Record<string, unknown> = { a: [1, 2] };
    cyclic.self = { back: cyclic };
    let deep: unknown = 1;
    for (let i = 0; i < 300; i++) deep = [deep];
    const bad: unknown[] = [
      { a: { b: [1, Number.NaN] } },
      { when: new Date(0) },
      cyclic,
      { f: () => 1 },
      [undefined],
      { big: 10n },
      deep,
      undefined,
    ];
    for (const value of bad) {
      let expected: unknown;
      try {
        frozenJsonCopy(value, 'ops[3].value');
      } catch (error) {
        expected = error;
      }
      expect(expected).toBeInstanceOf(Error);
      expect(() => frozenJsonCopyWithin(value, Number.POSITIVE_INFINITY, 'ops[3].value')).toThrow(
        (expected as Error).message,
      );
      expect(() => checkedJsonSize(value, Number.POSITIVE_INFINITY, 'ops[3].value')).toThrow(
        (expected as Error).message,
      );
    }
  });

  it('keeps "__proto__" as data and never changes the copy prototype', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as object;
    const copy = frozenJsonCopyWithin(value, Number.POSITIVE_INFINITY) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('sharingCopies', () => {
  it('copies an object handed over twice once, and sizes it the same both times', async () => {
    const { sharingCopies } = await import('../../src/util/json-value.js');
    const user = { id: '1', username: 'a' };
    const member = { user, roles: ['r'] };
    const [memberCopy, userCopy] = sharingCopies(() => [
      frozenJsonCopyWithin(member, Number.POSITIVE_INFINITY),
      frozenJsonCopyWithin(user, Number.POSITIVE_INFINITY),
    ]) as [{ user: unknown }, unknown];
    expect(userCopy).toEqual(user);
    expect(memberCopy.user).toBe(userCopy);
    expect(checkedJsonSize(user, 1000)).toBe(jsonSize(user));
    // Outside sharingCopies every call copies afresh.
    expect(frozenJsonCopyWithin(user, Number.POSITIVE_INFINITY)).not.toBe(userCopy);
    // The size limit still sees the shared part.
    const sizes = sharingCopies(() => [
      frozenJsonCopyWithin(member, Number.POSITIVE_INFINITY),
      frozenJsonCopyWithin({ again: user }, jsonSize({ again: user }) - 1),
    ]);
    expect(sizes[1]).toBe(OVERSIZED);
  });
});
