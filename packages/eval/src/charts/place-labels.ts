import { boxInside, boxesOverlap, padBox, textBox } from './boxes.js';
import type { Box, TextAnchor } from './boxes.js';
import { ASCENT, DESCENT } from './text.js';

/** A label to place next to an anchor point (a data point, a marker line). */
export interface LabelRequest {
  /** The point the label belongs to, in SVG user units. */
  x: number;
  y: number;
  text: string;
  /** Font size in pixels. */
  fontSize: number;
  /** Distance kept from the anchor (a point's radius plus a gap; default 4). */
  offset?: number;
}

/** Where {@link placeLabels} put a label: draw `text` at (`x`, baseline `y`) with `anchor`; `box` is its extent. */
export interface PlacedLabel {
  /** Index of the request. */
  index: number;
  text: string;
  x: number;
  y: number;
  anchor: TextAnchor;
  fontSize: number;
  box: Box;
}

/** Options of {@link placeLabels}. */
export interface PlaceLabelsOptions {
  /** Every label must lie inside this box (the plot area, or the whole viewBox). */
  bounds: Box;
  /** Boxes no label may overlap (data points, a legend, other text already drawn). */
  obstacles?: readonly Box[];
  /** Space kept between a label and anything else (default 1). */
  gap?: number;
}

/** Candidate spots around an anchor, in order of preference: above, right, left, below, then the diagonals. */
function candidates(r: LabelRequest): { x: number; y: number; anchor: TextAnchor }[] {
  const d = r.offset ?? 4;
  const s = r.fontSize;
  const mid = r.y + ((ASCENT - DESCENT) / 2) * s; // baseline that centres the text on the anchor
  const above = r.y - d - DESCENT * s;
  const below = r.y + d + ASCENT * s;
  return [
    { x: r.x, y: above, anchor: 'middle' },
    { x: r.x + d, y: mid, anchor: 'start' },
    { x: r.x - d, y: mid, anchor: 'end' },
    { x: r.x, y: below, anchor: 'middle' },
    { x: r.x + d * 0.7, y: above, anchor: 'start' },
    { x: r.x - d * 0.7, y: above, anchor: 'end' },
    { x: r.x + d * 0.7, y: below, anchor: 'start' },
    { x: r.x - d * 0.7, y: below, anchor: 'end' },
  ];
}

/**
 * Greedy label placement with bounding boxes: labels are placed in the order given (put the most important
 * first), each at the first of eight spots around its anchor whose box lies inside `bounds` and overlaps
 * neither an obstacle nor a label placed before it. A label with no such spot is dropped (its index is
 * missing from the result), so placed labels never overlap each other or the obstacles and never leave the
 * bounds.
 *
 * @example
 * ```ts
 * const placed = placeLabels(points.map((p) => ({ x: p.px, y: p.py, text: p.title, fontSize: 10, offset: 5 })), {
 *   bounds: { x: 0, y: 0, width: 640, height: 480 },
 * });
 * ```
 */
export function placeLabels(requests: readonly LabelRequest[], options: PlaceLabelsOptions): PlacedLabel[] {
  const gap = options.gap ?? 1;
  const taken: Box[] = (options.obstacles ?? []).map((b) => padBox(b, gap));
  const placed: PlacedLabel[] = [];
  requests.forEach((r, index) => {
    if (r.text === '') return;
    for (const c of candidates(r)) {
      const box = textBox(r.text, c.x, c.y, r.fontSize, c.anchor);
      if (!boxInside(box, options.bounds)) continue;
      if (taken.some((t) => boxesOverlap(box, t))) continue;
      placed.push({ index, text: r.text, x: c.x, y: c.y, anchor: c.anchor, fontSize: r.fontSize, box });
      taken.push(padBox(box, gap));
      return;
    }
  });
  return placed;
}
