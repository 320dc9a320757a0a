/** One float32 tensor as safetensors stores it. */
export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** Thrown for a malformed safetensors buffer (the caller adds the file name). */
export class SafetensorsFormatError extends Error {}

/**
 * Encodes float32 tensors in the safetensors layout: an 8-byte little-endian header length, a JSON header
 * `{name: {dtype: 'F32', shape, data_offsets: [begin, end]}, __metadata__: {...}}` padded with spaces to
 * a multiple of 8 bytes, then the raw little-endian data in header order.
 */
export function encodeSafetensors(tensors: NamedTensor[], metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.length * 4] };
    offset += t.data.length * 4;
  }
  let json = JSON.stringify(header);
  while ((8 + new TextEncoder().encode(json).length) % 8 !== 0) json += ' ';
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const t of tensors) {
    for (let i = 0; i < t.data.length; i++) view.setFloat32(pos + i * 4, t.data[i], true);
    pos += t.data.length * 4;
  }
  return out;
}

/** Decodes a safetensors buffer holding F32 tensors; throws {@link SafetensorsFormatError} when malformed. */
export function decodeSafetensors(bytes: Uint8Array): Map<string, NamedTensor> {
  if (bytes.length < 8) throw new SafetensorsFormatError(`${bytes.length} bytes is too short for a safetensors file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  if (headerLen > bytes.length - 8) throw new SafetensorsFormatError(`header length ${headerLen} runs past the end of the file (${bytes.length} bytes)`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen))) as Record<string, unknown>;
  } catch (err) {
    throw new SafetensorsFormatError(`header is not valid JSON (${(err as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new SafetensorsFormatError('header is not a JSON object');
  const base = 8 + headerLen;
  const dataLen = bytes.length - base;
  const out = new Map<string, NamedTensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (e?.dtype !== 'F32') throw new SafetensorsFormatError(`tensor ${name}: dtype ${JSON.stringify(e?.dtype)} is not supported (only F32)`);
    const shape = e.shape;
    const offs = e.data_offsets;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw new SafetensorsFormatError(`tensor ${name}: bad shape`);
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new SafetensorsFormatError(`tensor ${name}: bad data_offsets`);
    }
    const [begin, end] = offs as [number, number];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== count * 4) throw new SafetensorsFormatError(`tensor ${name}: data_offsets hold ${end - begin} bytes, shape needs ${count * 4}`);
    if (end > dataLen) throw new SafetensorsFormatError(`tensor ${name}: data runs past the end of the file (truncated?)`);
    const data = new Float32Array(count);
    for (let i = 0; i < count; i++) data[i] = view.getFloat32(base + begin + i * 4, true);
    out.set(name, { name, shape: shape as number[], data });
  }
  return out;
}
