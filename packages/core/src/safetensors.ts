import { CollabError } from './errors.js';

/** A named tensor for {@link encodeSafetensors}: float32 (`F32`) or int32 (`I32`, for indices). */
export interface NamedTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array;
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
    header[name] = { dtype: t.data instanceof Int32Array ? 'I32' : 'F32', shape: [...t.shape], data_offsets: [offset, offset + bytes] };
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
      for (let i = 0; i < d.length; i++) {
        if (d instanceof Int32Array) view.setInt32(pos + i * 4, d[i], true);
        else view.setFloat32(pos + i * 4, d[i], true);
      }
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

/** A malformed safetensors buffer. */
export class SafetensorsFormatError extends CollabError {}

/**
 * Decodes a safetensors buffer holding F32 and I32 tensors.
 * @param source a name for messages (the file path), prefixed to every error
 * @throws SafetensorsFormatError when the buffer is truncated, the header is not JSON, a dtype is not F32 or I32,
 * or a tensor's shape and offsets disagree.
 */
export function decodeSafetensors(bytes: Uint8Array, source?: string): DecodedSafetensors {
  const fail = (why: string): never => {
    throw new SafetensorsFormatError(source ? `${source}: not a valid safetensors file (${why})` : why);
  };
  if (bytes.length < 8) fail(`${bytes.length} bytes is too short for a safetensors file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  if (headerLen > bytes.length - 8) fail(`header length ${headerLen} runs past the end of the file (${bytes.length} bytes)`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen)));
  } catch (err) {
    return fail(`header is not valid JSON (${(err as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) fail('header is not a JSON object');
  const base = 8 + headerLen;
  const dataLen = bytes.length - base;
  const tensors: Record<string, NamedTensor> = {};
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = (entry ?? {}) as Record<string, string>;
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (e?.dtype !== 'F32' && e?.dtype !== 'I32') fail(`tensor ${name}: dtype ${JSON.stringify(e?.dtype)} is not supported (only F32 and I32)`);
    const shape = e.shape;
    const offs = e.data_offsets;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) fail(`tensor ${name}: bad shape`);
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((d) => Number.isInteger(d) && d >= 0)) fail(`tensor ${name}: bad data_offsets`);
    const [begin, end] = offs as [number, number];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== count * 4) fail(`tensor ${name}: data_offsets hold ${end - begin} bytes, shape needs ${count * 4}`);
    if (end > dataLen) fail(`tensor ${name}: data runs past the end of the file (truncated?)`);
    let data: Float32Array | Int32Array;
    if (e.dtype === 'I32') {
      const ints = new Int32Array(count);
      for (let i = 0; i < count; i++) ints[i] = view.getInt32(base + begin + i * 4, true);
      data = ints;
    } else {
      const floats = new Float32Array(count);
      for (let i = 0; i < count; i++) floats[i] = view.getFloat32(base + begin + i * 4, true);
      data = floats;
    }
    tensors[name] = { shape: shape as number[], data };
  }
  // tensors must tile the data region in order: no overlap, no gap, nothing after the last one
  const spans = Object.entries(header as Record<string, { data_offsets?: [number, number] }>)
    .filter(([name]) => name !== '__metadata__')
    .map(([name, e]) => ({ name, begin: e.data_offsets![0], end: e.data_offsets![1] }))
    .sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const sp of spans) {
    if (sp.begin < at) fail(`tensor ${sp.name}: its data overlaps the previous tensor's (offset ${sp.begin} < ${at})`);
    if (sp.begin > at) fail(`tensor ${sp.name}: a gap of ${sp.begin - at} bytes before its data`);
    at = sp.end;
  }
  if (at !== dataLen) fail(`${dataLen - at} bytes after the last tensor (a damaged or mismatched file)`);
  return { tensors, metadata };
}
