import type { RatingColumns } from './ratings.js';
import { checkIndexRange } from './index-range.js';

/**
 * A sparse matrix in compressed sparse row form: row `r`'s column indices are
 * `indices[offsets[r] .. offsets[r + 1])`, sorted ascending, with their values beside them in `values`.
 * Repeated (row, column) pairs are kept as separate entries, in input order.
 *
 * The user-item matrix of a ratings table is the main use: rows are users, columns items, values ratings
 * (or confidences). Its transpose gives each item's users.
 */
export interface CsrMatrix {
  readonly nRows: number;
  readonly nCols: number;
  readonly offsets: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/**
 * Builds a CSR matrix from coordinate columns by two counting sorts (by column, then stably by row), so
 * every row comes out sorted by column in O(n + nRows + nCols), with no per-row sort.
 * @throws IndexRangeError when an index lies outside `[0, nRows) x [0, nCols)`.
 */
export function csrFromCoordinates(rows: Int32Array, cols: Int32Array, values: Float32Array, nRows: number, nCols: number): CsrMatrix {
  checkIndexRange(rows, cols, nRows, nCols, 'csrFromCoordinates', ['row', 'column']);
  const n = rows.length;
  if (values.length !== n) throw new RangeError(`csrFromCoordinates: ${n} coordinates but ${values.length} values`);
  // pass 1: order entries by column
  const colStart = new Int32Array(nCols + 1);
  for (let k = 0; k < n; k++) colStart[cols[k] + 1]++;
  for (let c = 0; c < nCols; c++) colStart[c + 1] += colStart[c];
  const byCol = new Int32Array(n);
  for (let k = 0; k < n; k++) byCol[colStart[cols[k]]++] = k;
  // pass 2: scatter by row in column order, which leaves each row sorted by column
  const offsets = new Int32Array(nRows + 1);
  for (let k = 0; k < n; k++) offsets[rows[k] + 1]++;
  for (let r = 0; r < nRows; r++) offsets[r + 1] += offsets[r];
  const fill = offsets.slice(0, nRows);
  const indices = new Int32Array(n);
  const out = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    const k = byCol[j];
    const p = fill[rows[k]]++;
    indices[p] = cols[k];
    out[p] = values[k];
  }
  return { nRows, nCols, offsets, indices, values: out };
}

/** The user x item matrix of a ratings table, values the ratings. */
export function userItemMatrix(r: RatingColumns, nUsers: number, nItems: number): CsrMatrix {
  return csrFromCoordinates(r.users, r.items, r.ratings, nUsers, nItems);
}

/** The transpose (item x user for a user-item matrix), rows again sorted. */
export function transposeCsr(m: CsrMatrix): CsrMatrix {
  const n = m.indices.length;
  const offsets = new Int32Array(m.nCols + 1);
  for (let k = 0; k < n; k++) offsets[m.indices[k] + 1]++;
  for (let c = 0; c < m.nCols; c++) offsets[c + 1] += offsets[c];
  const fill = offsets.slice(0, m.nCols);
  const indices = new Int32Array(n);
  const values = new Float32Array(n);
  // rows are visited in order, so each output row comes out sorted
  for (let r = 0; r < m.nRows; r++) {
    for (let k = m.offsets[r]; k < m.offsets[r + 1]; k++) {
      const p = fill[m.indices[k]]++;
      indices[p] = r;
      values[p] = m.values[k];
    }
  }
  return { nRows: m.nCols, nCols: m.nRows, offsets, indices, values };
}

/** Number of stored entries in row `r`. */
export function csrRowLength(m: CsrMatrix, r: number): number {
  return m.offsets[r + 1] - m.offsets[r];
}

/** Views of row `r`'s column indices and values (no copy). */
export function csrRow(m: CsrMatrix, r: number): { indices: Int32Array; values: Float32Array } {
  const a = m.offsets[r];
  const b = m.offsets[r + 1];
  return { indices: m.indices.subarray(a, b), values: m.values.subarray(a, b) };
}
