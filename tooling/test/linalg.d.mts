/** The inverse of an n x n matrix (row-major) by Gauss-Jordan elimination with partial pivoting: a test reference. */
export function naiveInverse(a: Float64Array, n: number): Float64Array;
