import { boxInside, boxesOverlap, padBox, textBox } from './boxes.js';
import type { Box, TextAnchor } from './boxes.js';
import { ASCENT, CHART_FONT, DESCENT, escapeXml, estimateTextWidth, fmt } from './text.js';

/** Colours of a chart: `'print'` is dark text on white; `'inherit'` draws text in `currentColor` on no background (for themed pages). */
export type ChartPalette = 'print' | 'inherit';

/** One text a chart drew, with the box it takes (what the collision handling guarantees about). */
export interface ChartText {
  text: string;
  /** `title`, `axis`, `x-tick`, `y-tick`, `legend`, `mark` or `point`. */
  role: string;
  box: Box;
}

/** What a chart function returns besides its SVG: the viewBox and every text it drew. */
export interface ChartLayout {
  svg: string;
  viewBox: Box;
  texts: ChartText[];
}

/** Text options of {@link SvgBuilder.text}. */
interface TextOptions {
  anchor?: TextAnchor;
  size: number;
  role: string;
  fill?: string;
  weight?: 'bold';
  /** Rotate -90 degrees about (x, y): reads bottom to top (y-axis captions). */
  vertical?: boolean;
  /** Refuse (return false) rather than draw over text already drawn or outside the viewBox. */
  avoid?: boolean;
  className?: string;
  /** A background-coloured outline, so the text stays readable over lines (print palette only). */
  halo?: boolean;
}

/**
 * Accumulates SVG elements and the box of every text drawn, so that texts can be kept apart and inside the
 * viewBox. Internal to the chart functions.
 */
export class SvgBuilder {
  readonly parts: string[] = [];
  readonly texts: ChartText[] = [];
  readonly viewBox: Box;
  readonly ink: string;
  /** Attributes of a white outline behind text drawn over data (empty on the inherit palette). */
  readonly halo: string;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly palette: ChartPalette,
    ariaLabel: string | undefined,
  ) {
    this.viewBox = { x: 0, y: 0, width, height };
    this.ink = palette === 'print' ? '#222' : 'currentColor';
    this.halo = palette === 'print' ? ' stroke="white" stroke-width="3" stroke-linejoin="round" paint-order="stroke"' : '';
    const aria = ariaLabel ? ` role="img" aria-label="${escapeXml(ariaLabel)}"` : '';
    this.parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${fmt(width)}" height="${fmt(height)}" viewBox="0 0 ${fmt(width)} ${fmt(height)}"${aria} font-family="${escapeXml(CHART_FONT)}">`);
    if (palette === 'print') this.parts.push(`<rect width="${fmt(width)}" height="${fmt(height)}" fill="white"/>`);
  }

  /** The box a text would take. */
  measure(text: string, x: number, y: number, o: Pick<TextOptions, 'anchor' | 'size' | 'vertical'>): Box {
    if (!o.vertical) return textBox(text, x, y, o.size, o.anchor ?? 'start');
    // rotated -90 degrees about (x, y): the text runs upwards, its ascent to the left of x
    const w = estimateTextWidth(text, o.size);
    const along = o.anchor === 'middle' ? w / 2 : o.anchor === 'end' ? w : 0;
    return { x: x - ASCENT * o.size, y: y - w + along, width: (ASCENT + DESCENT) * o.size, height: w };
  }

  /** Whether a box is free: inside the viewBox and clear (by `gap`) of every text drawn so far. */
  isFree(box: Box, gap = 1): boolean {
    return boxInside(box, this.viewBox) && !this.texts.some((t) => boxesOverlap(padBox(box, gap), t.box));
  }

  /** Draws a text and records its box; with `avoid`, draws nothing and returns false when the spot is not free. */
  text(text: string, x: number, y: number, o: TextOptions): boolean {
    if (text === '') return false;
    const box = this.measure(text, x, y, o);
    if (o.avoid && !this.isFree(box)) return false;
    const anchor = o.anchor && o.anchor !== 'start' ? ` text-anchor="${o.anchor}"` : '';
    const rotate = o.vertical ? ` transform="rotate(-90 ${fmt(x)} ${fmt(y)})"` : '';
    const weight = o.weight ? ` font-weight="${o.weight}"` : '';
    const cls = o.className ? ` class="${escapeXml(o.className)}"` : '';
    this.parts.push(`<text${cls} x="${fmt(x)}" y="${fmt(y)}" font-size="${fmt(o.size)}"${anchor}${weight}${rotate} fill="${o.fill ?? this.ink}"${o.halo ? this.halo : ''}>${escapeXml(text)}</text>`);
    this.texts.push({ text, role: o.role, box });
    return true;
  }

  /** Records a text drawn by the caller (already checked) with its box. */
  record(text: string, role: string, box: Box): void {
    this.texts.push({ text, role, box });
  }

  push(element: string): void {
    this.parts.push(element);
  }

  done(): ChartLayout {
    return { svg: `${this.parts.join('\n')}\n</svg>\n`, viewBox: this.viewBox, texts: this.texts };
  }
}
