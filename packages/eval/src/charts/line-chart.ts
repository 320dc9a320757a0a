import { UsageError } from '@collab-ts/core';
import { boxesOverlap, padBox } from './boxes.js';
import type { Box } from './boxes.js';
import { SvgBuilder } from './svg-builder.js';
import type { ChartLayout, ChartPalette } from './svg-builder.js';
import { ASCENT, DESCENT, escapeXml, estimateTextWidth, fitText, fmt } from './text.js';
import { decadeTicks, niceTicks, tickLabel } from './ticks.js';

/** One named line of a {@link lineChart}. */
export interface LineSeries {
  readonly name: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
  /** The polyline gets the class `series-<key>` (default: its index). */
  readonly key?: string;
  /** Stroke colour (default: from a ten-colour palette). */
  readonly color?: string;
  /** Draw a dot at every point (default false). */
  readonly dots?: boolean;
  /** Dashed line (default false). */
  readonly dashed?: boolean;
}

/** A vertical line across the plot at `x`, labelled (a suggested learning rate, a best epoch). */
export interface ChartMark {
  readonly x: number;
  readonly label: string;
  readonly color?: string;
}

/** Options of {@link lineChart}. */
export interface LineChartOptions {
  /** Pixels (default 720). */
  width?: number;
  /** Pixels (default 420). */
  height?: number;
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Logarithmic x axis (every x must be > 0), ticks at powers of ten. */
  logX?: boolean;
  /** Only integer ticks on the x axis (epochs). */
  integerX?: boolean;
  /** The x range drawn (default: the data's); a live chart can fix it to the planned epochs. */
  xDomain?: readonly [number, number];
  /** The y range drawn (default: the data's, padded by 6%); values outside are drawn at the edge. */
  yDomain?: readonly [number, number];
  marks?: readonly ChartMark[];
  /** Font size of tick labels, legend and marks in pixels (default 12; the title is 3 larger). */
  fontSize?: number;
  /** Default `'print'`. */
  palette?: ChartPalette;
  /** Accessible name (default: the title). */
  ariaLabel?: string;
}

/** The ten-colour palette of the charts (matplotlib's `tab10`, as fastai's plots use). */
export const CHART_COLORS: readonly string[] = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

const PAD = 8;

/**
 * A standalone SVG line chart (loss per step or epoch, the learning-rate finder's curve), with no script and
 * no external resources. Every text is kept inside the viewBox and clear of the others: the title and axis
 * captions are shortened with an ellipsis when too long, the legend wraps onto more rows, tick labels that
 * would collide are skipped, and mark labels are placed beside their line where there is room (or left
 * out, the line keeping its label as a tooltip). The result lists every text drawn with its box.
 * @throws UsageError on a non-positive size, or a non-positive x on a log axis.
 */
