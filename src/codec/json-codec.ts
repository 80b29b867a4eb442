import { InvalidDataFound } from '../errors/index.js';
import { type Codec, FORMAT_VERSION, openEnvelope } from './codec.js';

const decoder = new TextDecoder();

/**
 * The default codec: `{"v":1,"d":<value>}` as UTF-8 JSON, readable with `redis-cli` or from any language.
 * Snowflake ids stay strings because they arrive as strings; nothing here turns strings into numbers.
 */
export class JsonCodec implements Codec {
  readonly name = 'json';

  encode(value: unknown): string {
    return JSON.stringify({ v: FORMAT_VERSION, d: value });
  }

  decode(data: string | Uint8Array, key: string): unknown {
    const text = typeof data === 'string' ? data : decoder.decode(data);
    let envelope: unknown;
    try {
      envelope = JSON.parse(text);
    } catch (cause) {
      throw new InvalidDataFound(`the value at '${key}' is not valid JSON`, { key, cause });
    }
    return openEnvelope(envelope, key, this.name);
  }
}
