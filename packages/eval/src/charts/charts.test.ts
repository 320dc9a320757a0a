import { describe, expect, it } from 'vitest';
import { createRng } from '@collab-ts/core';
import { boxInside, boxesOverlap, estimateTextWidth, fitText, lineChart, placeLabels, scatterChart, sparklineSvg, textBox } from '../index.js';
import type { Box, ChartLayout } from '../index.js';

/** Every pair of drawn texts is apart and every text is inside the viewBox. */
function expectTidy(layout: ChartLayout): void {
  const { texts, viewBox } = layout;
  for (const t of texts) expect(boxInside(t.box, viewBox), `${t.role} "${t.text}" leaves the viewBox`).toBe(true);
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      expect(boxesOverlap(texts[i].box, texts[j].box), `"${texts[i].text}" overlaps "${texts[j].text}"`).toBe(false);
    }
  }
}

// titles as long and as clustered as the most-rated MovieLens films
const TITLES = [
  'Star Wars (1977)', 'Contact (1997)', 'Fargo (1996)', 'Return of the Jedi (1983)', 'Liar Liar (1997)',
  'English Patient, The (1996)', 'Scream (1996)', 'Toy Story (1995)', 'Air Force One (1997)', 'Independence Day (ID4) (1996)',
  'Raiders of the Lost Ark (1981)', 'Godfather, The (1972)', 'Pulp Fiction (1994)', 'Twelve Monkeys (1995)', 'Silence of the Lambs, The (1991)',
  'Jerry Maguire (1996)', 'Chasing Amy (1997)', 'Rock, The (1996)', 'Empire Strikes Back, The (1980)', 'Star Trek: First Contact (1996)',
  'Back to the Future (1985)', 'Titanic (1997)', 'Mission: Impossible (1996)', 'Fugitive, The (1993)', 'Indiana Jones and the Last Crusade (1989)',
  'Willy Wonka and the Chocolate Factory (1971)', 'Princess Bride, The (1987)', 'Forrest Gump (1994)', 'Saint, The (1997)', 'Monty Python and the Holy Grail (1974)',
  'Full Monty, The (1997)', 'Men in Black (1997)', 'Terminator, The (1984)', 'E.T. the Extra-Terrestrial (1982)', 'Dead Man Walking (1995)',
  'Leaving Las Vegas (1995)', 'Schindler\'s List (1993)', 'Braveheart (1995)', 'Heat (1995)', 'Good Will Hunting (1997)',
];

function cluster(n: number, seed: number): { x: number; y: number; label: string }[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => ({ x: rng.normal(0, 1) * (i % 7 === 0 ? 3 : 0.6), y: rng.normal(0, 1) * 0.6, label: TITLES[i % TITLES.length] }));
}

describe('placeLabels', () => {
  it('places labels without overlaps, inside the bounds and clear of obstacles, dropping what has no room', () => {
    const rng = createRng(3);
    const bounds: Box = { x: 0, y: 0, width: 300, height: 200 };
    const anchors = Array.from({ length: 60 }, (_, i) => ({ x: 20 + rng.next() * 260, y: 20 + rng.next() * 160, text: TITLES[i % TITLES.length], fontSize: 10, offset: 5 }));
    const obstacle: Box = { x: 100, y: 80, width: 100, height: 40 };
    const placed = placeLabels(anchors, { bounds, obstacles: [obstacle] });
    expect(placed.length).toBeGreaterThan(3);
    expect(placed.length).toBeLessThan(60); // 60 long titles cannot all fit in 300 x 200
    expect(placed[0].index).toBe(0); // the first (most important) label always gets the first choice
    for (const p of placed) {
      expect(boxInside(p.box, bounds)).toBe(true);
      expect(boxesOverlap(p.box, obstacle)).toBe(false);
      expect(p.box).toEqual(textBox(p.text, p.x, p.y, 10, p.anchor));
    }
    for (let i = 0; i < placed.length; i++) for (let j = i + 1; j < placed.length; j++) expect(boxesOverlap(placed[i].box, placed[j].box)).toBe(false);
  });

  it('prefers the spot above the anchor, and moves aside near an edge', () => {
    const bounds: Box = { x: 0, y: 0, width: 200, height: 100 };
    const [mid] = placeLabels([{ x: 100, y: 50, text: 'Fargo (1996)', fontSize: 10, offset: 5 }], { bounds });
    expect(mid.anchor).toBe('middle');
    expect(mid.box.y + mid.box.height).toBeLessThanOrEqual(45);
    const [edge] = placeLabels([{ x: 100, y: 3, text: 'Fargo (1996)', fontSize: 10, offset: 5 }], { bounds });
    expect(edge.box.y).toBeGreaterThanOrEqual(0);
  });
});

