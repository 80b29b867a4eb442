import { InvalidDataFound } from '../errors/index.js';

/** The version tag written into every stored value; a reader refuses versions it does not know. */
export const FORMAT_VERSION = 1;

/** The stored form of a value: a versioned envelope, so the format can evolve without guessing. */
export interface Envelope {
  readonly v: number;
  readonly d: unknown;
}

/**
 * Turns values into the bytes or text a remote store keeps, and back.
 * `decode` throws {@link InvalidDataFound} naming the key when the data does not decode.
 */
export interface Codec {
  /** A short name, e.g. `'json'`. */
  readonly name: string;
  encode(value: unknown): string | Uint8Array;
  decode(data: string | Uint8Array, key: string): unknown;
}

/** Checks an envelope that decoded and returns its payload. */
export function openEnvelope(envelope: unknown, key: string, codec: string): unknown {
  if (typeof envelope !== 'object' || envelope === null || !('v' in envelope) || !('d' in envelope)) {
    throw new InvalidDataFound(`the value at '${key}' is not a botcache ${codec} envelope`, { key });
  }
  const { v, d } = envelope as Envelope;
  if (v !== FORMAT_VERSION) {
    throw new InvalidDataFound(
      `the value at '${key}' has format version ${String(v)}; this botcache reads ${FORMAT_VERSION}`,
      {
        key,
      },
    );
  }
  return d;
}
