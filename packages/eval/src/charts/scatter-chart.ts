import { UsageError } from '@collab-ts/core';
import type { Box } from './boxes.js';
import { placeLabels } from './place-labels.js';
import { SvgBuilder } from './svg-builder.js';
import type { ChartLayout, ChartPalette } from './svg-builder.js';
import { ASCENT, DESCENT, escapeXml, fitText, fmt } from './text.js';

/** A labelled point of a {@link scatterChart}. */
export interface LabelledPoint {
  x: number;
  y: number;
  label: string;
}

/** Options of {@link scatterChart}. */
export interface ScatterChartOptions {
  /** Pixels (default 720). */
  width?: number;
  /** Pixels (default 540). */
  height?: number;
  title?: string;
  /** Axis captions (default none). */
  xLabel?: string;
  yLabel?: string;
  /** Font size of the point labels (default 10). */
  labelSize?: number;
  /** Radius of the dots (default 3). */
  pointRadius?: number;
  /** Dot colour (default `#1f77b4`). */
  color?: string;
  /** Default `'print'`. */
  palette?: ChartPalette;
  /** Accessible name (default: the title). */
  ariaLabel?: string;
}

/** A {@link ChartLayout} of a scatter chart, with the indices of the points whose label found no room. */
export interface ScatterLayout extends ChartLayout {
  dropped: number[];
}

const PAD = 8;

/**
 * A standalone SVG scatter plot of labelled points (fastai's PCA plot of movies). Points are scaled to fill
 * the plot area; labels are placed greedily in the order given (most important first) beside their point,
 * clear of every other label and dot and inside the plot area, and a label that finds no room is left out
 * (listed in `dropped`; its dot keeps the label as a tooltip). No script, no external resources.
 * @throws UsageError on a non-finite coordinate or a non-positive size.
 */
export function scatterChart(points: readonly LabelledPoint[], options: ScatterChartOptions = {}): ScatterLayout {
  const W = options.width ?? 720;
  const H = options.height ?? 540;
  if (!(W > 0) || !(H > 0)) throw new UsageError('scatterChart: width and height must be positive');
  for (const p of points) {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) throw new UsageError(`scatterChart: point ${JSON.stringify(p.label)} has a non-finite coordinate`);
  }
  const ls = options.labelSize ?? 10;
  const cs = 12;
  const r = options.pointRadius ?? 3;
  const color = options.color ?? '#1f77b4';
  const b = new SvgBuilder(W, H, options.palette ?? 'print', options.ariaLabel ?? options.title);
  let top = PAD;
  if (options.title) {
    const size = 16;
    b.text(fitText(options.title, W - 2 * PAD, size), W / 2, top + ASCENT * size, { anchor: 'middle', size, role: 'title' });
    top += (ASCENT + DESCENT) * size + 6;
  }
  const captionH = (ASCENT + DESCENT) * cs;
  const plot: Box = {
    x: PAD + (options.yLabel ? captionH + 6 : 0),
    y: top,
    width: 0,
    height: 0,
  };
  plot.width = W - PAD - plot.x;
  plot.height = H - PAD - (options.xLabel ? captionH + 6 : 0) - plot.y;
  const axis = b.palette === 'print' ? 'stroke="#888"' : 'stroke="currentColor" stroke-opacity="0.5"';
  b.push(`<line x1="${fmt(plot.x)}" y1="${fmt(plot.y + plot.height)}" x2="${fmt(plot.x + plot.width)}" y2="${fmt(plot.y + plot.height)}" ${axis}/>`);
  b.push(`<line x1="${fmt(plot.x)}" y1="${fmt(plot.y)}" x2="${fmt(plot.x)}" y2="${fmt(plot.y + plot.height)}" ${axis}/>`);
  if (options.xLabel) b.text(fitText(options.xLabel, plot.width, cs), plot.x + plot.width / 2, H - PAD - DESCENT * cs, { anchor: 'middle', size: cs, role: 'axis' });
  if (options.yLabel) b.text(fitText(options.yLabel, plot.height, cs), PAD + ASCENT * cs, plot.y + plot.height / 2, { anchor: 'middle', size: cs, role: 'axis', vertical: true });

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
  // dots keep a margin from the axes: room for a label on every side of the outermost points
  const inner: Box = { x: plot.x + 12, y: plot.y + 12, width: plot.width - 24, height: plot.height - 24 };
  const px = (x: number): number => inner.x + ((x - x0) / (x1 - x0)) * inner.width;
  const py = (y: number): number => inner.y + inner.height - ((y - y0) / (y1 - y0)) * inner.height;
  const at = points.map((p) => ({ x: px(p.x), y: py(p.y) }));
  const dots = at.map((p) => ({ x: p.x - r, y: p.y - r, width: 2 * r, height: 2 * r }));
  for (const [i, p] of at.entries()) b.push(`<circle cx="${fmt(p.x)}" cy="${fmt(p.y)}" r="${fmt(r)}" fill="${color}"><title>${escapeXml(points[i].label)}</title></circle>`);
  const labelBounds: Box = { x: plot.x + 2, y: plot.y, width: plot.width - 2, height: plot.height - 2 };
  const placed = placeLabels(
    points.map((p, i) => ({ x: at[i].x, y: at[i].y, text: fitText(p.label, plot.width / 2, ls), fontSize: ls, offset: r + 2 })),
    { bounds: labelBounds, obstacles: [...dots, ...b.texts.map((t) => t.box)], gap: 1 },
  );
  for (const l of placed) {
    const anchor = l.anchor !== 'start' ? ` text-anchor="${l.anchor}"` : '';
    b.push(`<text x="${fmt(l.x)}" y="${fmt(l.y)}" font-size="${fmt(ls)}"${anchor} fill="${b.ink}"${b.halo}>${escapeXml(l.text)}</text>`);
    b.record(l.text, 'point', l.box);
  }
  const shown = new Set(placed.map((l) => l.index));
  const dropped = points.map((_, i) => i).filter((i) => !shown.has(i) && points[i].label !== '');
  return { ...b.done(), dropped };
}

/** The SVG of {@link scatterChart}. */
export function scatterChartSvg(points: readonly LabelledPoint[], options: ScatterChartOptions = {}): string {
  return scatterChart(points, options).svg;
}
