/**
 * Text measurement without a browser: advance widths of Arial / Helvetica / Liberation Sans (the fonts the
 * charts ask for), in thousandths of an em, for the printable ASCII characters 32..126.
 */
const ASCII_WIDTHS = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // ' ' .. '/'
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // '0' .. '?'
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // '@' .. 'O'
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // 'P' .. '_'
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // '`' .. 'o'
  556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // 'p' .. '~'
];

/** The font stack every chart uses; {@link estimateTextWidth} is measured on it. */
export const CHART_FONT = "Helvetica, Arial, 'Liberation Sans', sans-serif";

/** Ascent and descent of the chart font, in ems: a text's box runs from `baseline - ASCENT` to `baseline + DESCENT`. */
export const ASCENT = 0.905;
export const DESCENT = 0.212;

/**
 * The width in pixels of `text` drawn at `fontSize` in {@link CHART_FONT}, rounded up a little (4%) so that
 * boxes built from it contain the rendered text. Wide scripts (CJK) count one em a character.
 */
export function estimateTextWidth(text: string, fontSize: number): number {
  let units = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c >= 32 && c <= 126) units += ASCII_WIDTHS[c - 32];
    else if (c >= 0x2e80) units += 1000;
    else units += 600;
  }
  return (units / 1000) * fontSize * 1.04;
}

/** Escapes text for use inside SVG/XML content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** `text`, shortened with an ellipsis when it is wider than `maxWidth` pixels at `fontSize`. */
export function fitText(text: string, maxWidth: number, fontSize: number): string {
  if (estimateTextWidth(text, fontSize) <= maxWidth) return text;
  const chars = [...text];
  while (chars.length > 0 && estimateTextWidth(`${chars.join('')}…`, fontSize) > maxWidth) chars.pop();
  return chars.length > 0 ? `${chars.join('').trimEnd()}…` : '';
}

/** A number with at most two decimals, as SVG coordinates are written. */
export function fmt(x: number): string {
  return (Math.round(x * 100) / 100).toString();
}
