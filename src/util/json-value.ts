/**
 * Values are JSON-compatible so that every store (memory, Redis, SQLite) holds and returns the same
 * thing, and the stored form stays readable from any language.
 */

const MAX_DEPTH = 256;

function fail(path: string, what: string): never {
  throw new TypeError(
    `${path} is ${what}; values must be JSON-compatible (plain objects, arrays, strings, finite numbers, booleans, null)`,
  );
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Deep-copies a JSON-compatible value and freezes the copy, so that neither the writer's later
 * mutations nor a reader's can change what the store holds.
 * @throws TypeError naming the path of the first value that is not JSON-compatible.
 */
export function frozenJsonCopy<T>(value: T, path = 'value'): T {
  return walk(value, path, 0, new Set<object>(), true) as T;
}

/**
 * One walk for both jobs, so the copy and the check can never disagree on what is JSON-compatible:
 * with `build` it returns a frozen deep copy, without it only checks (and returns nothing useful).
 */
function walk(value: unknown, path: string, depth: number, seen: Set<object>, build: boolean): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) fail(path, `a non-finite number (${value})`);
      return value;
    case 'object': {
      if (value === null) return null;
      if (depth >= MAX_DEPTH) throw new RangeError(`${path} is nested deeper than ${MAX_DEPTH} levels`);
      if (seen.has(value)) fail(path, 'a circular reference');
      seen.add(value);
      let out: unknown;
      if (Array.isArray(value)) {
        const arr = build ? new Array<unknown>(value.length) : undefined;
        for (let i = 0; i < value.length; i++) {
          const item = walk(value[i], `${path}[${i}]`, depth + 1, seen, build);
          if (arr) arr[i] = item;
        }
        out = arr ? Object.freeze(arr) : value;
      } else {
        if (!isPlainObject(value)) fail(path, `an instance of ${value.constructor?.name ?? 'a class'}`);
        const obj: Record<string, unknown> | undefined = build ? {} : undefined;
        for (const key in value) {
          if (!Object.hasOwn(value, key)) continue;
          const item = (value as Record<string, unknown>)[key];
          if (item === undefined) continue; // JSON drops undefined properties too.
          const copied = walk(item, `${path}.${key}`, depth + 1, seen, build);
          if (!obj) continue;
          // Plain assignment of "__proto__" would change the prototype; define it as data instead.
          if (key === '__proto__') Object.defineProperty(obj, key, { value: copied, enumerable: true });
          else obj[key] = copied;
        }
        out = obj ? Object.freeze(obj) : value;
      }
      seen.delete(value);
      return out;
    }
    case 'undefined':
      return fail(path, 'undefined (delete the key instead)');
    default:
      return fail(path, `a ${typeof value}`);
  }
}

/** Checks that a value is JSON-compatible without copying it. */
export function assertJsonCompatible(value: unknown, path = 'value'): void {
  walk(value, path, 0, new Set<object>(), false);
}
