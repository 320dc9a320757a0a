/**
 * Formats rows as a plain text table with a header rule; numbers are right-aligned.
 * @internal
 */
export function formatTable(header: string[], rows: (string | number)[][], maxWidth = 48): string {
  const cell = (v: string | number): string => {
    const s = typeof v === 'number' ? formatNumber(v) : v;
    return s.length > maxWidth ? s.slice(0, maxWidth - 1) + '…' : s;
  };
  const text = rows.map((r) => r.map(cell));
  const numeric = header.map((_, c) => rows.length > 0 && rows.every((r) => typeof r[c] === 'number'));
  const width = header.map((h, c) => Math.max(h.length, ...text.map((r) => r[c].length)));
  const pad = (s: string, c: number): string => (numeric[c] ? s.padStart(width[c]) : s.padEnd(width[c]));
  const line = (cells: string[]): string => cells.map(pad).join('  ').trimEnd();
  return [line(header), width.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)].join('\n');
}

/** Numbers with at most six significant digits, integers as is. @internal */
export function formatNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(6)));
}