describe('text measurement', () => {
  it('estimates widths from font metrics and shortens with an ellipsis', () => {
    expect(estimateTextWidth('iiii', 10)).toBeLessThan(estimateTextWidth('MMMM', 10) / 3);
    expect(estimateTextWidth('Star Wars (1977)', 10)).toBeGreaterThan(60);
    expect(estimateTextWidth('Star Wars (1977)', 10)).toBeLessThan(90);
    const short = fitText('Indiana Jones and the Last Crusade (1989)', 80, 10);
    expect(short.endsWith('…')).toBe(true);
    expect(estimateTextWidth(short, 10)).toBeLessThanOrEqual(80);
  });
});

describe('scatterChart', () => {
  it('keeps every label of a dense cluster apart and inside the viewBox, for many seeds and sizes', () => {
    for (const [seed, w, h] of [[1, 720, 540], [2, 640, 480], [3, 400, 300], [4, 320, 240]] as const) {
      const pts = cluster(50, seed);
      const c = scatterChart(pts, { width: w, height: h, title: 'Item factors: first two principal components (50 most-rated items)', xLabel: 'PC1', yLabel: 'PC2' });
      expectTidy(c);
      const labels = c.texts.filter((t) => t.role === 'point');
      expect(labels.length + c.dropped.length).toBe(50);
      expect(labels.length).toBeGreaterThan(w >= 640 ? 15 : 4);
      expect(c.svg.match(/<circle /g)).toHaveLength(50); // every point keeps its dot, labelled or not
      expect(c.svg).toContain('<title>Star Wars (1977)</title>');
    }
  });
});

describe('lineChart', () => {
  it('keeps title, legend, ticks, captions and mark labels apart and inside the viewBox', () => {
    const lrs = Array.from({ length: 120 }, (_, i) => 1e-7 * Math.pow(1e8, i / 119));
    const loss = lrs.map((lr) => 2 - Math.exp(-((Math.log10(lr) + 2) ** 2)));
    for (const [w, h] of [[720, 420], [480, 300], [300, 200]] as const) {
      const c = lineChart(
        [
          { name: 'validation loss (1024 held-out ratings)', x: lrs, y: loss, key: 'probe' },
          { name: 'training loss (smoothed)', x: lrs, y: loss.map((v) => v + 0.1), key: 'train', dashed: true },
          { name: 'a third series with a long name', x: lrs, y: loss.map((v) => v + 0.2) },
        ],
        {
          width: w,
          height: h,
          title: 'learning-rate finder: embedding-dot-bias on MovieLens 100k, one epoch, batch size 64',
          xLabel: 'learning rate (log scale)',
          yLabel: 'loss (MSE)',
          logX: true,
          // three marks close together: their labels must find separate rows
          marks: [
            { x: 1.2e-3, label: 'starts to help 1.2e-3', color: '#2ca02c' },
            { x: 4.5e-3, label: 'suggested 4.5e-3' },
            { x: 1.6e-2, label: 'stops helping 1.6e-2', color: '#9467bd' },
          ],
        },
      );
      expectTidy(c);
      expect(c.texts.some((t) => t.role === 'title')).toBe(true);
      expect(c.texts.filter((t) => t.role === 'legend')).toHaveLength(3);
      if (w === 720) {
        expect(c.texts.filter((t) => t.role === 'mark')).toHaveLength(3);
        expect(c.texts.filter((t) => t.role === 'x-tick').map((t) => t.text)).toEqual(expect.arrayContaining(['1e-7', '1e-3', '1', '10']));
      }
      expect(c.svg).toContain('class="series-probe"');
      expect(c.svg).toContain('class="series-train"');
      expect(c.svg).toContain('class="series-2"');
    }
  });

  it('draws a polyline per series with a point per finite value, inside a fixed domain', () => {
    const c = lineChart([{ name: 'train', key: 'train', x: [1, 2, 3], y: [1.2, NaN, 0.9], dots: true }], { xDomain: [1, 5], integerX: true, palette: 'inherit' });
    const pts = /class="series-train" points="([^"]+)"/.exec(c.svg)![1].split(' ');
    expect(pts).toHaveLength(2);
    expect(c.svg).not.toContain('NaN');
    expect(c.svg).toContain('currentColor');
    expect(c.texts.filter((t) => t.role === 'x-tick').every((t) => Number.isInteger(Number(t.text)))).toBe(true);
    expectTidy(c);
  });
});

describe('sparklineSvg', () => {
  it('draws a word-sized line with the values as its tooltip', () => {
    const s = sparklineSvg([0.94, 0.85, 0.82, 0.81, 0.8], { label: '0.940 0.854 0.821 0.806 0.804' });
    expect(s).toContain('<title>0.940 0.854 0.821 0.806 0.804</title>');
    expect(/points="([^"]+)"/.exec(s)![1].split(' ')).toHaveLength(5);
  });
});
