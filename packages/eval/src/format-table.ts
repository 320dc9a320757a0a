/** A row of {@link formatMetricTable}: a label and a result with per-metric means (and optional stds). */
export interface MetricTableRow {
  name: string;
  result: { mean: Readonly<Record<string, number>>; std?: Readonly<Record<string, number>> };
}

/** Options of {@link formatMetricTable}. */
export interface MetricTableOptions {
  /** Decimal places (default 4). */
  digits?: number;
  /** Header of the label column (default `'model'`). */
  label?: string;
}

/**
 * An aligned plain-text table, one row per model and one column per metric, cells `mean ± std` (just the
 * mean when there is no std, `-` when the metric is missing or NaN). Labels are left-aligned, numbers
 * right-aligned, columns separated by two spaces.
 */
export function formatMetricTable(rows: readonly MetricTableRow[], metrics: readonly string[], options: MetricTableOptions = {}): string {
  const digits = options.digits ?? 4;
  const cell = (r: MetricTableRow, m: string): string => {
    const mu = r.result.mean[m];
    if (mu === undefined || Number.isNaN(mu)) return '-';
    const sd = r.result.std?.[m];
    return sd === undefined || Number.isNaN(sd) ? mu.toFixed(digits) : `${mu.toFixed(digits)} ± ${sd.toFixed(digits)}`;
  };
  const header = [options.label ?? 'model', ...metrics];
  const body = rows.map((r) => [r.name, ...metrics.map((m) => cell(r, m))]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((b) => b[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((s, c) => (c === 0 ? s.padEnd(widths[c]) : s.padStart(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(header), ...body.map(line)].join('\n') + '\n';
}
