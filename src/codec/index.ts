export { type Codec, type Envelope, FORMAT_VERSION, openEnvelope } from './codec.js';
export { JsonCodec } from './json-codec.js';
export { MsgpackCodec } from './msgpack-codec.js';
