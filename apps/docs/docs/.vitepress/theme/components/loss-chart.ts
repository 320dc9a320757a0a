import { lineChartSvg } from '@collab-ts/eval';

/** One epoch of the demo's training history. */
export interface LossPoint {
  epoch: number;
  train: number;
  valid: number;
  seconds: number;
}

/**
 * The demo's chart of train and validation loss per epoch: the shared `lineChartSvg` of `@collab-ts/eval`
 * (the one the CLI's plots use), in the page's text colour. The x axis spans the planned number of epochs so
 * the curve grows from left to right while training runs.
 */
export function lossChartSvg(points: readonly LossPoint[], plannedEpochs: number): string {
  const n = Math.max(plannedEpochs, points.length, 1);
  const epochs = points.map((p) => p.epoch);
  return lineChartSvg(
    [
      { name: 'train', key: 'train', x: epochs, y: points.map((p) => p.train), color: '#3a7bd5', dots: true },
      { name: 'valid', key: 'valid', x: epochs, y: points.map((p) => p.valid), color: '#e0782f', dots: true },
    ],
    { width: 640, height: 360, xDomain: [1, n], integerX: true, xLabel: 'epoch', yLabel: 'loss (MSE)', palette: 'inherit', ariaLabel: 'train and validation loss per epoch' },
  );
}
