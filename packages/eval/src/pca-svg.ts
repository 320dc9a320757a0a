import { scatterChart } from './charts/scatter-chart.js';

export { escapeXml } from './charts/text.js';

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

/**
 * A standalone SVG document plotting labelled points, as fastai's chapter 8 plots movies on two principal
 * components: {@link scatterChart} with `PC1` / `PC2` captions. Labels go in the order given (put the most
 * rated items first), never overlap each other or a dot, and stay inside the plot; those that find no room
 * are left out (their dot keeps the title as a tooltip). No script, no external resources: the string can be
 * written to a `.svg` file as is.
 * @throws UsageError on a non-finite coordinate or a non-positive size.
 */
export function pcaScatterSvg(points: readonly ScatterPoint[], options: ScatterOptions = {}): string {
  return scatterChart(points, { ...options, xLabel: options.xLabel ?? 'PC1', yLabel: options.yLabel ?? 'PC2' }).svg;
}
