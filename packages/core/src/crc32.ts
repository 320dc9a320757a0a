// CRC-32 (IEEE 802.3, as zlib and PNG): hand-written because the check must run in browsers too (no
// node:crypto) and a table-driven loop is fast enough for model files (hundreds of MB/s).
let table: Int32Array | null = null;

function makeTable(): Int32Array {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
}

/** The CRC-32 of a byte range, as an unsigned 32-bit integer. */
export function crc32(bytes: Uint8Array): number {
  const t = (table ??= makeTable());
  let c = -1;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** The CRC-32 of a typed array's bytes (little-endian platforms: its memory as stored in safetensors). */
export function crc32Of(data: Float32Array | Int32Array): number {
  return crc32(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}
