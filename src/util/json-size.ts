/**
 * A cheap measure of how big a value is as JSON, used to refuse oversized values before any backend
 * encodes or copies them. It walks the value once without building the JSON text.
 */

/** Default most bytes of JSON one stored value may take: 1 MiB. */
export const DEFAULT_MAX_VALUE_SIZE = 1024 * 1024;

const MAX_DEPTH = 256;

/**
 * The UTF-8 size in bytes of `JSON.stringify(value)`, not counting the backslashes of escaped characters.
 * Counting stops once the size passes `stopAfter` (the result is then some number above it), so an
 * oversized value costs no more than the limit to reject. Parts that are not JSON (cycles, functions,
 * undefined, nesting past 256 levels) count as nothing: the store's own value check reports them.
 */
export function jsonSize(value: unknown, stopAfter = Number.POSITIVE_INFINITY): number {
  const state = { size: 0, stopAfter, ancestors: new Set<object>() };
  add(value, 0, state);
  return state.size;
}

interface MeasureState {
  size: number;
  readonly stopAfter: number;
  /** Objects on the path from the root: a cycle must not be walked forever. */
  readonly ancestors: Set<object>;
}

function add(value: unknown, depth: number, state: MeasureState): void {
  switch (typeof value) {
    case 'string':
      state.size += stringSize(value);
      return;
    case 'number':
      state.size += Number.isFinite(value) ? String(value).length : 4;
      return;
    case 'boolean':
      state.size += value ? 4 : 5;
      return;
    case 'object':
      break;
    default:
      return;
  }
  if (value === null) {
    state.size += 4;
    return;
  }
  if (depth >= MAX_DEPTH || state.ancestors.has(value)) return;
  state.ancestors.add(value);
  state.size += 2; // the brackets or braces
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && state.size <= state.stopAfter; i++) {
      if (i > 0) state.size += 1;
      add(value[i], depth + 1, state);
    }
  } else {
    let first = true;
    for (const key in value) {
      if (state.size > state.stopAfter) break;
      if (!Object.hasOwn(value, key)) continue;
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined) continue;
      state.size += stringSize(key) + (first ? 1 : 2); // "key": and the comma before it
      first = false;
      add(item, depth + 1, state);
    }
  }
  state.ancestors.delete(value);
}

/** Bytes of a JSON string literal: UTF-8 length plus the quotes. ASCII-only strings skip the encoder. */
export function stringSize(text: string): number {
  // Short strings are the common case (ids, names): scan them instead of calling into Buffer.
  if (text.length <= 32) {
    let bytes = 2;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x80) bytes += 1;
      else if (code < 0x800) bytes += 2;
      else if (code >= 0xd800 && code <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        bytes += 4; // a surrogate pair is one 4-byte character
        i++;
      } else bytes += 3;
    }
    return bytes;
  }
  return Buffer.byteLength(text, 'utf8') + 2;
}
