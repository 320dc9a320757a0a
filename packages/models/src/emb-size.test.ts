import { describe, expect, it } from 'vitest';
import { embSizeRule } from './emb-size.js';

describe('embSizeRule', () => {
  it("gives fastai's widths on MovieLens 100k and caps at 600", () => {
    expect(embSizeRule(944)).toBe(74);
    expect(embSizeRule(1665)).toBe(102); // the book's 1664 titles + #na#
    expect(embSizeRule(1683)).toBe(103); // 1682 item ids + #na#: 1.6 * 1683^0.56 = 102.50076
    expect(embSizeRule(943)).toBe(74);
    expect(embSizeRule(10_000_000)).toBe(600);
  });
});
