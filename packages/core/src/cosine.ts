/**
 * Cosine similarity of row `item` of a row-major `n x d` table with every row (itself included); a row of
 * zeros has similarity 0 with everything. The similarity behind "similar items" for factor models.
 */
export function cosineToRow(v: Float32Array, d: number, n: number, item: number): Float64Array {
  const q = item * d;
  let qn = 0;
  for (let j = 0; j < d; j++) qn += v[q + j] * v[q + j];
  qn = Math.sqrt(qn);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let dot = 0;
    let nn = 0;
    for (let j = 0; j < d; j++) {
      dot += v[o + j] * v[q + j];
      nn += v[o + j] * v[o + j];
    }
    const den = qn * Math.sqrt(nn);
    scores[i] = den > 0 ? dot / den : 0;
  }
  return scores;
}
