import { userItemMatrix } from '@collab-ts/core';
import type { CsrMatrix, RatingColumns } from '@collab-ts/core';

/**
 * The users x items matrix of interaction strengths with repeated (user, item) pairs summed into one entry,
 * as scipy's `csr_matrix` does for implicit's models: the neighbourhood and closed-form families weight and
 * multiply this matrix, where a repeated pair must count as one stronger interaction.
 */
export function summedInteractions(train: RatingColumns, nUsers: number, nItems: number): CsrMatrix {
  const m = userItemMatrix(train, nUsers, nItems);
  let dupes = 0;
  for (let u = 0; u < nUsers; u++) for (let p = m.offsets[u] + 1; p < m.offsets[u + 1]; p++) if (m.indices[p] === m.indices[p - 1]) dupes++;
  if (dupes === 0) return m;
  // rows are sorted by item, so repeats are adjacent: fold each run into its first entry
  const offsets = new Int32Array(nUsers + 1);
  const indices = new Int32Array(m.indices.length - dupes);
  const values = new Float32Array(indices.length);
  let w = 0;
  for (let u = 0; u < nUsers; u++) {
    for (let p = m.offsets[u]; p < m.offsets[u + 1]; p++) {
      if (p > m.offsets[u] && m.indices[p] === m.indices[p - 1]) values[w - 1] += m.values[p];
      else {
        indices[w] = m.indices[p];
        values[w++] = m.values[p];
      }
    }
    offsets[u + 1] = w;
  }
  return { nRows: nUsers, nCols: nItems, offsets, indices, values };
}
