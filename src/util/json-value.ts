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
  return copy(value, path, 0, new Set<object>()) as T;
}

function copy(value: unknown, path: string, depth: number, seen: Set<object>): unknown {
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
        const arr = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) arr[i] = copy(value[i], `${path}[${i}]`, depth + 1, seen);
        out = Object.freeze(arr);
      } else {
        if (!isPlainObject(value)) fail(path, `an instance of ${value.constructor?.name ?? 'a class'}`);
        // defineProperty keeps a key named "__proto__" as plain data instead of changing the prototype.
        const obj: Record<string, unknown> = {};
        for (const key in value) {
          if (!Object.hasOwn(value, key)) continue;
          const item = (value as Record<string, unknown>)[key];
          if (item === undefined) continue; // JSON drops undefined properties too.
          const copied = copy(item, `${path}.${key}`, depth + 1, seen);
          // Plain assignment of "__proto__" would change the prototype; define it as data instead.
          if (key === '__proto__') Object.defineProperty(obj, key, { value: copied, enumerable: true });
          else obj[key] = copied;
        }
        out = Object.freeze(obj);
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
  frozenJsonCopy(value, path);
}
