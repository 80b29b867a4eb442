/**
 * The Redis Cluster slot of a key (CRC16/XMODEM of its hash tag, mod 16384), so that multi-key
 * commands can be grouped per slot before they are sent.
 */

const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[i] = crc;
  }
  return table;
})();

const encoder = new TextEncoder();

/** The part of a key Redis hashes: the first non-empty `{tag}`, else the whole key. */
export function hashTagOf(key: string): string {
  const open = key.indexOf('{');
  if (open === -1) return key;
  const close = key.indexOf('}', open + 1);
  if (close === -1 || close === open + 1) return key;
  return key.slice(open + 1, close);
}

/** Whether Redis would hash only a tag of this key. */
export function hasHashTag(key: string): boolean {
  return hashTagOf(key) !== key;
}

export function keySlot(key: string): number {
  let crc = 0;
  for (const byte of encoder.encode(hashTagOf(key))) {
    crc = ((crc << 8) & 0xffff) ^ (TABLE[((crc >> 8) ^ byte) & 0xff] as number);
  }
  return crc % 16384;
}
