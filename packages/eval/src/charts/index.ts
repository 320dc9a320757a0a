// The shared SVG charts: one implementation for the CLI's plots, the PCA scatter and the docs site.
export { lineChart, lineChartSvg, sparklineSvg, CHART_COLORS } from './line-chart.js';
export type { LineSeries, ChartMark, LineChartOptions, SparklineOptions } from './line-chart.js';
export { scatterChart, scatterChartSvg } from './scatter-chart.js';
export type { LabelledPoint, ScatterChartOptions, ScatterLayout } from './scatter-chart.js';
export { placeLabels } from './place-labels.js';
export type { LabelRequest, PlacedLabel, PlaceLabelsOptions } from './place-labels.js';
export { boxesOverlap, boxInside, textBox } from './boxes.js';
export type { Box, TextAnchor } from './boxes.js';
export { estimateTextWidth, escapeXml, fitText, CHART_FONT } from './text.js';
export type { ChartLayout, ChartText, ChartPalette } from './svg-builder.js';
