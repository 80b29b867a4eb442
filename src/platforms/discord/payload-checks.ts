/**
 * Shape checks for gateway payloads. A dispatch that fails them is reported as malformed and skipped;
 * it never reaches the store half-applied.
 */

/** A gateway dispatch whose data does not have the shape its event name promises. */
export class MalformedDispatchError extends TypeError {
  override readonly name = 'MalformedDispatchError';
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` as an object, or a MalformedDispatchError naming `what`. */
export function objectOf(value: unknown, what: string): JsonObject {
  if (!isObject(value)) throw new MalformedDispatchError(`${what} must be an object`);
  return value;
}

/** The snowflake at `data[field]`. */
export function idOf(data: JsonObject, field: string, what: string): string {
  const id = data[field];
  if (typeof id !== 'string' || id.length === 0) {
    throw new MalformedDispatchError(`${what}.${field} must be a snowflake string`);
  }
  return id;
}

/** The snowflake at `data[field]`, or undefined when absent or null. */
export function optionalIdOf(data: JsonObject, field: string, what: string): string | undefined {
  const id = data[field];
  if (id === undefined || id === null) return undefined;
  if (typeof id !== 'string' || id.length === 0) {
    throw new MalformedDispatchError(`${what}.${field} must be a snowflake string or absent`);
  }
  return id;
}

/** The array at `data[field]` (absent counts as empty when `optional`). */
export function arrayOf(data: JsonObject, field: string, what: string, optional = false): unknown[] {
  const value = data[field];
  if (value === undefined && optional) return [];
  if (!Array.isArray(value)) throw new MalformedDispatchError(`${what}.${field} must be an array`);
  return value;
}

/** The user object embedded at `data[field]`, with its id. */
export function userOf(data: JsonObject, field: string, what: string): [id: string, user: JsonObject] {
  const user = objectOf(data[field], `${what}.${field}`);
  return [idOf(user, 'id', `${what}.${field}`), user];
}

/** True when an embedded user is a whole user object, not just `{ id }` (presences send partial users). */
export function isFullUser(user: JsonObject): boolean {
  return typeof user.username === 'string';
}
