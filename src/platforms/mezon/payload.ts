/**
 * Reading SDK payloads defensively. The socket hands over decoded protobuf (defaults filled in) and,
 * for channel messages, fields the SDK tried to JSON.parse; anything else is a malformed event.
 */

/** Thrown by the readers below; `attachMezon` counts it as a malformed event, not a store failure. */
export class MalformedPayload extends Error {
  override readonly name = 'MalformedPayload';
}

/**
 * Thrown by a handler for an event that is well-formed but means nothing botcache acts on (a role status
 * outside Mezon's enum): `attachMezon` counts it as ignored, writes nothing and reports no error.
 */
export class IgnoredPayload extends Error {
  override readonly name: string = 'IgnoredPayload';
}

/** An event delivered again (the same identity, e.g. a reaction id): applied once, counted as a duplicate. */
export class DuplicatePayload extends IgnoredPayload {
  override readonly name = 'DuplicatePayload';
}

const DECIMAL_ID = /^[0-9]{1,32}$/;

/** The clan ids that mean "no clan" (a direct message): the SDK uses "0", protobuf defaults give "". */
const NO_CLAN = new Set(['', '0']);

export type Payload = Readonly<Record<string, unknown>>;

export function asPayload(value: unknown, what: string): Payload {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MalformedPayload(`${what} must be an object`);
  }
  return value as Payload;
}

/** A decimal-string id. Numbers are refused: ids above 2^53 would already have lost digits. */
export function requireId(payload: Payload, field: string): string {
  const value = payload[field];
  if (typeof value !== 'string' || !DECIMAL_ID.test(value)) {
    throw new MalformedPayload(`${field} must be a decimal id string (got ${describe(value)})`);
  }
  return value;
}

/** A clan id, or undefined for direct messages. */
export function clanScope(payload: Payload, field: string): string | undefined {
  const value = payload[field];
  if (value === undefined || value === null || (typeof value === 'string' && NO_CLAN.has(value)))
    return undefined;
  return requireId(payload, field);
}

/** A clan id that must name a real clan (not a DM). */
export function requireClan(payload: Payload, field: string): string {
  const clan = clanScope(payload, field);
  if (clan === undefined) throw new MalformedPayload(`${field} must name a clan`);
  return clan;
}

/** A list of decimal ids; absent means empty. */
export function idList(payload: Payload, field: string): string[] {
  const value = payload[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new MalformedPayload(`${field} must be an array of ids`);
  return value.map((id, index) => {
    if (typeof id !== 'string' || !DECIMAL_ID.test(id)) {
      throw new MalformedPayload(`${field}[${index}] must be a decimal id string (got ${describe(id)})`);
    }
    return id;
  });
}

/** A string field, or undefined when absent or empty (protobuf fills absent strings with ''). */
export function text(payload: Payload, field: string): string | undefined {
  const value = payload[field];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * A string field where `""` is a value, not an absence: a profile field the user cleared. Only absent
 * (or non-string) fields are undefined.
 */
export function textOrEmpty(payload: Payload, field: string): string | undefined {
  const value = payload[field];
  return typeof value === 'string' ? value : undefined;
}

/**
 * A time field as an ISO string. The socket's protobuf decoder turns Timestamps into `Date`s, while
 * JSON payloads carry strings: both become the same ISO text, so the two wire shapes store alike.
 */
export function timeText(payload: Payload, field: string): string | undefined {
  const value = payload[field];
  const at =
    value instanceof Date
      ? value
      : typeof value === 'string' && value.length > 0
        ? new Date(value)
        : undefined;
  if (at === undefined) return undefined;
  return Number.isNaN(at.getTime()) ? (value as string) : at.toISOString();
}

/** A time in seconds; 0 is protobuf's default for an absent time, so it reads as absent. */
export function seconds(payload: Payload, field: string): number | undefined {
  const value = num(payload, field);
  return value !== undefined && value > 0 ? value : undefined;
}

export function num(payload: Payload, field: string): number | undefined {
  const value = payload[field];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * A field the socket sends as a JSON string. The SDK parses it, but on failure leaves the field's own
 * name as the value (`content: "content"`), and some paths skip parsing entirely: handle all three.
 */
export function jsonField(payload: Payload, field: string): unknown {
  const value = payload[field];
  if (typeof value !== 'string') return value ?? undefined;
  if (value === field || value.length === 0) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** Copies the defined entries of `fields`, so a merge never overwrites known data with "unknown". */
export function defined<T extends object>(fields: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value;
  return out as Partial<T>;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string') return `'${value.slice(0, 40)}'`;
  return typeof value;
}
