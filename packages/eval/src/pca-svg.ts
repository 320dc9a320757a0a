import { UsageError } from '@collab-ts/core';

/** A labelled point for {@link pcaScatterSvg}. */
export interface ScatterPoint {
  x: number;
  y: number;
  label: string;
}

/** Options of {@link pcaScatterSvg}. */
export interface ScatterOptions {
  /** Pixels (default 720). */
  width?: number;
  /** Pixels (default 540). */
  height?: number;
  /** Heading drawn at the top (optional). */
  title?: string;
  /** Axis captions (default `'PC1'`, `'PC2'`). */
  xLabel?: string;
  yLabel?: string;
}

/** Escapes text for use inside SVG/XML content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function fmt(x: number): string {
  return (Math.round(x * 100) / 100).toString();
}

/**
 * A standalone SVG document plotting labelled points, as fastai's chapter 8 plots movies on two principal
 * components. Points are scaled to fill the plot area (a 48-pixel margin); labels and the title are
 * XML-escaped. No script, no external resources: the string can be written to a `.svg` file as is.
 * @throws UsageError on a non-finite coordinate or a non-positive size.
 */
export function pcaScatterSvg(points: readonly ScatterPoint[], options: ScatterOptions = {}): string {
  const width = options.width ?? 720;
  const height = options.height ?? 540;
  if (!(width > 0) || !(height > 0)) throw new UsageError('pcaScatterSvg: width and height must be positive');
  for (const p of points) {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) throw new UsageError(`pcaScatterSvg: point ${JSON.stringify(p.label)} has a non-finite coordinate`);
  }
  const m = 48;
  const top = options.title ? m + 16 : m;
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const p of points) {
    x0 = Math.min(x0, p.x);
    x1 = Math.max(x1, p.x);
    y0 = Math.min(y0, p.y);
    y1 = Math.max(y1, p.y);
  }
  if (points.length === 0) [x0, x1, y0, y1] = [-1, 1, -1, 1];
  if (x1 === x0) [x0, x1] = [x0 - 1, x1 + 1];
  if (y1 === y0) [y0, y1] = [y0 - 1, y1 + 1];
  const px = (x: number) => m + ((x - x0) / (x1 - x0)) * (width - 2 * m);
  const py = (y: number) => height - m - ((y - y0) / (y1 - y0)) * (height - m - top);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${fmt(width)}" height="${fmt(height)}" viewBox="0 0 ${fmt(width)} ${fmt(height)}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
  ];
  if (options.title) out.push(`<text x="${fmt(width / 2)}" y="${fmt(m / 2 + 8)}" text-anchor="middle" font-size="16">${escapeXml(options.title)}</text>`);
  out.push(
    `<line x1="${m}" y1="${fmt(height - m)}" x2="${fmt(width - m)}" y2="${fmt(height - m)}" stroke="#888"/>`,
    `<line x1="${m}" y1="${fmt(top)}" x2="${m}" y2="${fmt(height - m)}" stroke="#888"/>`,
    `<text x="${fmt(width / 2)}" y="${fmt(height - m / 4)}" text-anchor="middle" font-size="12">${escapeXml(options.xLabel ?? 'PC1')}</text>`,
    `<text x="${fmt(m / 3)}" y="${fmt((top + height - m) / 2)}" text-anchor="middle" font-size="12" transform="rotate(-90 ${fmt(m / 3)} ${fmt((top + height - m) / 2)})">${escapeXml(options.yLabel ?? 'PC2')}</text>`,
  );
  for (const p of points) {
    const cx = fmt(px(p.x));
    const cy = fmt(py(p.y));
    out.push(`<g><circle cx="${cx}" cy="${cy}" r="3" fill="#1f77b4"/><text x="${cx}" y="${fmt(py(p.y) - 5)}" font-size="10" text-anchor="middle">${escapeXml(p.label)}</text></g>`);
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}
