import { describe, expect, it } from 'vitest';
import { allocateFloat64, allocateInt32, heapFloat32, sharedFloat32 } from './allocator.js';
import type { Float32Allocator } from './allocator.js';
import { ParamStore } from './params.js';

/** Hands out consecutive slices of one shared arena, 4-byte aligned only (as a real arena may). */
function arena(floats: number): Float32Allocator {
  const all = new Float32Array(new SharedArrayBuffer(floats * 4));
  let used = 1; // start off an 8-byte boundary on purpose
  return (n) => {
    const a = all.subarray(used, used + n);
    used += n;
    return a;
  };
}

describe('allocators', () => {
  it('sharedFloat32 puts a store, its added tables and its clones in shared memory', () => {
    const s = new ParamStore({ allocate: sharedFloat32 });
    const p = s.add('u', [3, 2], undefined, { kind: 'embedding' });
    expect(p.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    p.data[4] = 2.5;
    const c = s.clone();
    expect(c.allocate).toBe(sharedFloat32);
    expect(c.get('u').data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(c.get('u').data.buffer).not.toBe(p.data.buffer);
    expect(c.get('u').data[4]).toBe(2.5);
    expect(new ParamStore().add('w', [2]).data.buffer).toBeInstanceOf(ArrayBuffer);
    expect(new ParamStore().allocate).toBe(heapFloat32);
  });

  it('Int32 and aligned Float64 views sit on the allocated memory, whatever offset the allocator returns', () => {
    const alloc = arena(64);
    const ints = allocateInt32(alloc, 5);
    const doubles = allocateFloat64(alloc, 4);
    expect(ints.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(doubles.byteOffset % 8).toBe(0);
    expect(doubles.buffer).toBe(ints.buffer);
    doubles.fill(1.25);
    ints.fill(-7);
    expect([...doubles]).toEqual([1.25, 1.25, 1.25, 1.25]);
    expect([...ints]).toEqual([-7, -7, -7, -7, -7]);
  });

  it('an allocator that breaks its contract is named in a clear error', () => {
    const bad: Float32Allocator = (n) => new Float32Array(n + 1);
    expect(() => new ParamStore({ allocate: bad }).add('u', [2, 2])).toThrow(/returned 5 floats where 4 floats were asked for/);
  });
});
