import { CollabError } from './errors.js';

/** A named float32 tensor for {@link encodeSafetensors}. */
export interface NamedTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/**
 * Encodes float32 tensors in the safetensors layout (an 8-byte little-endian header length, a JSON header
 * `{name: {dtype: "F32", shape, data_offsets}}` with optional `__metadata__` strings, then the raw
 * little-endian data), so Python's `safetensors` can read the factors of a saved model.
 */
export function encodeSafetensors(tensors: Record<string, NamedTensor>, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  const names = Object.keys(tensors);
  for (const name of names) {
    const t = tensors[name];
    const bytes = t.data.length * 4;
    header[name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  // pad the header with spaces so the data starts 8-byte aligned (allowed by the format)
  while ((8 + json.length) % 8 !== 0) json += ' ';
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  for (const name of names) {
    const d = tensors[name].data;
    if (littleEndian) {
      out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), pos);
    } else {
      for (let i = 0; i < d.length; i++) view.setFloat32(pos + i * 4, d[i], true);
    }
    pos += d.byteLength;
  }
  return out;
}

/** The decoded contents of a safetensors file. */
export interface DecodedSafetensors {
  readonly tensors: Record<string, NamedTensor>;
  readonly metadata: Record<string, string>;
}

/** Decodes a safetensors buffer holding F32 tensors; throws a {@link CollabError} on a malformed file. */
export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors'): DecodedSafetensors {
  const fail = (why: string): never => {
    throw new CollabError(`${source}: not a valid safetensors file (${why})`);
  };
  if (bytes.length < 8) fail('too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  if (headerLen > bytes.length - 8) fail('header length past the end of the file');
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] } | Record<string, string>>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen)));
  } catch {
    return fail('header is not JSON');
  }
  const base = 8 + headerLen;
  const tensors: Record<string, NamedTensor> = {};
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = entry as Record<string, string>;
      continue;
    }
    const e = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
    if (e.dtype !== 'F32') fail(`tensor ${name} has dtype ${e.dtype}, only F32 is supported`);
    const [start, end] = e.data_offsets;
    const count = e.shape.reduce((a, b) => a * b, 1);
    if (end - start !== count * 4 || base + end > bytes.length) fail(`tensor ${name} has inconsistent offsets`);
    const data = new Float32Array(count);
    for (let i = 0; i < count; i++) data[i] = view.getFloat32(base + start + i * 4, true);
    tensors[name] = { shape: e.shape, data };
  }
  return { tensors, metadata };
}
