/** One epoch of the demo's training history. */
export interface LossPoint {
  epoch: number;
  train: number;
  valid: number;
  seconds: number;
}

const W = 640;
const H = 360;
const M = { left: 56, right: 16, top: 20, bottom: 44 };

function fmt(x: number): string {
  return (Math.round(x * 100) / 100).toString();
}

function niceTicks(lo: number, hi: number, count: number): number[] {
  const span = hi - lo || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((s) => s * mag).find((s) => span / s <= count) ?? 10 * mag;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) out.push(Number(t.toPrecision(6)));
  return out;
}

/**
 * A plain SVG line chart of train and validation loss per epoch (no library, no external resources). The x
 * axis spans the planned number of epochs so the curve grows from left to right while training runs.
 */
export function lossChartSvg(points: readonly LossPoint[], plannedEpochs: number): string {
  const n = Math.max(plannedEpochs, points.length, 1);
  const values = points.flatMap((p) => [p.train, p.valid]).filter(Number.isFinite);
  let lo = values.length ? Math.min(...values) : 0;
  let hi = values.length ? Math.max(...values) : 1;
  if (hi - lo < 1e-6) [lo, hi] = [lo - 0.5, hi + 0.5];
  const pad = (hi - lo) * 0.08;
  lo = Math.max(0, lo - pad);
  hi += pad;
  const x = (e: number) => M.left + (n === 1 ? 0.5 : (e - 1) / (n - 1)) * (W - M.left - M.right);
  const y = (v: number) => M.top + (1 - (v - lo) / (hi - lo)) * (H - M.top - M.bottom);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="train and validation loss per epoch" font-family="system-ui, sans-serif" font-size="12">`);
  parts.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="transparent"/>`);
  for (const t of niceTicks(lo, hi, 5)) {
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${fmt(y(t))}" y2="${fmt(y(t))}" stroke="currentColor" stroke-opacity="0.12"/>`);
    parts.push(`<text x="${M.left - 6}" y="${fmt(y(t) + 4)}" text-anchor="end" fill="currentColor" fill-opacity="0.7">${t}</text>`);
  }
  const step = Math.max(1, Math.ceil(n / 12));
  for (let e = 1; e <= n; e += step) {
    parts.push(`<text x="${fmt(x(e))}" y="${H - M.bottom + 18}" text-anchor="middle" fill="currentColor" fill-opacity="0.7">${e}</text>`);
  }
  parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="currentColor" stroke-opacity="0.5"/>`);
  parts.push(`<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="currentColor" stroke-opacity="0.5"/>`);
  parts.push(`<text x="${(M.left + W - M.right) / 2}" y="${H - 8}" text-anchor="middle" fill="currentColor">epoch</text>`);
  parts.push(`<text transform="translate(14 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle" fill="currentColor">loss (MSE)</text>`);
  const series: [keyof LossPoint, string, string][] = [
    ['train', '#3a7bd5', 'train'],
    ['valid', '#e0782f', 'valid'],
  ];
  series.forEach(([key, color, label], s) => {
    const pts = points.filter((p) => Number.isFinite(p[key] as number));
    if (pts.length > 0) {
      const d = pts.map((p) => `${fmt(x(p.epoch))},${fmt(y(p[key] as number))}`).join(' ');
      parts.push(`<polyline class="series-${key}" points="${d}" fill="none" stroke="${color}" stroke-width="2.5"/>`);
      for (const p of pts) parts.push(`<circle cx="${fmt(x(p.epoch))}" cy="${fmt(y(p[key] as number))}" r="3.5" fill="${color}"/>`);
    }
    const lx = W - M.right - 150 + s * 75;
    parts.push(`<rect x="${lx}" y="${M.top}" width="14" height="4" fill="${color}"/>`);
    parts.push(`<text x="${lx + 18}" y="${M.top + 6}" fill="currentColor">${label}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
