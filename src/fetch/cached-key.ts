import { createHash } from 'node:crypto';

/** Keys longer than this are replaced by their digest, so store keys stay short and still distinct. */
const MAX_PLAIN_KEY = 200;
const MAX_DEPTH = 64;

function refuse(path: string, what: string): never {
  throw new TypeError(
    `${path} of a cached() function is ${what}, which cannot be keyed faithfully; give cached() a \`key\` option`,
  );
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Sorted so that two collections with the same members in another order give one key. */
function sortedJoin(parts: string[]): string {
  return parts.sort().join(',');
}

function encode(value: unknown, path: string, depth: number, seen: Set<object>): string {
  switch (typeof value) {
    case 'undefined':
      return 'u';
    case 'boolean':
      return value ? 't' : 'f';
    case 'number':
      if (Number.isNaN(value)) return 'NaN';
      if (value === Number.POSITIVE_INFINITY) return 'Inf';
      if (value === Number.NEGATIVE_INFINITY) return '-Inf';
      return String(value); // -0 prints as 0: the same key as 0
    case 'bigint':
      return `${value}n`;
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'n';
      if (depth >= MAX_DEPTH) refuse(path, `nested deeper than ${MAX_DEPTH} levels`);
      if (seen.has(value)) refuse(path, 'a circular reference');
      seen.add(value);
      const inner = (item: unknown, at: string): string => encode(item, at, depth + 1, seen);
      let out: string;
      if (Array.isArray(value)) {
        const items: string[] = [];
        for (let i = 0; i < value.length; i++) items.push(inner(value[i], `${path}[${i}]`));
        out = `[${items.join(',')}]`;
      } else if (value instanceof Date) {
        out = `Date(${Number.isNaN(value.getTime()) ? 'NaN' : value.toISOString()})`;
      } else if (value instanceof Map) {
        const pairs: string[] = [];
        for (const [k, v] of value) pairs.push(`${inner(k, `${path} key`)}=>${inner(v, `${path}.get()`)}`);
        out = `Map{${sortedJoin(pairs)}}`;
      } else if (value instanceof Set) {
        const members: string[] = [];
        for (const member of value) members.push(inner(member, `${path} member`));
        out = `Set{${sortedJoin(members)}}`;
      } else if (value instanceof Uint8Array) {
        out = `bytes(${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')})`;
      } else if (isPlainObject(value)) {
        const props: string[] = [];
        for (const key of Object.keys(value)) {
          props.push(
            `${JSON.stringify(key)}:${inner((value as Record<string, unknown>)[key], `${path}.${key}`)}`,
          );
        }
        out = `{${sortedJoin(props)}}`;
      } else {
        refuse(path, `an instance of ${value.constructor?.name ?? 'a class'}`);
      }
      seen.delete(value);
      return out;
    }
    default:
      return refuse(path, `a ${typeof value}`);
  }
}

/**
 * The cache key of a call's arguments: one key per distinct argument list, the same key for equal ones.
 * `null`, `undefined`, missing arguments, NaN and ±Infinity are all told apart; object keys, Map entries
 * and Set members are sorted, so `{a, b}` and `{b, a}` share a key; Dates key by their instant.
 * @throws TypeError for arguments that cannot be keyed faithfully (class instances, functions, symbols,
 *   circular structures), naming the argument.
 */
export function argumentsKey(args: readonly unknown[]): string {
  const seen = new Set<object>();
  const parts = args.map((arg, i) => encode(arg, `argument ${i + 1}`, 0, seen));
  const key = `(${parts.join(',')})`;
  return key.length <= MAX_PLAIN_KEY ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}
