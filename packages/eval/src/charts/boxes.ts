import { ASCENT, DESCENT, estimateTextWidth } from './text.js';

/** An axis-aligned rectangle in SVG user units (`x`, `y` is the top-left corner). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** How a text is anchored at its `x` (SVG's `text-anchor`). */
export type TextAnchor = 'start' | 'middle' | 'end';

/** Whether two boxes overlap (touching edges do not count). */
export function boxesOverlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Whether `inner` lies entirely within `outer`. */
export function boxInside(inner: Box, outer: Box): boolean {
  const e = 1e-9;
  return inner.x >= outer.x - e && inner.y >= outer.y - e && inner.x + inner.width <= outer.x + outer.width + e && inner.y + inner.height <= outer.y + outer.height + e;
}

/** The box of a one-line text drawn at (`x`, baseline `y`) with the given anchor and size. */
export function textBox(text: string, x: number, y: number, fontSize: number, anchor: TextAnchor = 'start'): Box {
  const width = estimateTextWidth(text, fontSize);
  const left = anchor === 'start' ? x : anchor === 'middle' ? x - width / 2 : x - width;
  return { x: left, y: y - ASCENT * fontSize, width, height: (ASCENT + DESCENT) * fontSize };
}

/** `b` grown by `pad` on every side. */
export function padBox(b: Box, pad: number): Box {
  return { x: b.x - pad, y: b.y - pad, width: b.width + 2 * pad, height: b.height + 2 * pad };
}
