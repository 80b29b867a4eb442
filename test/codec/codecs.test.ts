import { describe, expect, it } from 'vitest';
import { InvalidDataFound, JsonCodec, MsgpackCodec } from '../../src/index.js';

const sample = {
  id: '1234567890123456789',
  name: 'Zoë 👋',
  nested: { roles: ['1', '2'], flags: 0, nick: null, ok: true },
  count: 3.5,
};

describe.each([new JsonCodec(), new MsgpackCodec()])('$name codec', (codec) => {
  it('round-trips a payload and keeps snowflakes as strings', () => {
    const decoded = codec.decode(codec.encode(sample), 'k') as typeof sample;
    expect(decoded).toEqual(sample);
    expect(typeof decoded.id).toBe('string');
  });

  it('refuses garbage with InvalidDataFound naming the key', () => {
    const garbage = codec.name === 'json' ? '{not json' : new Uint8Array([0xc1, 0xc1, 0xc1]);
    expect(() => codec.decode(garbage, 'users:42')).toThrow(InvalidDataFound);
    try {
      codec.decode(garbage, 'users:42');
    } catch (error) {
      expect((error as InvalidDataFound).key).toBe('users:42');
      expect((error as Error).message).toContain('users:42');
    }
  });

  it('refuses data written with another format version', () => {
    const other = codec.name === 'json' ? JSON.stringify({ v: 99, d: 1 }) : new MsgpackCodec().encode(1);
    if (codec.name === 'json') expect(() => codec.decode(other, 'k')).toThrow(/format version 99/);
    else expect(codec.decode(other, 'k')).toBe(1);
  });
});

describe('json codec stored form', () => {
  it('is a plain, versioned JSON envelope any language can read', () => {
    expect(new JsonCodec().encode({ a: '1' })).toBe('{"v":1,"d":{"a":"1"}}');
  });

  it('refuses JSON that is not an envelope', () => {
    expect(() => new JsonCodec().decode('{"a":1}', 'k')).toThrow(/not a botcache json envelope/);
  });
});
