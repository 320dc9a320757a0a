const TICKS = '▁▂▃▄▅▆▇█';

/** A one-line text chart of a series, resampled to `width` points (means over buckets). */
export function sparkline(values: readonly number[], width = 60): string {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return '';
  const buckets = Math.min(width, finite.length);
  const pts: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const s = Math.floor((b * finite.length) / buckets);
    const e = Math.max(s + 1, Math.floor(((b + 1) * finite.length) / buckets));
    let sum = 0;
    for (let i = s; i < e; i++) sum += finite[i];
    pts.push(sum / (e - s));
  }
  const lo = Math.min(...pts);
  const hi = Math.max(...pts);
  const span = hi - lo || 1;
  return pts.map((v) => TICKS[Math.min(TICKS.length - 1, Math.floor(((v - lo) / span) * TICKS.length))]).join('');
}
