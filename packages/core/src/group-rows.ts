/** Rows grouped by an index column (users, for example): group `g`'s rows are `rows[start[g] .. start[g + 1])`. */
export interface RowGroups {
  readonly start: Int32Array;
  readonly rows: Int32Array;
}

/**
 * Groups row positions by `index` with a stable counting sort, O(n + nGroups): inside each group the rows keep
 * their input order. `nGroups` defaults to the largest index + 1.
 */
export function groupRows(index: Int32Array, nGroups?: number): RowGroups {
  const n = index.length;
  let g = nGroups ?? 0;
  if (nGroups === undefined) for (let i = 0; i < n; i++) if (index[i] >= g) g = index[i] + 1;
  const start = new Int32Array(g + 1);
  for (let i = 0; i < n; i++) start[index[i] + 1]++;
  for (let k = 0; k < g; k++) start[k + 1] += start[k];
  const fill = start.slice(0, g);
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[fill[index[i]]++] = i;
  return { start, rows };
}
