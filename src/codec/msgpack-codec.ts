import { createRequire } from 'node:module';
import type { Packr } from 'msgpackr';
import { InvalidDataFound } from '../errors/index.js';
import { type Codec, FORMAT_VERSION, openEnvelope } from './codec.js';

// msgpackr is an optional peer: loaded here, on first use, so `import 'botcache'` never needs it.
const requireFromHere = createRequire(import.meta.url);

function loadPackr(): typeof Packr {
  try {
    return (requireFromHere('msgpackr') as typeof import('msgpackr')).Packr;
  } catch (cause) {
    throw new Error('MsgpackCodec needs the optional peer dependency msgpackr: npm install msgpackr', {
      cause,
    });
  }
}

/**
 * MessagePack (msgpackr): smaller and faster than JSON for large payloads, still a public format
 * that other languages read. Strings stay strings; maps decode to plain objects.
 * Needs the optional peer `msgpackr` (`npm install msgpackr`).
 */
export class MsgpackCodec implements Codec {
  readonly name = 'msgpack';
  readonly #packr: Packr;

  constructor() {
    const PackrClass = loadPackr();
    // Plain structures only: no msgpackr record extension, so other languages can read the bytes.
    this.#packr = new PackrClass({ useRecords: false, mapsAsObjects: true, int64AsType: 'string' });
  }

  encode(value: unknown): Uint8Array {
    return this.#packr.pack({ v: FORMAT_VERSION, d: value });
  }

  decode(data: string | Uint8Array, key: string): unknown {
    if (typeof data === 'string') {
      throw new InvalidDataFound(`the value at '${key}' is text, not MessagePack bytes`, { key });
    }
    let envelope: unknown;
    try {
      envelope = this.#packr.unpack(data);
    } catch (cause) {
      throw new InvalidDataFound(`the value at '${key}' is not valid MessagePack`, { key, cause });
    }
    return openEnvelope(envelope, key, this.name);
  }
}
