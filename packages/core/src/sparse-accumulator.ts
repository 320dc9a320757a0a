import type { SparseRowGrad } from './params.js';

/**
 * Collects a sparse row gradient over a batch without per-element allocation: the first touch of a row
 * claims a zeroed slot, later touches add into the same slot, so duplicate rows are summed.
 *
 * Reuse one accumulator across batches: {@link SparseRowAccumulator.reset} clears only the touched rows.
 */
export class SparseRowAccumulator {
  readonly rowSize: number;
  private readonly slotOf: Int32Array;
  private rows: Int32Array;
  private values: Float32Array;
  private n = 0;

  /** @param numRows rows in the table, @param rowSize floats per row, @param capacity expected distinct rows */
  constructor(numRows: number, rowSize: number, capacity = 256) {
    this.rowSize = rowSize;
    this.slotOf = new Int32Array(numRows).fill(-1);
    this.rows = new Int32Array(capacity);
    this.values = new Float32Array(capacity * rowSize);
  }

  /** Offset into {@link SparseRowAccumulator.buffer} of `row`'s slot, claiming a zeroed one on first touch. */
  slot(row: number): number {
    const s = this.slotOf[row];
    if (s >= 0) return s * this.rowSize;
    if (this.n === this.rows.length) this.grow();
    const k = this.n++;
    this.slotOf[row] = k;
    this.rows[k] = row;
    const off = k * this.rowSize;
    this.values.fill(0, off, off + this.rowSize);
    return off;
  }

  /** The value buffer that offsets from {@link SparseRowAccumulator.slot} index into (may change after a slot claim). */
  get buffer(): Float32Array {
    return this.values;
  }

  /** Number of distinct rows touched since the last reset. */
  get count(): number {
    return this.n;
  }

  /** The gradient gathered so far (views of internal buffers: valid until the next reset). */
  result(): SparseRowGrad {
    return { kind: 'sparse', rows: this.rows, values: this.values, count: this.n };
  }

  /** Forgets the touched rows; cost is proportional to the rows touched, not the table size. */
  reset(): void {
    for (let k = 0; k < this.n; k++) this.slotOf[this.rows[k]] = -1;
    this.n = 0;
  }

  private grow(): void {
    const rows = new Int32Array(this.rows.length * 2);
    rows.set(this.rows);
    const values = new Float32Array(rows.length * this.rowSize);
    values.set(this.values);
    this.rows = rows;
    this.values = values;
  }
}
