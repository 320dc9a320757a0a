import { describe, expect, it } from 'vitest';
import { csrFromCoordinates, csrRow, transposeCsr, userItemMatrix } from './csr.js';
import { IndexRangeError, checkIndexRange } from './index-range.js';
import { UsageError } from './errors.js';

describe('CSR user-item matrix', () => {
  const cols = {
    users: Int32Array.from([2, 0, 2, 1, 0, 2]),
    items: Int32Array.from([3, 1, 0, 2, 0, 3]),
    ratings: Float32Array.from([5, 4, 3, 2, 1, 4.5]),
    timestamps: null,
  };

  it('groups by row, sorts each row by column and keeps repeated pairs in input order', () => {
    const m = userItemMatrix(cols, 3, 4);
    expect(Array.from(m.offsets)).toEqual([0, 2, 3, 6]);
    expect(Array.from(csrRow(m, 0).indices)).toEqual([0, 1]);
    expect(Array.from(csrRow(m, 0).values)).toEqual([1, 4]);
    expect(Array.from(csrRow(m, 2).indices)).toEqual([0, 3, 3]);
    expect(Array.from(csrRow(m, 2).values)).toEqual([3, 5, 4.5]);
  });

  it('transposes twice back to itself', () => {
    const m = userItemMatrix(cols, 3, 4);
    const t = transposeCsr(m);
    expect(t.nRows).toBe(4);
    expect(Array.from(csrRow(t, 3).indices)).toEqual([2, 2]);
    const back = transposeCsr(t);
    expect(Array.from(back.offsets)).toEqual(Array.from(m.offsets));
    expect(Array.from(back.indices)).toEqual(Array.from(m.indices));
    expect(Array.from(back.values)).toEqual(Array.from(m.values));
  });

  it('rejects out-of-range indices with one error type, a usage error', () => {
    expect(() => csrFromCoordinates(Int32Array.from([0]), Int32Array.from([9]), Float32Array.from([1]), 1, 4)).toThrow(IndexRangeError);
    try {
      checkIndexRange(Int32Array.from([0, 7]), Int32Array.from([0, 0]), 3, 3, 'predict');
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      expect((err as IndexRangeError).position).toBe(1);
      expect((err as Error).message).toMatch(/predict: user index 7 \(position 1\) is out of range: there are 3 users/);
    }
  });
});

describe('toInteractions', () => {
  it('filters by minRating and binarises or keeps strengths', async () => {
    const { toInteractions } = await import('./interactions.js');
    const r = { users: Int32Array.of(0, 1, 2), items: Int32Array.of(0, 1, 2), ratings: Float32Array.of(2, 4, 5), timestamps: Float64Array.of(1, 2, 3) };
    const b = toInteractions(r, { minRating: 4 });
    expect(Array.from(b.users)).toEqual([1, 2]);
    expect(Array.from(b.ratings)).toEqual([1, 1]);
    expect(Array.from(b.timestamps!)).toEqual([2, 3]);
    expect(Array.from(toInteractions(r, { strength: 'rating' }).ratings)).toEqual([2, 4, 5]);
    expect(Array.from(r.ratings)).toEqual([2, 4, 5]);
  });
});

describe('crc32', () => {
  it('matches the standard check value', async () => {
    const { crc32 } = await import('./crc32.js');
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});

describe('recency weights', () => {
  it('halve every halfLife interactions back from the latest, per user, ties by row order', async () => {
    const { recencyWeights, weightedHistory } = await import('./interactions.js');
    const r = { users: Int32Array.of(0, 0, 1, 0, 1), items: Int32Array.of(0, 1, 0, 2, 1), ratings: Float32Array.of(1, 1, 2, 1, 1), timestamps: Float64Array.of(10, 30, 5, 20, 5) };
    const w = recencyWeights(r, 2, 1);
    // user 0: row 1 (t 30) latest, row 3 (t 20), row 0 (t 10); user 1: rows 2 and 4 tie, the later row counts as later
    expect(Array.from(w)).toEqual([0.25, 1, 0.5, 0.5, 1]);
    expect(Array.from(recencyWeights({ ...r, timestamps: null }, 2, 1))).toEqual([1, 1, 1, 1, 1]);
    const h = weightedHistory(r, 2, 3, 1);
    expect(Array.from(h.values)).toEqual([0.25, 1, 0.5, 1, 1]);
  });
});

describe('groupRows', () => {
  it('groups row positions by index, stable inside each group', async () => {
    const { groupRows } = await import('./group-rows.js');
    const g = groupRows(Int32Array.of(2, 0, 2, 1, 0), 4);
    expect(Array.from(g.start)).toEqual([0, 2, 3, 5, 5]);
    expect(Array.from(g.rows)).toEqual([1, 4, 3, 0, 2]);
    expect(groupRows(Int32Array.of(1, 1)).start.length).toBe(3);
  });
});
