/** A typed array constructor that {@link sharedArray} and {@link toShared} accept. */
export type SharedArrayType = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array | Int8Array | Int16Array | Uint16Array;

interface TypedArrayConstructor<T extends SharedArrayType> {
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** Whether SharedArrayBuffer exists here (always in Node; in browsers only on cross-origin-isolated pages). */
export const hasSharedMemory = typeof SharedArrayBuffer === 'function';

/**
 * A zero-filled typed array of `length` elements over a SharedArrayBuffer, which worker threads share instead
 * of copying; over a plain ArrayBuffer where shared memory is unavailable.
 */
export function sharedArray<T extends SharedArrayType>(type: TypedArrayConstructor<T>, length: number): T {
  const bytes = length * type.BYTES_PER_ELEMENT;
  return new type(hasSharedMemory ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes), 0, length);
}

/** Whether `a` lives in shared memory. */
export function isShared(a: ArrayBufferView): boolean {
  return hasSharedMemory && a.buffer instanceof SharedArrayBuffer;
}

/** `a` itself when it is already shared, else a shared copy of it (same type, same values). */
export function toShared<T extends SharedArrayType>(a: T): T {
  if (isShared(a)) return a;
  const out = sharedArray(a.constructor as TypedArrayConstructor<T>, a.length);
  out.set(a as never);
  return out;
}
