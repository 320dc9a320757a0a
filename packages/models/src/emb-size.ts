/**
 * fastai's `emb_sz_rule`: the embedding width for a categorical variable with `nCategories` levels,
 * `min(600, round(1.6 * n ** 0.56))`.
 *
 * fastai counts its `#na#` slot in `n`; our vocabularies have none, so the `embedding-nn` defaults call
 * `embSizeRule(nUsers + 1)` and `embSizeRule(nItems + 1)` to give the same widths as fastai on the same data.
 * On MovieLens 100k: 943 users (944 with `#na#`) give 74; the book's 1664 movie titles (1665) give 102, as
 * in its `Embedding(1665, 102)`; the 1682 raw item ids (1683) give 103 (1.6 * 1683^0.56 = 102.50076, which
 * Python also rounds up), not 102.
 */
export function embSizeRule(nCategories: number): number {
  return Math.min(600, Math.round(1.6 * Math.pow(nCategories, 0.56)));
}
