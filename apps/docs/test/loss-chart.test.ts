import { describe, expect, it } from 'vitest';
import { lossChartSvg } from '../docs/.vitepress/theme/components/loss-chart';

describe('lossChartSvg', () => {
  const pts = [
    { epoch: 1, train: 1.2, valid: 1.0, seconds: 0.1 },
    { epoch: 2, train: 0.9, valid: 0.95, seconds: 0.1 },
    { epoch: 3, train: 0.7, valid: 0.9, seconds: 0.1 },
  ];

  it('draws one polyline per series with a point per epoch', () => {
    const svg = lossChartSvg(pts, 5);
    expect(svg.startsWith('<svg')).toBe(true);
    const train = /class="series-train" points="([^"]+)"/.exec(svg)![1].split(' ');
    const valid = /class="series-valid" points="([^"]+)"/.exec(svg)![1].split(' ');
    expect(train).toHaveLength(3);
    expect(valid).toHaveLength(3);
    // falling loss: y (downwards in SVG) grows from the first to the last point
    const ys = train.map((p) => Number(p.split(',')[1]));
    expect(ys[2]).toBeGreaterThan(ys[0]);
    // x spans the planned 5 epochs, so epoch 3 sits in the middle of the axis
    const xs = train.map((p) => Number(p.split(',')[0]));
    expect(xs[1] - xs[0]).toBeCloseTo(xs[2] - xs[1], 1); // coordinates are written with two decimals
  });

  it('renders axes without data and ignores non-finite values', () => {
    expect(lossChartSvg([], 4)).not.toContain('polyline');
    const svg = lossChartSvg([{ epoch: 1, train: 1, valid: NaN, seconds: 0 }], 1);
    expect(svg).toContain('series-train');
    expect(svg).not.toContain('series-valid');
    expect(svg).not.toContain('NaN');
  });
});