export function lineChart(series: readonly LineSeries[], options: LineChartOptions = {}): ChartLayout {
  const W = options.width ?? 720;
  const H = options.height ?? 420;
  if (!(W > 0) || !(H > 0)) throw new UsageError('lineChart: width and height must be positive');
  const fs = options.fontSize ?? 12;
  const lineH = (ASCENT + DESCENT) * fs;
  const log = Boolean(options.logX);
  const b = new SvgBuilder(W, H, options.palette ?? 'print', options.ariaLabel ?? options.title);
  const fx = (x: number): number => (log ? Math.log10(x) : x);
  for (const s of series) if (log && s.x.some((x) => Number.isFinite(x) && x <= 0)) throw new UsageError(`lineChart: series ${JSON.stringify(s.name)} has x <= 0 on a log axis`);

  // top: title, then the legend (wrapping), both outside the plot area
  let top = PAD;
  if (options.title) {
    const size = fs + 3;
    const t = fitText(options.title, W - 2 * PAD, size);
    b.text(t, W / 2, top + ASCENT * size, { anchor: 'middle', size, role: 'title' });
    top += (ASCENT + DESCENT) * size + 6;
  }
  const named = series.map((s, i) => ({ s, color: s.color ?? CHART_COLORS[i % CHART_COLORS.length], key: s.key ?? String(i) })).filter((e) => e.s.name !== '');
  if (named.length > 0) {
    let x = PAD;
    let row = 0;
    for (const e of named) {
      const label = fitText(e.s.name, W - 2 * PAD - 24, fs);
      const w = 22 + estimateTextWidth(label, fs);
      if (x > PAD && x + w > W - PAD) {
        x = PAD;
        row++;
      }
      const base = top + row * (lineH + 2) + ASCENT * fs;
      const mid = base - (ASCENT - DESCENT) * fs * 0.5;
      b.push(`<line x1="${fmt(x)}" x2="${fmt(x + 18)}" y1="${fmt(mid)}" y2="${fmt(mid)}" stroke="${e.color}" stroke-width="2.5"${e.s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
      b.text(label, x + 22, base, { size: fs, role: 'legend' });
      x += w + 14;
    }
    top += (row + 1) * (lineH + 2) + 4;
  }

  // data ranges
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of series) {
    for (let i = 0; i < Math.min(s.x.length, s.y.length); i++) {
      if (Number.isFinite(fx(s.x[i])) && Number.isFinite(s.y[i])) {
        xs.push(fx(s.x[i]));
        ys.push(s.y[i]);
      }
    }
  }
  let [x0, x1] = options.xDomain ? [fx(options.xDomain[0]), fx(options.xDomain[1])] : xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  if (!(x1 > x0)) [x0, x1] = [x0 - 0.5, x0 + 0.5];
  let [y0, y1] = options.yDomain ? [options.yDomain[0], options.yDomain[1]] : ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  if (!(y1 > y0)) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  if (!options.yDomain) {
    const pad = (y1 - y0) * 0.06;
    [y0, y1] = [y0 - pad, y1 + pad];
  }

  // bottom: x caption, then the x tick labels; left: y caption, then the y tick labels
  const bottomCaption = options.xLabel ? H - PAD - DESCENT * fs : H - PAD;
  const plotBottom = (options.xLabel ? bottomCaption - ASCENT * fs - 4 : H - PAD) - lineH - 4;
  const yTicks = niceTicks(y0, y1, Math.max(2, Math.floor((plotBottom - top) / 45))).filter((t) => t >= y0 && t <= y1);
  const yTickLabels = yTicks.map((t) => tickLabel(t, false));
  const tickW = Math.max(0, ...yTickLabels.map((l) => estimateTextWidth(l, fs)));
  const captionX = PAD + ASCENT * fs;
  const plotLeft = (options.yLabel ? captionX + DESCENT * fs + 4 : PAD) + tickW + 6;
  const xTickValues = log ? decadeTicks(10 ** x0, 10 ** x1).map((v) => Math.log10(v)) : niceTicks(x0, x1, Math.max(2, Math.floor((W - plotLeft) / 90))).filter((t) => !options.integerX || Number.isInteger(t));
  const lastLabel = xTickValues.length ? tickLabel(log ? 10 ** xTickValues[xTickValues.length - 1] : xTickValues[xTickValues.length - 1], log) : '';
  const plotRight = W - PAD - Math.min(estimateTextWidth(lastLabel, fs) / 2, 24);
  const plotTop = top + 4;
  const plot: Box = { x: plotLeft, y: plotTop, width: plotRight - plotLeft, height: plotBottom - plotTop };
  const sx = (v: number): number => plotLeft + ((v - x0) / (x1 - x0)) * plot.width;
  const sy = (v: number): number => plotBottom - ((Math.min(y1, Math.max(y0, v)) - y0) / (y1 - y0)) * plot.height;
  const grid = b.palette === 'print' ? 'stroke="#e6e6e6"' : 'stroke="currentColor" stroke-opacity="0.12"';
  const frame = b.palette === 'print' ? 'stroke="#999"' : 'stroke="currentColor" stroke-opacity="0.5"';

  yTicks.forEach((t, i) => {
    const y = sy(t);
    b.push(`<line x1="${fmt(plotLeft)}" x2="${fmt(plotRight)}" y1="${fmt(y)}" y2="${fmt(y)}" ${grid}/>`);
    b.text(yTickLabels[i], plotLeft - 6, y + ((ASCENT - DESCENT) / 2) * fs, { anchor: 'end', size: fs, role: 'y-tick', avoid: true });
  });
  for (const t of xTickValues) {
    if (t < x0 - 1e-9 || t > x1 + 1e-9) continue;
    const x = sx(t);
    b.push(`<line x1="${fmt(x)}" x2="${fmt(x)}" y1="${fmt(plotTop)}" y2="${fmt(plotBottom)}" ${grid}/>`);
    b.text(tickLabel(log ? 10 ** t : t, log), x, plotBottom + 4 + ASCENT * fs, { anchor: 'middle', size: fs, role: 'x-tick', avoid: true });
  }
  b.push(`<rect x="${fmt(plotLeft)}" y="${fmt(plotTop)}" width="${fmt(plot.width)}" height="${fmt(plot.height)}" fill="none" ${frame}/>`);
  if (options.xLabel) b.text(fitText(options.xLabel, W - 2 * PAD, fs), (plotLeft + plotRight) / 2, bottomCaption, { anchor: 'middle', size: fs, role: 'axis' });
  if (options.yLabel) b.text(fitText(options.yLabel, plot.height, fs), captionX, (plotTop + plotBottom) / 2, { anchor: 'middle', size: fs, role: 'axis', vertical: true });

  for (const e of series.map((s, i) => ({ s, i }))) {
    const { s, i } = e;
    const color = s.color ?? CHART_COLORS[i % CHART_COLORS.length];
    const pts: [number, number][] = [];
    for (let k = 0; k < Math.min(s.x.length, s.y.length); k++) {
      if (Number.isFinite(fx(s.x[k])) && Number.isFinite(s.y[k])) pts.push([sx(fx(s.x[k])), sy(s.y[k])]);
    }
    if (pts.length === 0) continue;
    const cls = escapeXml(`series-${s.key ?? String(i)}`);
    b.push(`<polyline class="${cls}" points="${pts.map(([x, y]) => `${fmt(x)},${fmt(y)}`).join(' ')}" fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''} stroke-linejoin="round"/>`);
    if (s.dots) for (const [x, y] of pts) b.push(`<circle cx="${fmt(x)}" cy="${fmt(y)}" r="3.5" fill="${color}"/>`);
  }

  // marks: a dashed line each, its label beside it at the top of the plot, crossing no other mark's line;
  // horizontal labels when all of them fit so, else all upright along their lines; a label with no room is
  // left out (the line keeps it as a tooltip)
  const marks = (options.marks ?? [])
    .map((m) => ({ m, v: fx(m.x), color: m.color ?? '#d62728' }))
    .filter((e) => Number.isFinite(e.v) && e.v >= x0 && e.v <= x1)
    .map((e) => ({ ...e, x: sx(e.v) }));
  for (const e of marks) {
    b.push(`<line x1="${fmt(e.x)}" x2="${fmt(e.x)}" y1="${fmt(plotTop)}" y2="${fmt(plotBottom)}" stroke="${e.color}" stroke-dasharray="4 3"><title>${escapeXml(e.m.label)}</title></line>`);
  }
  type Spot = { x: number; y: number; anchor: 'start' | 'end'; vertical: boolean; box: Box };
  const fits = (box: Box, self: number, taken: Box[]): boolean =>
    box.x >= plot.x + 1 &&
    box.x + box.width <= plot.x + plot.width - 1 &&
    box.y >= plot.y + 1 &&
    box.y + box.height <= plotBottom - 1 &&
    marks.every((o, k) => k === self || o.x <= box.x - 2 || o.x >= box.x + box.width + 2) &&
    b.isFree(box, 2) &&
    taken.every((t) => !boxesOverlap(padBox(box, 2), t));
  const layout = (vertical: boolean): (Spot | null)[] => {
    const taken: Box[] = [];
    return marks.map((e, k) => {
      const spots: Omit<Spot, 'box'>[] = [];
      if (vertical) {
        const y = plotTop + 4;
        spots.push({ x: e.x + 2 + ASCENT * fs, y, anchor: 'end', vertical }, { x: e.x - 2 - DESCENT * fs, y, anchor: 'end', vertical });
      } else {
        for (let row = 0; row < 6; row++) {
          const y = plotTop + 3 + ASCENT * fs + row * (lineH + 2);
          spots.push({ x: e.x + 4, y, anchor: 'start', vertical }, { x: e.x - 4, y, anchor: 'end', vertical });
        }
      }
      for (const sp of spots) {
        const box = b.measure(e.m.label, sp.x, sp.y, { anchor: sp.anchor, size: fs, vertical: sp.vertical });
        if (fits(box, k, taken)) {
          taken.push(box);
          return { ...sp, box };
        }
      }
      return null;
    });
  };
  let spots = layout(false);
  if (spots.some((sp) => sp === null)) {
    const upright = layout(true);
    if (upright.filter(Boolean).length >= spots.filter(Boolean).length) spots = upright;
  }
  spots.forEach((sp, k) => {
    if (sp) b.text(marks[k].m.label, sp.x, sp.y, { anchor: sp.anchor, size: fs, role: 'mark', fill: marks[k].color, vertical: sp.vertical, halo: true });
  });
  return b.done();
}

/** The SVG of {@link lineChart}. */
export function lineChartSvg(series: readonly LineSeries[], options: LineChartOptions = {}): string {
  return lineChart(series, options).svg;
}

/** Options of {@link sparklineSvg}. */
export interface SparklineOptions {
  /** Pixels (default 100). */
  width?: number;
  /** Pixels (default 24). */
  height?: number;
  /** Line colour (default `currentColor`). */
  color?: string;
  /** Tooltip and accessible name (the values, say). */
  label?: string;
}

/** A word-sized line chart of `values` (no axes, no text), for a table cell. */
export function sparklineSvg(values: readonly number[], options: SparklineOptions = {}): string {
  const W = options.width ?? 100;
  const H = options.height ?? 24;
  const finite = values.filter(Number.isFinite);
  const lo = finite.length ? Math.min(...finite) : 0;
  const hi = finite.length ? Math.max(...finite) : 1;
  const span = hi - lo || 1;
  const n = values.length;
  const pts = values
    .map((v, i) => [2 + (n > 1 ? i / (n - 1) : 0.5) * (W - 4), 2 + (1 - (v - lo) / span) * (H - 4)] as const)
    .filter(([, y]) => Number.isFinite(y))
    .map(([x, y]) => `${fmt(x)},${fmt(y)}`);
  const label = options.label ? escapeXml(options.label) : '';
  const aria = label ? ` role="img" aria-label="${label}"` : '';
  const color = options.color ?? 'currentColor';
  const last = pts.length ? pts[pts.length - 1].split(',') : null;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}"${aria}>${label ? `<title>${label}</title>` : ''}` +
    `<polyline points="${pts.join(' ')}" fill="none" stroke="${color}" stroke-width="1.5" stroke-linejoin="round"/>` +
    (last ? `<circle cx="${last[0]}" cy="${last[1]}" r="2" fill="${color}"/>` : '') +
    '</svg>'
  );
}
