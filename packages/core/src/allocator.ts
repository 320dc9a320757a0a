/**
 * Allocates the zero-filled `Float32Array` of `length` floats that holds a table: a model's parameters or
 * an optimizer's per-row state. The one hook through which both are allocated, so that they can live in
 * memory that worker threads share.
 */
export type Float32Allocator = (length: number) => Float32Array;

/** The default allocator: ordinary (thread-local) memory. */
export const heapFloat32: Float32Allocator = (length) => new Float32Array(length);

/**
 * Allocates on a `SharedArrayBuffer` of its own, so the array can be posted to worker threads (which then
 * see the same floats) instead of being copied.
 * @example
 * const params = new ParamStore({ allocate: sharedFloat32 });
 * params.add('users', [943, 50], undefined, { kind: 'embedding' }).data.buffer; // a SharedArrayBuffer
 */
export const sharedFloat32: Float32Allocator = (length) => new Float32Array(new SharedArrayBuffer(length * Float32Array.BYTES_PER_ELEMENT));

/** Calls `allocate` and checks that it kept its contract (a `Float32Array` of `length` floats). */
export function allocateFloat32(allocate: Float32Allocator, length: number): Float32Array {
  const a = allocate(length);
  if (!(a instanceof Float32Array) || a.length !== length) {
    throw new Error(`the allocator returned ${a instanceof Float32Array ? `${a.length} floats` : String(a)} where ${length} floats were asked for`);
  }
  return a;
}

/** An `Int32Array` of `length` zeros on memory from `allocate` (same byte size as floats). */
export function allocateInt32(allocate: Float32Allocator, length: number): Int32Array {
  const a = allocateFloat32(allocate, length);
  return new Int32Array(a.buffer, a.byteOffset, length);
}

/**
 * A `Float64Array` of `length` zeros on memory from `allocate`: one spare float is asked for, so the view
 * can start on an 8-byte boundary whatever offset the allocator hands out.
 */
export function allocateFloat64(allocate: Float32Allocator, length: number): Float64Array {
  const a = allocateFloat32(allocate, 2 * length + 1);
  const start = a.byteOffset % 8 === 0 ? a.byteOffset : a.byteOffset + 4;
  return new Float64Array(a.buffer, start, length);
}
