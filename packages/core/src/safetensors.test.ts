import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

describe('safetensors codec', () => {
  it('round-trips tensors and metadata with an 8-byte aligned data section', () => {
    const a = new Float32Array([1, -2.5, 3e-8, 4]);
    const b = new Float32Array([7]);
    const bytes = encodeSafetensors({ a: { shape: [2, 2], data: a }, b: { shape: [1], data: b } }, { format: 'x' });
    const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLen) % 8).toBe(0);
    const d = decodeSafetensors(bytes);
    expect(d.metadata).toEqual({ format: 'x' });
    expect(d.tensors.a.shape).toEqual([2, 2]);
    expect(Array.from(d.tensors.a.data)).toEqual(Array.from(a));
    expect(Array.from(d.tensors.b.data)).toEqual([7]);
  });

  it('rejects truncated and garbage files with a clear message', () => {
    const bytes = encodeSafetensors({ a: { shape: [3], data: new Float32Array(3) } });
    expect(() => decodeSafetensors(bytes.subarray(0, bytes.length - 4), 'w.safetensors')).toThrow(/w.safetensors: not a valid safetensors file/);
    expect(() => decodeSafetensors(new Uint8Array([1, 2, 3]))).toThrow(/too short/);
  });

  it('rejects tensors of another dtype', () => {
    const header = new TextEncoder().encode(JSON.stringify({ x: { dtype: 'F16', shape: [1], data_offsets: [0, 2] } }));
    const buf = new Uint8Array(8 + header.length + 2);
    new DataView(buf.buffer).setBigUint64(0, BigInt(header.length), true);
    buf.set(header, 8);
    expect(() => decodeSafetensors(buf)).toThrow(/dtype "F16" is not supported/);
  });
});
